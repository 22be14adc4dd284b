"""Fixtures for the Python binding's tests. Run after `pip install ./python`: these tests import
the installed package, never the source tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import signpost

from signpost_test_support import LABELLED, MINI_PACK


@pytest.fixture(scope="session")
def mini_pack() -> Path:
    return MINI_PACK


@pytest.fixture(scope="session")
def engine() -> signpost.Engine:
    return signpost.Engine.load(MINI_PACK)


@pytest.fixture(scope="session")
def labelled() -> Path:
    return LABELLED


@pytest.fixture()
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini pack, to break or change."""
    dst = tmp_path / "pack"
    shutil.copytree(MINI_PACK, dst)
    return dst
