#!/usr/bin/env python3
"""The memory verdict of scripts/soak.sh: did the server's resident memory keep growing?

    scripts/soak_memory.py SAMPLES SECONDS [MAX_GROWTH]

SAMPLES has one line per second of the run: "elapsed_seconds rss_kib [peak_kib]". peak_kib is the
process's peak resident set (VmHWM) since the previous sample: soak.sh resets the peak after each
reading (`echo 5 > /proc/PID/clear_refs`), so it holds the highest point between two samples, which
a once-a-second VmRSS reading misses. A reload builds the new pack while the old one is served, a
transient of a few tenths of a second that is the run's highest point; sampled RSS catches it or not
by chance, and the peaks of two windows moved by up to a fifth from run to run on an unchanged server.
Where the kernel does not let the peak be reset, the third column is left out and rss_kib is used.

The first quarter of the run is the warm-up. The last quarter must not set a new high: its peak
must stay within MAX_GROWTH (default 0.05) of the peak of the half before it (from a quarter to
three quarters of the run). Memory that holds steady has reached its top before the last quarter;
memory that leaks keeps raising it. The reference is that half rather than the second quarter
alone because the allocator's working set still settles for a while after the warm-up: the top of
each window is a reload's build coinciding with a flood's connections, and in one measured run it
rose from 78 to 83 MiB between 40 s and 50 s, then held for the rest of the run. A leak has to
raise the top by 5% within the last quarter: on series shaped like measured runs
(tests/server/test_soak_memory.py), 800 KiB a second fails a 90 s run, and 60 KiB a second passes
a 90 s run but fails the 10-minute one.

Prints the two peaks, the growth and the peak of each tenth of the run; exits 1 when memory grew
more than allowed or there are no samples in either window, 2 on bad arguments.
"""

from __future__ import annotations

import sys
from pathlib import Path


def read_samples(path: Path) -> list[tuple[float, int]]:
    """(elapsed seconds, peak KiB since the previous sample) for each well-formed line."""
    samples = []
    for line in path.read_text().splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        try:
            values = [int(f) for f in fields[1:3]]
            samples.append((float(fields[0]), max(values)))
        except ValueError:
            continue
    return samples


def window_peak(samples: list[tuple[float, int]], begin: float, end: float) -> int:
    return max((kib for t, kib in samples if begin <= t < end), default=0)


def tenths(samples: list[tuple[float, int]], seconds: float) -> list[int]:
    peaks = [0] * 10
    for t, kib in samples:
        b = min(9, max(0, int(t * 10 / seconds)))
        peaks[b] = max(peaks[b], kib)
    return peaks


def verdict(samples: list[tuple[float, int]], seconds: float, max_growth: float) -> tuple[bool, str]:
    """(passed, report)."""
    reference = window_peak(samples, seconds / 4, seconds * 3 / 4)
    last = window_peak(samples, seconds * 3 / 4, float("inf"))
    lines = []
    if reference <= 0 or last <= 0:
        lines.append("rss: no samples after the warm-up or in the last quarter of the run")
        return False, "\n".join(lines)
    growth = (last - reference) / reference
    lines.append(f"rss: peak {reference} KiB from a quarter to three quarters of the run, last-quarter peak {last} KiB, "
                 f"growth {growth * 100:.2f}%")
    lines.append("rss by tenth of the run (peak KiB): " + " ".join(str(p) for p in tenths(samples, seconds)))
    passed = growth <= max_growth
    if not passed:
        lines.append(f"resident memory grew {growth * 100:.2f}% (limit {max_growth * 100:g}%)")
    return passed, "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        seconds = float(argv[2])
        max_growth = float(argv[3]) if len(argv) == 4 else 0.05
        samples = read_samples(Path(argv[1]))
    except (ValueError, OSError) as e:
        print(f"soak_memory.py: {e}", file=sys.stderr)
        return 2
    if seconds <= 0 or max_growth < 0:
        print("soak_memory.py: SECONDS must be > 0 and MAX_GROWTH >= 0", file=sys.stderr)
        return 2
    passed, report = verdict(samples, seconds, max_growth)
    print(report)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
