#!/usr/bin/env python3
"""Compare two versions of a pack on a labelled file: the figures, and every item that changed.

    python examples/python/compare_packs.py OLD_PACK NEW_PACK LABELLED_FILE [--mode query|post]

LABELLED_FILE is the TSV of tests/data/eval (label<TAB>locale<TAB>text) or JSON Lines with "label"
and "text". The report shows precision and recall for both versions, overall and per language,
then the items whose answer changed:

    fixed    wrong before, right now
    broken   right before, wrong now
    changed  still right (or still wrong) but with another action or category

Exit status: 0, or 1 when some item is broken (handy as a pre-merge check).
"""

from __future__ import annotations

import argparse
import sys

import signpost
from signpost.analysis import evaluate_labelled, read_labelled


def fmt(x):
    return "   -  " if x is None else f"{x:6.3f}"


def delta(a, b):
    if a is None or b is None:
        return ""
    d = b - a
    return f"{d:+.3f}" if abs(d) >= 0.0005 else "="


def answer(o):
    return o.action + (f" ({o.category})" if o.action != "none" and o.category else "")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("old_pack")
    p.add_argument("new_pack")
    p.add_argument("labelled")
    p.add_argument("--mode", choices=("query", "post"), default="query")
    args = p.parse_args(argv)

    try:
        old_engine = signpost.Engine.load(args.old_pack)
        new_engine = signpost.Engine.load(args.new_pack)
    except signpost.ConfigError as e:
        print(e, file=sys.stderr)
        return 2
    items = read_labelled(args.labelled)
    old = evaluate_labelled(old_engine, items, mode=args.mode)
    new = evaluate_labelled(new_engine, items, mode=args.mode)

    print(f"{len(items)} labelled items from {args.labelled}, mode {args.mode}")
    print(f"old: {old_engine.pack.name} {old_engine.pack.version} ({old_engine.pack.hash[:19]})")
    print(f"new: {new_engine.pack.name} {new_engine.pack.version} ({new_engine.pack.hash[:19]})")
    print()
    print(f"{'':<14}{'precision':>22}{'':>9}{'recall':>19}")
    print(f"{'':<14}{'old':>8}{'new':>8}{'':>9}{'old':>8}{'new':>8}")

    def row(name, a, b):
        print(f"{name:<14}{fmt(a.precision):>8}{fmt(b.precision):>8}{delta(a.precision, b.precision):>9}"
              f"{fmt(a.recall):>8}{fmt(b.recall):>8}{delta(a.recall, b.recall):>9}")

    row("overall", old.overall, new.overall)
    for lang in sorted(set(old.by_language) | set(new.by_language)):
        empty = type(old.overall)()
        row(f"  {lang}", old.by_language.get(lang, empty), new.by_language.get(lang, empty))

    groups = {"fixed": [], "broken": [], "changed": []}
    for a, b in zip(old.outcomes, new.outcomes):
        if (a.action, a.category) == (b.action, b.category):
            continue
        if not a.correct and b.correct:
            groups["fixed"].append((a, b))
        elif a.correct and not b.correct:
            groups["broken"].append((a, b))
        else:
            groups["changed"].append((a, b))

    print()
    if not any(groups.values()):
        print("no item changed")
    for name, pairs in groups.items():
        if not pairs:
            continue
        print(f"{name} ({len(pairs)}):")
        for a, b in pairs:
            it = a.item
            where = f"line {it.line}" if it.line else ""
            print(f"  {where:>9}  {it.label} {it.locale or '-':<4} {it.text!r}: {answer(a)} -> {answer(b)}")
    return 1 if groups["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
