"""Shared fixtures of the command-line tests."""
import pathlib
import shutil

import pytest

PACK = pathlib.Path(__file__).resolve().parents[2] / "messages" / "people-smuggling"


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
