"""The default pack on ordinary English searches with "game" and a time
(tests/data/eval/ordinary-game-queries.tsv): "game" is also the slang of a crossing attempt, and
until 2.22.0 an attempt and a time alone ("bingo game tonight", "rugby game this saturday") were a
crossing offer. Since 2.22.0 the rule attempt-timing takes them only in the languages where
"game" is nothing but the slang; the same pack with that rule open to every language flags them
again."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
PACK = ROOT / "messages" / "people-smuggling"
GAMES = ROOT / "tests" / "data" / "eval" / "ordinary-game-queries.tsv"
LOCALES = "    locales: [ar, fa, prs, ckb, kmr, ps]\n    all: [attempt, timing]\n"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")


def flagged(pack) -> int:
    proc = subprocess.run([CLI, "eval", "--pack", str(pack), "--json", str(GAMES)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    overall = json.loads(proc.stdout)["overall"]
    assert overall["benign"] == 20 and overall["risky"] == 0
    return overall["benign_flagged"]


def test_a_game_and_a_time_are_an_attempt_only_where_game_is_slang(tmp_path):
    shipped = flagged(PACK)
    assert shipped <= 1
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack, ignore=shutil.ignore_patterns("corpus"))
    routes = pack / "rules" / "routes.yaml"
    text = routes.read_text(encoding="utf-8")
    assert text.count(LOCALES) == 1
    routes.write_text(text.replace(LOCALES, "    all: [attempt, timing]\n"), encoding="utf-8")
    assert flagged(pack) >= shipped + 5
