#!/usr/bin/env python3
"""Rows per second of the batch paths: evaluate_many, evaluate_frame and Spark in local mode.

    python bench/python/bench_scale.py [--pack DIR] [--rows 200000] [--repeat 3] [--spark] [--out FILE]

On the same texts (the development queries and posts of tests/data/eval, every pack language, each
row made distinct with a running number), in one run:

- ``evaluate_many(texts, locale=locales)``: a list of Decision objects;
- the same, then a DataFrame built from the decisions by hand (what an analyst would otherwise
  write: a Python loop over the decisions);
- ``evaluate_frame(df, locale="locale")``: the DataFrame path (one batch call, columns back);
- with ``--spark``: ``signpost.spark.scan`` on a PySpark DataFrame in ``local[N]`` mode (N = the
  cores available), written to a no-op sink, Spark start-up excluded, pack shipping included.

Times are the best of ``--repeat`` runs. A benchmark, not a test: nothing here fails on a slow or
busy machine; say how busy the machine was when you quote a figure.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

import signpost

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "tests" / "data" / "eval"


def rows(n: int) -> pd.DataFrame:
    items = []
    for name in ("dev-queries.tsv", "dev-posts.tsv"):
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                _, locale, text = line.split("\t", 2)
                items.append((text, locale))
    return pd.DataFrame({"text": [f"{items[i % len(items)][0]} {i}" for i in range(n)],
                         "locale": [items[i % len(items)][1] for i in range(n)]})


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def by_hand(engine, df):
    ds = engine.evaluate_many(list(df["text"]), locale=list(df["locale"]))
    return pd.DataFrame({"action": [d.action for d in ds], "category": [d.category for d in ds],
                         "score": [d.score for d in ds],
                         "rules": [list(dict.fromkeys(m.rule for m in d.matches)) for d in ds],
                         "cards": [[c.id for c in d.cards] for d in ds], "holdout": [d.holdout for d in ds]},
                        index=df.index)


def spark_rate(engine, df, repeat: int) -> tuple[float, int]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    import signpost.spark

    cores = signpost.available_cores()
    spark = (SparkSession.builder.master(f"local[{cores}]").config("spark.ui.enabled", "false")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        sdf = spark.createDataFrame(df).repartition(cores * 2).cache()
        sdf.count()
        out = signpost.spark.scan(sdf, locale="locale", pack=engine)
        out.write.format("noop").mode("overwrite").save()  # warm-up: workers started, pack compiled
        t = best(lambda: out.write.format("noop").mode("overwrite").save(), repeat)
    finally:
        spark.stop()
    return len(df) / t, cores


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pack")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--spark", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()

    engine = signpost.Engine.load(args.pack)
    df = rows(args.rows)
    engine.evaluate_many(list(df["text"][:2000]), locale=list(df["locale"][:2000]))  # warm-up
    n = len(df)
    results = [
        ("evaluate_many (list of Decision)",
         n / best(lambda: engine.evaluate_many(list(df["text"]), locale=list(df["locale"])), args.repeat)),
        ("evaluate_many + DataFrame by hand", n / best(lambda: by_hand(engine, df), args.repeat)),
        ("evaluate_frame", n / best(lambda: engine.evaluate_frame(df, locale="locale"), args.repeat)),
    ]
    if args.spark:
        rate, cores = spark_rate(engine, df, args.repeat)
        results.append((f"signpost.spark.scan, local[{cores}]", rate))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"signpost {signpost.__version__}, pack {engine.pack.name} {engine.pack.version}; {n} rows; "
             f"{signpost.available_cores()} cores, {platform.processor() or platform.machine()}, "
             f"Python {platform.python_version()}, pandas {pd.__version__}; load average {load:.1f} at the end",
             "", "| path | rows/s |", "| --- | ---: |"]
    lines += [f"| {name} | {rate:,.0f} |" for name, rate in results]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text("    " + " ".join(sys.argv) + "\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
