"""The soak's memory verdict (scripts/soak_memory.py) on series shaped like real runs: a server
whose memory holds steady passes whatever its swings, one that keeps growing fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "soak_memory.py"

sys.path.insert(0, str(SCRIPT.parent))
import soak_memory  # noqa: E402


def steady(seconds: int, leak_kib_per_s: float = 0.0) -> list[str]:
    """A run like a measured one: a floor of 54-64 MiB that a flood raises every 10 s, and a reload
    every 5 s whose build holds two packs for a few tenths of a second (about 80 MiB). The peak
    column holds each reload's top; the RSS column is what a once-a-second reading sees (it
    catches every other reload)."""
    lines = []
    for t in range(seconds):
        warm = min(1.0, t / 15)  # the allocator reaching its working set
        floor = 35_000 + warm * (19_000 + 1_000 * (t % 10))
        reload = t % 5 == 2
        peak = floor + warm * 21_000 if reload else floor
        rss = floor + (7_000 if reload and t % 10 == 2 else 0)
        leak = leak_kib_per_s * t
        lines.append(f"{t} {int(rss + leak)} {int(peak + leak)}")
    return lines


def run(tmp_path: Path, lines: list[str], seconds: int, *extra: str) -> subprocess.CompletedProcess:
    samples = tmp_path / "rss.txt"
    samples.write_text("\n".join(lines) + "\n")
    return subprocess.run([sys.executable, str(SCRIPT), str(samples), str(seconds), *extra],
                          capture_output=True, text=True, check=False)


def test_a_steady_server_passes(tmp_path):
    done = run(tmp_path, steady(90), 90)
    assert done.returncode == 0, done.stdout
    assert "growth 0.00%" in done.stdout
    assert "rss by tenth of the run" in done.stdout


def test_a_leak_of_one_percent_a_second_fails(tmp_path):
    # 800 KiB a second on an 80 MiB peak: 20 s between the windows' tops, about 19% more.
    done = run(tmp_path, steady(90, leak_kib_per_s=800), 90)
    assert done.returncode == 1
    assert "resident memory grew" in done.stdout


def test_a_slow_leak_is_caught_within_a_longer_run(tmp_path):
    # 60 KiB a second: 1.2 MiB between the windows' tops in a 90 s run (1.5%, within the limit); a
    # 600 s run (scripts/soak.sh 600) puts 9 MiB between them (11%).
    assert run(tmp_path, steady(90, leak_kib_per_s=60), 90).returncode == 0
    assert run(tmp_path, steady(600, leak_kib_per_s=60), 600).returncode == 1


def test_the_peak_column_is_what_is_compared():
    # Sampled RSS that missed the reload peaks before the last quarter: RSS alone would see growth
    # of a third; the peak column shows none.
    samples = [(t, 60_000) for t in range(0, 90)]
    with_peaks = [(t, 80_000 if t % 5 == 0 else kib) for t, kib in samples]
    rss_only = [(t, 80_000 if t % 5 == 0 and t >= 67 else kib) for t, kib in samples]
    assert soak_memory.verdict(with_peaks, 90, 0.05)[0]
    assert not soak_memory.verdict(rss_only, 90, 0.05)[0]


def test_two_column_samples_are_read_as_rss(tmp_path):
    samples = tmp_path / "rss.txt"
    samples.write_text("0 100\n1 200 300\nnot a sample\n2\n")
    assert soak_memory.read_samples(samples) == [(0.0, 100), (1.0, 300)]


def test_a_plateau_reached_after_the_warm_up_passes():
    # The top rises by 6% in the second quarter, then holds: the allocator settling, not a leak.
    samples = [(t, 80_000 if t < 40 else 85_000) for t in range(90)]
    passed, report = soak_memory.verdict(samples, 90, 0.05)
    assert passed, report


def test_a_new_high_in_the_last_quarter_fails():
    samples = [(t, 80_000 if t < 80 else 84_500) for t in range(90)]
    passed, report = soak_memory.verdict(samples, 90, 0.05)
    assert not passed
    assert "grew 5.62%" in report


def test_no_samples_in_a_window_fails(tmp_path):
    done = run(tmp_path, [f"{t} 50000 50000" for t in range(40)], 90)
    assert done.returncode == 1
    assert "no samples" in done.stdout


@pytest.mark.parametrize("args", [[], ["x"], ["rss.txt", "ninety"], ["rss.txt", "90", "-1"]])
def test_bad_arguments_exit_2(tmp_path, args):
    (tmp_path / "rss.txt").write_text("0 1\n")
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          check=False, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr
