#!/usr/bin/env python3
"""How often a pack flags ordinary text that has nothing to do with smuggling.

Usage:
    background.py [--pack DIR] [--signpost BIN] [--queries N] [--seed S] [--show]

Builds, from a fixed seed, N queries per language of 2 to 5 words drawn uniformly from the
word-frequency lists of bench/data/words/ (en, fr, ar, fa, tr, vi; the 3,000 most frequent
words of each, from the wordfreq package: see bench/data/README.md), and reads the paragraphs of
bench/data/prose/ (public-domain prose) in post mode. Every text is judged by `signpost scan`,
and the script prints how many of each got an intervention. None of these texts is about
smuggling, so every flag is a false positive; random word salads are a harsher test than real
searches, since they put unrelated words side by side. --show prints the flagged texts, which
are ordinary words and book paragraphs, not anything a user typed.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import shutil

from score import judge  # the same `signpost scan` call the corpus figures use

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
LANGUAGES = ("en", "fr", "ar", "fa", "tr", "vi")


def word_queries(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for lang in LANGUAGES:
        path = os.path.join(ROOT, "bench", "data", "words", f"{lang}.txt")
        with open(path, encoding="utf-8") as f:
            words = [w.strip() for w in f if w.strip()]
        for _ in range(count):
            n = rng.randint(2, 5)
            items.append({"text": " ".join(rng.choice(words) for _ in range(n)), "locale": lang})
    return items


def paragraphs() -> list[dict]:
    folder = os.path.join(ROOT, "bench", "data", "prose")
    items = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for block in f.read().split("\n\n"):
                text = " ".join(block.split())
                if text:
                    items.append({"text": text, "locale": "en"})
    return items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pack", default=os.path.dirname(HERE))
    ap.add_argument("--signpost", default=os.environ.get("SIGNPOST") or shutil.which("signpost") or "signpost")
    ap.add_argument("--queries", type=int, default=5000, help="queries per language (default 5000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", action="store_true", help="print the flagged texts")
    args = ap.parse_args()
    for name, mode, items in (("word queries", "query", word_queries(args.queries, args.seed)),
                              ("prose paragraphs", "post", paragraphs())):
        actions = [d.get("action", "error") for d in judge(args.signpost, args.pack, mode, items)]
        flagged = [(it, a) for it, a in zip(items, actions) if a != "none"]
        by_lang = collections.Counter(it["locale"] for it, _ in flagged)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(by_lang.items())) or "none"
        print(f"{name}: {len(flagged)} of {len(items)} flagged ({len(flagged) / max(len(items), 1):.4f}; {detail})")
        if args.show:
            for it, a in flagged:
                print(f"  [{a}] {it['locale']}: {it['text'][:200]}")


if __name__ == "__main__":
    main()
