"""The default pack on ordinary English searches that share words with crossing offers, each file
of tests/data/eval/ checked against the same pack with the one line that keeps them out undone:

- ordinary-travel-queries.tsv: the advert classifier reads some short travel searches ("train to
  london next week price") as searches for a crossing at 0.8 to 0.95, so the context
  ordinary-travel yields to it only at the level advert-text-sure (0.95);
- ordinary-game-queries.tsv: "game" is also the slang of a crossing attempt, and until 2.22.0 an
  attempt and a time alone ("bingo game tonight") were a crossing offer; the rule attempt-timing
  takes them only in the languages where "game" is nothing but the slang."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
PACK = ROOT / "messages" / "people-smuggling"
EVAL = ROOT / "tests" / "data" / "eval"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")


def flagged(pack, texts: str, benign: int) -> int:
    """How many of the (all benign) searches of tests/data/eval/`texts` the pack warns or redirects."""
    proc = subprocess.run([CLI, "eval", "--pack", str(pack), "--json", str(EVAL / texts)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    overall = json.loads(proc.stdout)["overall"]
    assert overall["benign"] == benign and overall["risky"] == 0
    return overall["benign_flagged"]


def test_ordinary_travel_yields_only_to_a_sure_classifier(pack_with):
    shipped = flagged(PACK, "ordinary-travel-queries.tsv", 30)
    assert shipped <= 2
    # ordinary-travel's own list (the other contexts name advert-text-sure without life-jacket)
    pack = pack_with("contexts.yaml", "none: [advert-text-sure, life-jacket, ",
                     "none: [advert-text, life-jacket, ")
    assert flagged(pack, "ordinary-travel-queries.tsv", 30) >= shipped + 3


def test_a_game_and_a_time_are_an_attempt_only_where_game_is_slang(pack_with):
    shipped = flagged(PACK, "ordinary-game-queries.tsv", 20)
    assert shipped <= 1
    pack = pack_with("rules/routes.yaml", "    locales: [ar, fa, prs, ckb, kmr, ps]\n    all: [attempt, timing]\n",
                     "    all: [attempt, timing]\n")
    assert flagged(pack, "ordinary-game-queries.tsv", 20) >= shipped + 5
