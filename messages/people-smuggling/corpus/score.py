#!/usr/bin/env python3
"""Score a pack on corpus files, by language and by phenomenon.

Usage:
    score.py [--pack DIR] [--signpost BIN] [--errors] [--skip-unsure] [--json | --markdown] [FILE.jsonl ...]
    score.py --obfuscations [--pack DIR] [--signpost BIN] [FILE.jsonl ...]

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

--obfuscations disguises every item with the classes of tests/unit/test_default_pack.cpp (case,
full width, leetspeak, Cyrillic look-alikes, invisible characters, the longest word with a letter spelled with
spaces or dots, repeated letters, accents added) and prints, per class, the share of detected R
items still detected, and the A items flagged and H items warned once disguised.
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


def _leet(s: str) -> str:
    out, in_word = [], 0
    for i, c in enumerate(s):
        if c == " ":
            in_word = 0
            out.append(c)
            continue
        sub = {"a": "4" if i % 2 else "@", "e": "3", "o": "0", "s": "5" if i % 2 else "$", "i": "1"}.get(c)
        if sub and in_word < 2:
            out.append(sub)
            in_word += 1
        else:
            out.append(c)
    return "".join(out)


def _spaced(s: str, sep: str) -> str:
    # The longest word that has a letter (strings of emoji are not spelled out).
    words = s.split(" ")
    lettered = [i for i in range(len(words)) if any(c.isalpha() for c in words[i])]
    if not lettered:
        return s
    k = max(lettered, key=lambda i: len(words[i]))
    words[k] = sep.join(words[k])
    return " ".join(words)


OBFUSCATIONS = {
    "upper case": str.upper,
    "full width": lambda s: "".join(chr(0xFF01 + ord(c) - 33) if "!" <= c <= "~" else c for c in s),
    "leetspeak": _leet,
    "Cyrillic look-alikes": lambda s: s.translate(str.maketrans({"a": "\u0430", "o": "\u043e", "e": "\u0435", "p": "\u0440", "c": "\u0441"})),
    "invisible characters": lambda s: "".join(c + (["\u200b", "\u200d", "\u00ad", "\u2060"][i % 4] if c != " " and i % 3 == 1 else "")
                                              for i, c in enumerate(s)),
    "spaced letters": lambda s: _spaced(s, " "),
    "dotted letters": lambda s: _spaced(s, "."),
    "repeated letters": lambda s: "".join(c * 3 if c in "aos" else c for c in s),
    "accents added": lambda s: s.translate(str.maketrans({"a": "\u00e0", "e": "\u00e9", "o": "\u00f4"})),
}


def obfuscations(signpost: str, pack: str, files: list[str]) -> None:
    batches = []
    for path in files:
        mode = "post" if os.path.basename(path).startswith("posts") else "query"
        with open(path, encoding="utf-8") as fh:
            batches.append((mode, [json.loads(line) for line in fh if line.strip()]))
    base = [[d.get("action") for d in judge(signpost, pack, mode, items)] for mode, items in batches]
    print("| class | R detections kept | A flagged | H warned |\n| --- | --- | --- | --- |")
    for name, disguise in OBFUSCATIONS.items():
        kept = detected = flagged = warned = 0
        for (mode, items), before in zip(batches, base):
            disguised = [dict(it, text=disguise(it["text"])) for it in items]
            after = [d.get("action") for d in judge(signpost, pack, mode, disguised)]
            for it, b, a in zip(items, before, after):
                if it["label"] == "R" and b != "none":
                    detected += 1
                    kept += a != "none"
                flagged += it["label"] == "A" and a != "none"
                warned += it["label"] == "H" and a in WARN
        print(f"| {name} | {kept}/{detected} ({kept / detected:.3f}) | {flagged} | {warned} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*")
    ap.add_argument("--pack", default=os.path.dirname(HERE))
    ap.add_argument("--signpost", default=os.environ.get("SIGNPOST") or shutil.which("signpost") or "signpost")
    ap.add_argument("--errors", action="store_true", help="list the items answered wrongly")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--markdown", action="store_true", help="print the figures as Markdown tables")
    ap.add_argument("--obfuscations", action="store_true", help="figures on disguised items, by class")
    ap.add_argument("--skip-unsure", action="store_true", help="leave out items marked unsure")
    args = ap.parse_args()

    files = args.files or sorted(os.path.join(HERE, "dev", f) for f in os.listdir(os.path.join(HERE, "dev"))
                                 if f.endswith(".jsonl"))
    if args.obfuscations:
        obfuscations(args.signpost, args.pack, files)
        return 0
    groups: dict[str, dict[str, dict[str, Tally]]] = {}
    errors = []
    for path in files:
        name = os.path.basename(path)
        mode = "post" if name.startswith("posts") else "query"
        with open(path, encoding="utf-8") as fh:
            items = [json.loads(line) for line in fh if line.strip()]
        if args.skip_unsure:
            items = [it for it in items if not it.get("unsure")]
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
