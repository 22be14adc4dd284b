"""One answer everywhere: the C++ `signpost scan`, Python evaluate_many, evaluate_frame, Spark and
signpost-server's POST /v1/evaluate give the same decisions on one multilingual corpus, with the
obfuscated forms of docs/obfuscations.md.

The JSON decisions of scan, evaluate_many and the server are compared byte for byte. evaluate_frame
and Spark give columns; their rows are compared, byte for byte as JSON, with the same columns taken
from scan's decisions. Each source is skipped when it is not available: $SIGNPOST_CLI (the signpost
binary), $SIGNPOST_SERVER_BIN (the server), pandas, pyspark with Java.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path

import pytest

import signpost

from signpost_test_support import EVAL_DATA, REPO

PACK = Path(os.environ.get("SIGNPOST_PACK") or REPO / "messages" / "people-smuggling")
CLI = os.environ.get("SIGNPOST_CLI")
SERVER = os.environ.get("SIGNPOST_SERVER_BIN")

# Obfuscations of docs/obfuscations.md, applied to the real texts of the development sets.
CYRILLIC = str.maketrans({"a": "а", "o": "о", "e": "е", "p": "р", "c": "с", "x": "х"})
LEET = str.maketrans({"a": "4", "e": "3", "o": "0", "i": "1", "s": "$"})
ARABIC_VARIANTS = str.maketrans({"ي": "ی", "ك": "ک", "ی": "ي", "ک": "ك"})


def _latin(text: str) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in text)


def _arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def obfuscations(text: str) -> list[str]:
    forms = [text.upper(), "\u200b".join(text), " ".join(text.split()[0]) + " " + " ".join(text.split()[1:])]
    if _latin(text):
        forms += [text.lower().translate(LEET), text.translate(CYRILLIC),
                  "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)),
                  unicodedata.normalize("NFKC", text).translate({ord(c): ord(c) + 0xFEE0 for c in "abcdefghijklmnopqrstuvwxyz"})]
    if _arabic(text):
        forms += [text.translate(ARABIC_VARIANTS), text.replace("ر", "ر\u0640\u0640")]
    return forms


def corpus() -> list[dict]:
    items = []
    for name, mode in (("dev-queries.tsv", "query"), ("dev-posts.tsv", "post")):
        for line in (EVAL_DATA / name).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            _, locale, text = line.split("\t", 2)
            for form in [text, *obfuscations(text)]:
                items.append({"text": form, "locale": locale, "mode": mode})
    items.append({"text": "", "locale": "en", "mode": "query"})
    items.append({"text": "🚤 🇬🇧 💶", "locale": "", "mode": "query"})
    return items


@pytest.fixture(scope="module")
def items() -> list[dict]:
    out = corpus()
    assert len(out) > 800 and len({i["locale"] for i in out}) >= 8
    return out


@pytest.fixture(scope="module")
def engine() -> signpost.Engine:
    return signpost.Engine.load(PACK)


@pytest.fixture(scope="module")
def python_lines(engine, items) -> list[str]:
    ds = engine.evaluate_many([i["text"] for i in items], locale=[i["locale"] for i in items],
                              mode=[i["mode"] for i in items])
    return [d.to_json() for d in ds]


def columns_of(decision_json: str) -> str:
    """The evaluate_frame columns of a decision, as canonical JSON."""
    d = json.loads(decision_json)
    rules = list(dict.fromkeys(m["rule"] for m in d["matches"]))
    return json.dumps([d["action"], d["category"], float(d["score"]), rules, [c["id"] for c in d["cards"]], d["holdout"]],
                      ensure_ascii=False)


def frame_rows(frame) -> list[str]:
    import pandas as pd
    out = []
    for action, category, score, rules, cards, holdout in zip(frame["action"], frame["category"], frame["score"],
                                                             frame["rules"], frame["cards"], frame["holdout"]):
        out.append(json.dumps([action, None if pd.isna(category) else category, score, list(rules), list(cards),
                               bool(holdout)], ensure_ascii=False))
    return out


def test_evaluate_many_equals_evaluate(engine, items, python_lines):
    assert python_lines == [engine.evaluate(i["text"], locale=i["locale"], mode=i["mode"]).to_json() for i in items]
    assert sum('"action":"none"' not in x for x in python_lines) > len(items) // 3


@pytest.mark.skipif(not CLI, reason="set SIGNPOST_CLI to the signpost binary")
def test_cpp_scan(items, python_lines):
    data = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode("utf-8")
    out = subprocess.run([CLI, "scan", "--pack", str(PACK)], input=data, capture_output=True, check=True).stdout
    assert out.decode("utf-8").splitlines() == python_lines


def test_evaluate_frame(engine, items, python_lines):
    pd = pytest.importorskip("pandas")
    frame = engine.evaluate_frame(pd.DataFrame(items), locale="locale", mode="mode")
    assert frame_rows(frame) == [columns_of(x) for x in python_lines]


def test_spark(engine, items, python_lines):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("PySpark needs Java")
    import signpost.spark
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    try:
        df = spark.createDataFrame(pd.DataFrame([{"n": k, **i} for k, i in enumerate(items)])).repartition(3)
        got = signpost.spark.scan(df, locale="locale", mode="mode", pack=engine).toPandas().sort_values("n")
    finally:
        spark.stop()
    assert frame_rows(got) == [columns_of(x) for x in python_lines]


@pytest.mark.skipif(not SERVER, reason="set SIGNPOST_SERVER_BIN to signpost-server")
def test_server(items, python_lines):
    proc = subprocess.Popen([SERVER, "--listen", "127.0.0.1:0", "--threads", "2", "--log-format", "json",
                             "--pack", str(PACK)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port = []
    ready = threading.Event()

    def read():
        for raw in proc.stderr:
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            if event.get("event") == "listening" and event.get("listener") == "main":
                port.append(int(event["address"].rsplit(":", 1)[1]))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(60) and port, "the server did not start"
        conn = http.client.HTTPConnection("127.0.0.1", port[0], timeout=30)
        answers = []
        for i in items:
            conn.request("POST", "/v1/evaluate", body=json.dumps(i, ensure_ascii=False).encode("utf-8"),
                         headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            assert r.status == 200
            answers.append(r.read().decode("utf-8").rstrip("\n"))
        conn.close()
    finally:
        proc.terminate()
        proc.wait(15)
    assert answers == python_lines
