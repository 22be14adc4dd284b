"""The default pack on ordinary travel searches (tests/data/eval/ordinary-travel-queries.tsv): the
advert classifier reads some short travel searches ("train to london next week price") as searches
for a crossing at 0.8 to 0.95, so the context ordinary-travel yields to it only at the level
advert-text-sure (0.95). The same pack with the context yielding at the classifier's own threshold
flags more of them."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
PACK = ROOT / "messages" / "people-smuggling"
TRAVEL = ROOT / "tests" / "data" / "eval" / "ordinary-travel-queries.tsv"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")


def flagged(pack) -> int:
    proc = subprocess.run([CLI, "eval", "--pack", str(pack), "--json", str(TRAVEL)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    overall = json.loads(proc.stdout)["overall"]
    assert overall["benign"] == 30 and overall["risky"] == 0
    return overall["benign_flagged"]


def test_ordinary_travel_yields_only_to_a_sure_classifier(tmp_path):
    shipped = flagged(PACK)
    assert shipped <= 2  # "road trip france to uk price" and "flights to uk from kabul price", as 2.20.0
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack, ignore=shutil.ignore_patterns("corpus"))
    contexts = pack / "contexts.yaml"
    text = contexts.read_text(encoding="utf-8")
    sure = "none: [advert-text-sure, life-jacket, "  # ordinary-travel's own list
    assert text.count(sure) == 1
    contexts.write_text(text.replace(sure, "none: [advert-text, life-jacket, "), encoding="utf-8")
    assert flagged(pack) >= shipped + 3
