"""signpost.spark.scan on a real PySpark in local[2] mode (Java from openjdk-17-jre-headless,
pyspark from PyPI): every decision equals evaluate_many's, on more than 100k rows."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

import signpost
import signpost.spark

from signpost_test_support import EVAL_DATA, MINI_PACK

pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("PySpark needs Java (openjdk-17-jre-headless)", allow_module_level=True)

import pandas as pd  # noqa: E402

ROWS = 120_000


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers import this environment's signpost
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("signpost-test")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "5000")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def corpus(n: int) -> pd.DataFrame:
    """The development queries and posts (every pack language) with their locales, repeated with a
    running number so the rows differ, and a few rows with a missing text or locale."""
    items = []
    for name, mode in (("dev-queries.tsv", "query"), ("dev-posts.tsv", "post")):
        for line in (EVAL_DATA / name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                _, locale, text = line.split("\t", 2)
                items.append((text, locale, mode))
    texts, locales, modes = [], [], []
    for i in range(n):
        text, locale, mode = items[i % len(items)]
        texts.append(None if i % 9973 == 5 else f"{text} {i}")
        locales.append(None if i % 7919 == 3 else locale)
        modes.append(mode)
    return pd.DataFrame({"id": range(n), "text": texts, "locale": locales, "mode": modes})


def expected_columns(engine, pdf):
    decisions = engine.evaluate_many(list(pdf["text"]), locale=list(pdf["locale"]), mode=list(pdf["mode"]))
    out = []
    for d in decisions:
        rules = list(dict.fromkeys(m.rule for m in d.matches))
        out.append((d.action, d.category, d.score, rules, [c.id for c in d.cards], d.holdout,
                    None if d.error is None else d.error.split(": ", 1)[1]))
    return out


def test_scan_equals_evaluate_many_on_120k_rows(spark):
    engine = signpost.Engine.load()
    pdf = corpus(ROWS)
    df = spark.createDataFrame(pdf).repartition(4)
    out = signpost.spark.scan(df, text="text", locale="locale", mode="mode", pack=engine)
    assert out.columns == ["id", "text", "locale", "mode", "action", "category", "score", "rules", "cards",
                           "holdout", "error"]
    got = out.toPandas().sort_values("id").reset_index(drop=True)
    assert len(got) == ROWS
    expected = expected_columns(engine, pdf)
    actual = list(zip(got["action"], got["category"], got["score"], got["rules"].map(list), got["cards"].map(list),
                      got["holdout"], got["error"]))
    mismatches = [i for i, (a, e) in enumerate(zip(actual, expected)) if a != e]
    assert mismatches == [], [(i, actual[i], expected[i]) for i in mismatches[:5]]
    assert sum(a[0] == "error" for a in actual) == sum(1 for i in range(ROWS) if i % 9973 == 5)
    assert sum(a[0] != "none" and a[0] != "error" for a in actual) > ROWS // 4


def test_scan_ships_the_pack_by_value(spark, tmp_path):
    # A pack folder that exists only on the driver, and only until scan() has read it.
    pack = tmp_path / "pack"
    shutil.copytree(MINI_PACK, pack)
    df = spark.createDataFrame(pd.DataFrame({"body": ["boat to uk tonight, price per person", "hello"]}))
    out = signpost.spark.scan(df, text="body", pack=pack, prefix="sp_")
    shutil.rmtree(pack)
    rows = out.orderBy("body").collect()
    engine = signpost.Engine.load(MINI_PACK)
    assert [r["sp_action"] for r in rows] == [engine.evaluate(r["body"]).action for r in rows]
    with pytest.raises(ValueError, match="prefix="):
        signpost.spark.scan(out, text="body", pack=MINI_PACK, prefix="sp_")
    with pytest.raises(KeyError):
        signpost.spark.scan(df, text="nope", pack=MINI_PACK)
