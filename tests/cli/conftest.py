"""Shared fixtures of the command-line tests."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACK = ROOT / "messages" / "people-smuggling"
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))


@pytest.fixture
def check():
    """check(pack, text, locale, mode): the decision of `signpost check` as a dict (skips the test
    when the CLI is not built)."""
    if not os.path.exists(CLI):
        pytest.skip("signpost CLI not built (set SIGNPOST_CLI)")

    def run(pack, text: str, locale: str, mode: str) -> dict:
        proc = subprocess.run([CLI, "check", "--pack", str(pack), "--locale", locale, "--mode", mode, text],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode in (0, 1), proc.stderr  # 1: the action is none
        return json.loads(proc.stdout)
    return run


@pytest.fixture
def pack_with(tmp_path):
    """pack_with(file, old, new): a copy of the default pack (without its corpus) with `old`, found
    exactly once in `file`, replaced by `new`, so that a test can undo one line and see it matter."""
    def make(file: str, old: str, new: str) -> pathlib.Path:
        pack = tmp_path / "pack"
        shutil.copytree(PACK, pack, ignore=shutil.ignore_patterns("corpus"))
        path = pack / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), encoding="utf-8")
        return pack
    return make
