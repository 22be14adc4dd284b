#!/usr/bin/env python3
"""Train a pack classifier (docs/pack-format.md, "Classifiers") from labelled corpus files.

Usage:
    scripts/train-classifier.py --signpost BIN --pack DIR --id ID --out FILE.yaml
        [--threshold P] [--buckets N] [--features bytes|words] [--ngrams MIN MAX] [--c C] [--positive R] [--trained-on TEXT]
        [--background N [--words DIR] [--seed S]] FILE.jsonl ...

Each FILE is JSON Lines in the corpus format (messages/people-smuggling/corpus/README.md): label
R (risky), A (not risky) or H (help or distress), locale, text; the classifier finds the labels of
--positive (R by default: A and H are what it must leave alone). With --background N, N ordinary
queries per word list (random words side by side) are added as negatives: without them a classifier
trained on texts that are all about the subject takes any short text for it. Files
named posts-*.jsonl are posts, the others queries. Texts are normalized by the engine itself
(`signpost explain --input`, one process for all), so that the classifier sees the text as the
matcher does, whatever the disguise. The features are the definition of
sdk/src/classify/text_classifier.hpp: with --features bytes (the default), the byte n-grams of
" " + normalized + " "; with --features words, the words of the normalized text and each pair of
neighbouring words. They are hashed into `buckets`, each counted and divided by the square root of
the number of features, plus one bias per mode. A logistic regression (scikit-learn) is fitted, its
weights rounded to int8 with one scale, and the classifier written as a pack file with the
probabilities checked against the rounded weights.

Needs numpy, scipy and scikit-learn (pip install scikit-learn).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys

MIX = 0x9E3779B97F4A7C15
MASK64 = (1 << 64) - 1


def bucket_of(n_bytes: bytes, buckets: int) -> int:
    """The bucket of an n-gram: its bytes as a little-endian integer, plus n, times MIX (64 bits),
    the top log2(buckets) bits."""
    bits = buckets.bit_length() - 1
    v = int.from_bytes(n_bytes, "little")
    return (((v + len(n_bytes)) * MIX) & MASK64) >> (64 - bits)


def word_hash(word: bytes) -> int:
    """A word's hash: its length, then per eight-byte chunk (little-endian, zero-padded) xor, times
    MIX (64 bits), and the high half xored into the low."""
    h = len(word)
    for i in range(0, len(word), 8):
        h = ((h ^ int.from_bytes(word[i:i + 8], "little")) * MIX) & MASK64
        h ^= h >> 32
    return h


def word_bucket(h: int, buckets: int) -> int:
    """The bucket of a word of hash h: the top log2(buckets) bits of h times MIX."""
    return ((h * MIX) & MASK64) >> (64 - (buckets.bit_length() - 1))


def pair_bucket(a: int, b: int, buckets: int) -> int:
    """The bucket of the pair of words of hashes a then b: a rotated left by 31, xor b, plus 1."""
    rotated = ((a << 31) | (a >> 33)) & MASK64
    return word_bucket(((rotated ^ b) + 1) & MASK64, buckets)


def word_counts(normalized: str, buckets: int) -> tuple[dict[int, int], int]:
    """The bucket counts of a normalized text's words and pairs of neighbouring words, and their
    number. Words are the runs of bytes between ASCII spaces."""
    words = [w for w in normalized.encode("utf-8", "surrogateescape").split(b" ") if w]
    counts: dict[int, int] = {}
    prev = None
    for w in words:
        h = word_hash(w)
        keys = [word_bucket(h, buckets)]
        if prev is not None:
            keys.append(pair_bucket(prev, h, buckets))
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        prev = h
    return counts, max(0, 2 * len(words) - 1)


def feature_counts(normalized: str, model: dict) -> tuple[dict[int, int], int]:
    """The bucket counts and number of features of a text, by the model's kind of features."""
    if model.get("features", "bytes") == "words":
        return word_counts(normalized, model["buckets"])
    return ngram_counts(normalized, model["nmin"], model["nmax"], model["buckets"])


def ngram_counts(normalized: str, nmin: int, nmax: int, buckets: int) -> tuple[dict[int, int], int]:
    """The bucket counts of a normalized text's n-grams, and the number of n-grams."""
    s = b" " + normalized.encode("utf-8", "surrogateescape") + b" "
    counts: dict[int, int] = {}
    total = 0
    for n in range(nmin, nmax + 1):
        for i in range(len(s) - n + 1):
            k = bucket_of(s[i:i + n], buckets)
            counts[k] = counts.get(k, 0) + 1
            total += 1
    return counts, total


def logit(normalized: str, mode: str, model: dict) -> float:
    """The classifier's logit, as the engine computes it (for checks and tests)."""
    counts, total = feature_counts(normalized, model)
    bias = model["bias_post"] if mode == "post" else model["bias_query"]
    if total == 0:
        return bias
    s = sum(model["weights"][k] * c for k, c in counts.items())
    return bias + model["scale"] * s / math.sqrt(total)


def normalize_all(signpost: str, pack: str, items: list[dict]) -> list[str]:
    lines = [json.dumps({"text": it["text"], "locale": it.get("locale") or "", "mode": it["mode"]}, ensure_ascii=False)
             for it in items]
    proc = subprocess.run([signpost, "explain", "--pack", pack, "--input", "-"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"signpost explain failed: {proc.stderr.strip()}")
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(out) != len(items):
        sys.exit(f"signpost explain returned {len(out)} explanations for {len(items)} texts")
    return [o.get("normalized", "") for o in out]


def read_items(paths: list[str]) -> list[dict]:
    items = []
    for p in paths:
        mode = "post" if os.path.basename(p).startswith("posts") else "query"
        with open(p, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                it = json.loads(line)
                if it.get("label") not in ("R", "A", "H") or not isinstance(it.get("text"), str):
                    sys.exit(f"{p}:{n}: needs a label R, A or H and a text")
                it["mode"] = mode
                items.append(it)
    return items


def background_items(folder: str, per_list: int, seed: int) -> list[dict]:
    """Ordinary queries as negatives: words of frequency lists side by side, which no advert is.
    Only every second word of each list is drawn (the words at odd ranks), so that a measure on the
    whole lists (corpus/background.py) also reads words the classifier never saw."""
    if per_list <= 0:
        return []
    rng = random.Random(seed)
    items = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            words = [w.strip() for w in f if w.strip()][1::2]
        for _ in range(per_list):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
            items.append({"label": "A", "locale": name[:-4], "text": text, "mode": "query"})
    return items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--signpost", required=True, help="the signpost command-line tool")
    ap.add_argument("--pack", required=True, help="a pack the tool can load (for the normalizer)")
    ap.add_argument("--id", required=True, help="the classifier's id in the pack")
    ap.add_argument("--out", required=True, help="the pack file to write")
    ap.add_argument("--description", default="")
    ap.add_argument("--trained-on", default="", help="what it was trained on, written into the file")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--buckets", type=int, default=65536)
    ap.add_argument("--features", choices=("bytes", "words"), default="bytes",
                    help="byte n-grams (with --ngrams) or words and pairs of words")
    ap.add_argument("--ngrams", type=int, nargs=2, default=None, metavar=("MIN", "MAX"),
                    help="the n-gram lengths of --features bytes (default 3 5)")
    ap.add_argument("--c", type=float, default=4.0, help="inverse regularization strength")
    ap.add_argument("--positive", default="R", help="the labels the classifier finds (R, H, or both: RH)")
    ap.add_argument("--background", type=int, default=0, metavar="N",
                    help="add N negative queries per word list of --words: 1 to 5 words drawn at random")
    ap.add_argument("--words", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "data",
                                                    "words"),
                    help="folder of word lists, one word per line (default: bench/data/words); every second word is used")
    ap.add_argument("--seed", type=int, default=11, help="seed of the background queries")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    if a.buckets < 256 or a.buckets > 1 << 20 or a.buckets & (a.buckets - 1):
        sys.exit("--buckets must be a power of two from 256 to 1048576")
    if a.features == "words" and a.ngrams is not None:
        sys.exit("--ngrams is for --features bytes (words has no n-gram lengths)")

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    items = read_items(a.files) + background_items(a.words, a.background, a.seed)
    norms = normalize_all(a.signpost, a.pack, items)
    nmin, nmax = a.ngrams or (3, 5)
    kind = {"features": a.features, "nmin": nmin, "nmax": nmax, "buckets": a.buckets}
    rows, cols, vals = [], [], []
    for r, (it, norm) in enumerate(zip(items, norms)):
        counts, total = feature_counts(norm, kind)
        sc = 1.0 / math.sqrt(total) if total else 0.0
        for k, c in counts.items():
            rows.append(r), cols.append(k), vals.append(c * sc)
        rows.append(r), cols.append(a.buckets + (1 if it["mode"] == "post" else 0)), vals.append(1.0)
    X = csr_matrix((vals, (rows, cols)), shape=(len(items), a.buckets + 2))
    y = np.array([it["label"] in a.positive for it in items])
    clf = LogisticRegression(C=a.c, max_iter=5000).fit(X, y)
    w = clf.coef_[0]
    scale = float(np.max(np.abs(w[: a.buckets]))) / 127.0 or 1.0
    q = np.clip(np.rint(w[: a.buckets] / scale), -127, 127).astype(np.int8)
    model = {**kind, "scale": scale, "weights": q.astype(int).tolist(),
             "bias_query": float(clf.intercept_[0] + w[a.buckets]), "bias_post": float(clf.intercept_[0] + w[a.buckets + 1])}

    # The rounded classifier on its own training texts.
    cut = math.log(a.threshold / (1 - a.threshold))
    fired = [logit(norm, it["mode"], model) >= cut for it, norm in zip(items, norms)]
    for mode in ("query", "post"):
        pos = [f for f, it in zip(fired, items) if it["mode"] == mode and it["label"] in a.positive]
        neg = [f for f, it in zip(fired, items) if it["mode"] == mode and it["label"] not in a.positive]
        if pos and neg:
            print(f"{mode}: fires on {sum(pos) / len(pos):.3f} of {a.positive} and {sum(neg) / len(neg):.3f} of the "
                  "other labels (training texts)", file=sys.stderr)

    hexw = q.view(np.uint8).tobytes().hex()
    width = 128
    body = "\n".join("      " + hexw[i:i + width] for i in range(0, len(hexw), width))
    desc = a.description or f"a linear classifier of {a.id} texts"
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# Written by scripts/train-classifier.py; do not edit by hand (train it again).\n")
        f.write("classifiers:\n")
        f.write(f"  - id: {a.id}\n")
        f.write(f"    description: {json.dumps(desc, ensure_ascii=False)}\n")
        if a.trained_on:
            f.write(f"    trained_on: {json.dumps(a.trained_on, ensure_ascii=False)}\n")
        if a.features == "words":
            f.write("    features: words\n")
        else:
            f.write(f"    ngrams: [{nmin}, {nmax}]\n")
        f.write(f"    buckets: {a.buckets}\n")
        f.write(f"    scale: {scale!r}\n")
        f.write(f"    bias: {{query: {model['bias_query']!r}, post: {model['bias_post']!r}}}\n")
        f.write(f"    threshold: {a.threshold!r}\n")
        f.write("    weights: |\n" + body + "\n")
    print(f"wrote {a.out}: {len(items)} texts, {a.buckets} buckets", file=sys.stderr)


if __name__ == "__main__":
    main()
