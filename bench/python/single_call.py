#!/usr/bin/env python3
"""The Python binding's own cost: one ``evaluate`` call, and ``evaluate_many`` on 1 and 2 threads.

    python bench/python/single_call.py --texts FILE [--pack DIR] [--passes 20] [--many 20000]

FILE holds one text per line as ``locale<TAB>text`` or ``label<TAB>locale<TAB>text`` (the format of
tests/data/eval/dev-queries.tsv; ``#`` lines are skipped), the same file ``signpost-bench --profile
texts --texts FILE`` reads, so that the two per-call figures are over the same texts and pack.
scripts/bench-hosts.sh runs both in one go.

Printed (one ``key value`` per line, times in ns per text):

- ``evaluate_ns``: ``engine.evaluate(text, locale)`` from a Python loop, each call on a fresh str
  (so its UTF-8 form is not cached), the median over passes of the mean per call;
- ``evaluate_gil_ns``: the same with the GIL released around every call, whatever the text's length
  (evaluate() releases it only for texts of 512 bytes or more): what releasing it costs;
- ``loop_ns``: the same loop calling a C function that does nothing with the text (``len``): what
  the Python loop itself costs, to take away from the above;
- ``many1_ns`` / ``many2_ns``: ``evaluate_many(texts, threads=1)`` and ``threads=2`` over
  --many texts, per text, best of --repeat, with ``many_speedup`` their ratio (the call alone: the
  returned list is freed after the clock is read), ``many1_freed_ns`` / ``many2_freed_ns`` /
  ``many_speedup_freed`` the same with the freeing of the result timed too,
  ``many_plain1_ns`` / ``many_plain2_ns`` / ``many_plain_speedup`` the call alone over as many
  texts the pack leaves alone (the texts of FILE whose action is "none", repeated; decisions
  without cards), and
  ``sha256_speedup``: the machine's own 2-thread ratio on a CPU-bound job in the same run
  (hashlib releases the GIL), the ceiling for the 2-thread figure on a shared machine.

A benchmark, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import signpost


def read_texts(path: Path):
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        pairs.append((cols[-2] if len(cols) >= 2 else "", cols[-1]))
    return pairs


def fresh(s: str) -> str:
    # A new str object with the same characters and no cached UTF-8 form.
    return (s + "\x00")[:-1]


def per_call(engine, pairs, passes: int) -> tuple[float, float, "float | None"]:
    """Median over passes of the mean ns per call: evaluate() as built, evaluate() with the GIL
    released on every call (None when the module cannot say), and the bare loop. Within a pass the
    variants alternate in order, so that neither always runs on the warmer cache."""
    ev = engine.evaluate
    release = getattr(signpost._core, "_set_release_gil_bytes", None)
    default = release(0) if release is not None else None
    if release is not None:
        release(default)
    means, gils, loops = [], [], []

    def timed(call) -> float:
        batch = [(fresh(t), loc) for loc, t in pairs]
        t0 = time.perf_counter_ns()
        for t, loc in batch:
            call(t, loc)
        return (time.perf_counter_ns() - t0) / len(batch)

    try:
        for k in range(passes):
            order = ("built", "gil") if k % 2 == 0 else ("gil", "built")
            for what in order:
                if what == "built":
                    means.append(timed(ev))
                elif release is not None:
                    release(0)
                    try:
                        gils.append(timed(ev))
                    finally:
                        release(default)
            batch = [(fresh(t), loc) for loc, t in pairs]
            t0 = time.perf_counter_ns()
            for t, loc in batch:
                len(t)
            loops.append((time.perf_counter_ns() - t0) / len(batch))
    finally:
        if release is not None:
            release(default)
    return statistics.median(means), statistics.median(loops), (statistics.median(gils) if gils else None)


def many(engine, texts, threads: int, repeat: int) -> tuple[float, float]:
    """Best of `repeat`, ns per text: the call alone, and the call with the freeing of its result.

    The result (a list of Decisions, each owning its cards) is freed after the first clock read: a
    host keeps the decisions for a while and frees them later, on one thread, whatever the number
    of threads that made them. The second figure adds that freeing, as the earlier benchmark timed
    it (the statement ``engine.evaluate_many(batch)`` drops its result before the clock is read).
    """
    best = best_freed = float("inf")
    for _ in range(repeat):
        batch = [fresh(t) for t in texts]
        t0 = time.perf_counter_ns()
        out = engine.evaluate_many(batch, threads=threads)
        t1 = time.perf_counter_ns()
        del out
        t2 = time.perf_counter_ns()
        best = min(best, (t1 - t0) / len(batch))
        best_freed = min(best_freed, (t2 - t0) / len(batch))
    return best, best_freed


def sha_ratio(repeat: int) -> float:
    data = b"x" * (1 << 20)

    def job(_):
        for _ in range(64):
            hashlib.sha256(data).digest()

    def run(threads: int) -> float:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(threads) as ex:
                list(ex.map(job, range(2)))
            best = min(best, time.perf_counter() - t0)
        return best

    return run(1) / run(2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, required=True)
    ap.add_argument("--pack", type=Path, default=None, help="pack folder (default: the packaged default pack)")
    ap.add_argument("--passes", type=int, default=20)
    ap.add_argument("--many", type=int, default=20000, help="texts per evaluate_many call")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    pairs = read_texts(a.texts)
    engine = signpost.Engine.load(a.pack) if a.pack else signpost.Engine.load()
    for loc, t in pairs:  # warm-up
        engine.evaluate(t, loc)
    ev, loop, ev_gil = per_call(engine, pairs, a.passes)
    texts = [pairs[i % len(pairs)][1] for i in range(a.many)]
    (m1, m1f), (m2, m2f) = many(engine, texts, 1, a.repeat), many(engine, texts, 2, a.repeat)
    # The same batch size of texts the pack leaves alone (their decisions hold no card): what the
    # batch scales to when the decisions allocate next to nothing.
    plain = [t for t in texts if engine.evaluate(t).action == "none"]
    if plain:
        plain = [plain[i % len(plain)] for i in range(a.many)]
    else:
        plain = [" ".join(["the", "house", "garden", "music", "river"][(i + k) % 5] for k in range(5)) for i in range(a.many)]
    p1, p2 = many(engine, plain, 1, a.repeat)[0], many(engine, plain, 2, a.repeat)[0]
    print(f"texts {len(pairs)}")
    print(f"evaluate_ns {ev:.0f}")
    if ev_gil is not None:
        print(f"evaluate_gil_ns {ev_gil:.0f}")
    print(f"loop_ns {loop:.0f}")
    print(f"many1_ns {m1:.0f}")
    print(f"many2_ns {m2:.0f}")
    print(f"many_speedup {m1 / m2:.2f}")
    print(f"many1_freed_ns {m1f:.0f}")
    print(f"many2_freed_ns {m2f:.0f}")
    print(f"many_speedup_freed {m1f / m2f:.2f}")
    print(f"many_plain1_ns {p1:.0f}")
    print(f"many_plain2_ns {p2:.0f}")
    print(f"many_plain_speedup {p1 / p2:.2f}")
    print(f"sha256_speedup {sha_ratio(a.repeat):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
