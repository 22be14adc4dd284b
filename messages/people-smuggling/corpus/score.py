#!/usr/bin/env python3
"""Score a pack on corpus files, by language and by phenomenon.

Usage:
    score.py [--pack DIR] [--signpost BIN] [--errors] [--json | --markdown] [FILE.jsonl ...]

Each FILE is JSON Lines in the corpus format (README.md): label R/A/H, locale, text,
phenomenon. Files named queries-*.jsonl are judged in query mode, posts-*.jsonl in post mode.
Without FILE, every file of dev/ next to this script is scored (never heldout/: score it
explicitly, once).

The texts are judged by `signpost scan` (one process per file), so the figures are those of
the engine itself. Figures:
  recall   R items that got any intervention / R items
  fp       A items that got any intervention / A items (the false-positive rate)
  h_bad    H items that got an interstitial or a redirect (must be 0)
  ok       items answered right (R: any action; A: none; H: neither interstitial nor redirect)
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WARN = {"interstitial", "redirect"}


def judge(signpost: str, pack: str, mode: str, items: list[dict]) -> list[dict]:
    lines = [json.dumps({"id": str(i), "text": it["text"], "locale": it.get("locale") or "", "mode": mode},
                        ensure_ascii=False) for i, it in enumerate(items)]
    proc = subprocess.run([signpost, "scan", "--pack", pack, "--quiet", "-"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=False)
    if proc.returncode == 2:
        sys.exit(f"signpost scan failed: {proc.stderr.strip()}")
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(out) != len(items):
        sys.exit(f"signpost scan returned {len(out)} decisions for {len(items)} items")
    return out


def right(label: str, action: str) -> bool:
    if label == "R":
        return action != "none"
    if label == "A":
        return action == "none"
    return action not in WARN


class Tally:
    def __init__(self) -> None:
        self.c = collections.Counter()

    def add(self, label: str, action: str) -> None:
        self.c["n"] += 1
        self.c[label] += 1
        if label == "R" and action != "none":
            self.c["R_hit"] += 1
        if label == "A" and action != "none":
            self.c["A_hit"] += 1
        if label == "H" and action in WARN:
            self.c["H_bad"] += 1
        if right(label, action):
            self.c["ok"] += 1

    def figures(self) -> dict:
        c = self.c
        return {
            "n": c["n"], "R": c["R"], "A": c["A"], "H": c["H"],
            "recall": c["R_hit"] / c["R"] if c["R"] else None,
            "fp": c["A_hit"] / c["A"] if c["A"] else None,
            "h_bad": c["H_bad"],
            "ok": c["ok"] / c["n"] if c["n"] else None,
        }


def fmt(x) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def table(title: str, rows: dict[str, Tally]) -> str:
    out = [f"{title:<22} {'items':>5} {'R':>4} {'A':>4} {'H':>4} {'recall':>6} {'fp':>6} {'h_bad':>5} {'ok':>6}"]
    for key in sorted(rows, key=lambda k: (k != "all", k)):
        f = rows[key].figures()
        out.append(f"  {key:<20} {f['n']:>5} {f['R']:>4} {f['A']:>4} {f['H']:>4} {fmt(f['recall'])} {fmt(f['fp'])} "
                   f"{f['h_bad']:>5} {fmt(f['ok'])}")
    return "\n".join(out)


def markdown(title: str, rows: dict[str, Tally]) -> str:
    out = [f"| {title} | items | R | A | H | recall | FP rate | H warned |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for key in sorted(rows, key=lambda k: (k == "all", k)):
        f = rows[key].figures()
        rec = "–" if f["recall"] is None else f"{f['recall']:.3f}"
        fp = "–" if f["fp"] is None else f"{f['fp']:.3f}"
        out.append(f"| {'**all**' if key == 'all' else key} | {f['n']} | {f['R']} | {f['A']} | {f['H']} | {rec} | {fp} | {f['h_bad']} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--pack", default=os.path.dirname(HERE))
    ap.add_argument("--signpost", default=os.environ.get("SIGNPOST") or shutil.which("signpost") or "signpost")
    ap.add_argument("--errors", action="store_true", help="list the items answered wrongly")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--markdown", action="store_true", help="print the figures as Markdown tables")
    args = ap.parse_args()

    files = args.files or sorted(os.path.join(HERE, "dev", f) for f in os.listdir(os.path.join(HERE, "dev"))
                                 if f.endswith(".jsonl"))
    groups: dict[str, dict[str, dict[str, Tally]]] = {}
    errors = []
    for path in files:
        name = os.path.basename(path)
        mode = "post" if name.startswith("posts") else "query"
        with open(path, encoding="utf-8") as fh:
            items = [json.loads(line) for line in fh if line.strip()]
        decisions = judge(args.signpost, args.pack, mode, items)
        g = groups.setdefault(mode, {"language": collections.defaultdict(Tally),
                                     "phenomenon": collections.defaultdict(Tally),
                                     "label": collections.defaultdict(Tally)})
        for it, d in zip(items, decisions):
            action = d.get("action", "error")
            label = it["label"]
            for key, val in (("language", it.get("locale") or "?"), ("phenomenon", it.get("phenomenon") or "?"),
                             ("label", label)):
                g[key][val].add(label, action)
            g["language"]["all"].add(label, action)
            if not right(label, action):
                errors.append((mode, label, it.get("locale"), it.get("phenomenon"), action, d.get("category"),
                               it["text"]))

    if args.markdown:
        for mode, g in groups.items():
            print(f"{mode}s, by language:\n")
            print(markdown("language", g["language"]))
            print(f"\n{mode}s, by phenomenon:\n")
            print(markdown("phenomenon", g["phenomenon"]))
            print()
    elif args.json:
        print(json.dumps({mode: {k: {key: t.figures() for key, t in v.items()} for k, v in g.items()}
                          for mode, g in groups.items()}, ensure_ascii=False, indent=1))
    else:
        for mode, g in groups.items():
            print(f"== {mode} ==")
            print(table("by language", g["language"]))
            print(table("by phenomenon", g["phenomenon"]))
            print()
    if args.errors:
        for e in errors:
            print("\t".join(str(x) for x in e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
