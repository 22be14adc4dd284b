#!/usr/bin/env python3
"""Scan a file of queries with a pack and print what it would do, language by language.

    python examples/python/scan_report.py [--pack DIR] [--mode query|post] [--locale L] FILE

FILE holds one item per line, in any of the formats the tools read: a plain text line, a JSON
object with "text" (and "locale"), or the labelled TSV of tests/data/eval (label<TAB>locale<TAB>text;
the label is ignored here). Lines starting with '#' are skipped.

For each language (the item's locale; "-" when it has none) the report gives the number of
texts, how many got an intervention, the split by action and the categories that fired most.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict

import signpost
from signpost.analysis import language_of

ACTIONS = ("redirect", "interstitial", "annotate")


def read_items(path: str, default_locale: str):
    """(text, locale) for every item of the file."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.lstrip().startswith("{"):
                obj = json.loads(line)
                yield obj.get("text", ""), obj.get("locale") or default_locale
                continue
            parts = line.split("\t", 2)
            if len(parts) == 3 and parts[0] in ("R", "A", "H"):
                yield parts[2], parts[1] or default_locale
            else:
                yield line, default_locale


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pack", help="pack folder (default: the default pack)")
    p.add_argument("--mode", choices=("query", "post"), default="query")
    p.add_argument("--locale", default="", help="locale of items that do not give one")
    p.add_argument("--top", type=int, default=3, help="categories listed per language")
    p.add_argument("file")
    args = p.parse_args(argv)

    engine = signpost.Engine.load(args.pack)
    items = list(read_items(args.file, args.locale))
    start = time.perf_counter()
    decisions = engine.evaluate_many([t for t, _ in items], locale=[l for _, l in items], mode=args.mode)
    elapsed = time.perf_counter() - start

    texts = Counter()
    acted = Counter()
    actions = defaultdict(Counter)
    categories = defaultdict(Counter)
    for (text, locale), d in zip(items, decisions):
        lang = language_of(locale)
        texts[lang] += 1
        if d.action != "none":
            acted[lang] += 1
            actions[lang][d.action] += 1
            categories[lang][d.category] += 1

    pack = engine.pack
    print(f"{len(items)} texts from {args.file}, pack {pack.name} {pack.version}, mode {args.mode}, "
          f"{elapsed * 1000:.1f} ms")
    print()
    header = f"{'language':<10}{'texts':>7}{'acted':>7}{'share':>8}" + "".join(f"{a:>14}" for a in ACTIONS)
    print(header + "  top categories")

    def row(name, n, k, by_action, cats):
        share = f"{100.0 * k / n:.1f}%" if n else "-"
        top = ", ".join(f"{c} ({x})" for c, x in cats.most_common(args.top)) or "-"
        return (f"{name:<10}{n:>7}{k:>7}{share:>8}" + "".join(f"{by_action[a]:>14}" for a in ACTIONS)
                + f"  {top}")

    for lang in sorted(texts, key=lambda x: (-texts[x], x)):
        print(row(lang, texts[lang], acted[lang], actions[lang], categories[lang]))
    print(row("all", sum(texts.values()), sum(acted.values()), sum(actions.values(), Counter()),
              sum(categories.values(), Counter())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
