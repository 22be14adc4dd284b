"""`signpost scan --threads N`: the same output, line for line and in input order, as one thread."""
import json
import os
import pathlib
import random
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
PACK = ROOT / "messages" / "people-smuggling"
EVAL = ROOT / "tests" / "data" / "eval"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")


def mixed_input(n):
    """n lines: JSON objects with ids (some in post mode), plain lines and bad lines, from the dev sets."""
    texts = []
    for name in ("dev-queries.tsv", "dev-posts.tsv"):
        for row in (EVAL / name).read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#"):
                label, locale, text = row.split("\t", 2)
                texts.append((locale, text))
    rng = random.Random(12)
    out = []
    for k in range(n):
        locale, text = texts[rng.randrange(len(texts))]
        kind = rng.randrange(10)
        if kind < 6:
            item = {"id": k, "text": text, "locale": locale}
            if kind == 5:
                item["mode"] = "post"
            out.append(json.dumps(item, ensure_ascii=False))
        elif kind < 9:
            out.append(text)
        else:
            out.append(rng.choice(['{"id": %d, "text": 5}' % k, "{not json", '{"id": %d}' % k]))
    return "\n".join(out) + "\n"


def scan(threads, inp):
    r = subprocess.run([CLI, "scan", "--pack", str(PACK), "--threads", str(threads), "-"], input=inp,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stderr
    return r


def test_threads_keep_input_order_and_give_the_output_of_one_thread():
    inp = mixed_input(5000)
    one = scan(1, inp)
    lines = one.stdout.splitlines()
    assert len(lines) == 5000
    # In input order: every line with an id carries its own line number as id.
    ids = [json.loads(l).get("id") for l in lines]
    assert all(i is None or i == k for k, i in enumerate(ids))
    assert sum(i is not None for i in ids) > 2500
    for threads in (2, 3, 8):
        many = scan(threads, inp)
        assert many.returncode == one.returncode
        assert many.stdout == one.stdout


def test_threads_with_fewer_lines_than_a_batch_and_with_none():
    inp = mixed_input(7)
    assert scan(4, inp).stdout == scan(1, inp).stdout
    assert scan(4, "").stdout == ""


def test_threads_must_be_a_positive_whole_number():
    for bad in ("0", "-1", "two", "1.5"):
        r = subprocess.run([CLI, "scan", "--pack", str(PACK), "--threads", bad, "-"], input="boat\n",
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 2
        assert "--threads" in r.stderr
