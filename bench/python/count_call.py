#!/usr/bin/env python3
"""Instructions one ``engine.evaluate(text, locale)`` call costs from Python, counted by callgrind.

    python bench/python/count_call.py --texts FILE [--pack DIR]

Runs this script under ``valgrind --tool=callgrind`` four times: a loop of ``evaluate`` calls over
the texts of FILE (the format single_call.py reads) with 10 and with 30 passes, and the same loop
calling ``len`` instead. Each figure is the difference between the 30-pass and the 10-pass run
divided by the extra calls, so loading the pack and starting Python cancel out. Printed per call:

- ``total``: everything the loop does for one call (the interpreter, the binding, the engine, and
  freeing the Decision when the next one replaces it);
- ``engine``: ``signpost::Engine::evaluate`` inclusive (what the C++ benchmark times);
- ``loop``: the same loop calling ``len`` (the interpreter's share);
- ``binding``: total - engine - loop: what the binding adds, freeing the Decision included (about
  1,100 instructions of that are the C++ ``Decision``'s own destructor, which a C++ caller pays
  too).

Instruction counts are deterministic, so two builds can be compared on a busy machine. Needs
valgrind (Debian: ``valgrind``). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

EXTRA_PASSES = 20


def loop(passes: int, pack, texts: Path, use_len: bool) -> None:
    import signpost

    pairs = []
    for line in texts.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            pairs.append((cols[-2] if len(cols) >= 2 else "", cols[-1]))
    engine = signpost.Engine.load(pack) if pack else signpost.Engine.load()
    for loc, t in pairs:  # warm-up: per-thread scratch, interned strings
        engine.evaluate(t, loc)
    batches = [[((t + "\x00")[:-1], loc) for loc, t in pairs] for _ in range(passes)]
    ev = engine.evaluate
    if use_len:
        for b in batches:
            for t, loc in b:
                len(t)
    else:
        for b in batches:
            for t, loc in b:
                ev(t, loc)


def counts(out: Path, functions: list[str]) -> dict[str, int]:
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
                          capture_output=True, text=True, check=True).stdout
    found = {}
    m = re.search(r"^\s*([\d,]+)\s.*PROGRAM TOTALS", text, re.M)
    found["total"] = int(m.group(1).replace(",", ""))
    for name in functions:
        # The function's inclusive count: the largest of the lines that name it (callgrind also
        # lists the inlined copies and the call sites).
        found[name] = max((int(line.split()[0].replace(",", "")) for line in text.splitlines()
                           if name in line and "[" in line and not line.lstrip().startswith("=>")), default=0)
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=Path, required=True)
    ap.add_argument("--pack", type=Path, default=None)
    ap.add_argument("--loop", nargs=2, metavar=("PASSES", "KIND"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.loop:
        loop(int(a.loop[0]), a.pack, a.texts, a.loop[1] == "len")
        return 0
    n_texts = sum(1 for line in a.texts.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    engine_fn = "signpost::Engine::evaluate(signpost::Query const&) const"
    env = dict(os.environ, PYTHONHASHSEED="0")  # str hashes change the interpreter's counts
    per_call = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("evaluate", "len"):
            runs = []
            for passes in (10, 10 + EXTRA_PASSES):
                out = Path(tmp) / f"{kind}.{passes}.out"
                cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
                       "--texts", str(a.texts), "--loop", str(passes), kind]
                if a.pack:
                    cmd += ["--pack", str(a.pack)]
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                runs.append(counts(out, [engine_fn]))
            calls = EXTRA_PASSES * n_texts
            per_call[kind] = {k: (runs[1][k] - runs[0][k]) / calls for k in runs[0]}
    ev, ln = per_call["evaluate"], per_call["len"]
    binding = ev["total"] - ev[engine_fn] - ln["total"]
    print(f"texts {n_texts}")
    print(f"total {ev['total']:.0f}")
    print(f"engine {ev[engine_fn]:.0f}")
    print(f"loop {ln['total']:.0f}")
    print(f"binding {binding:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
