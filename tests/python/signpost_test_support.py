"""Paths and helpers shared by the Python binding's tests (imported by conftest.py and the tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MINI_PACK = HERE / "packs" / "mini"
LABELLED = HERE / "data" / "labelled.tsv"
EVAL_DATA = REPO / "tests" / "data" / "eval"


def run_module(*args: str, input: bytes | str | None = None, env: dict | None = None,
               cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m signpost ARGS...` in a child process; stdout and stderr as text."""
    full_env = dict(os.environ)
    full_env.pop("SIGNPOST_PACK", None)
    if env:
        full_env.update(env)
    if isinstance(input, str):
        input = input.encode("utf-8")
    p = subprocess.run([sys.executable, "-m", "signpost", *args], input=input, capture_output=True,
                       env=full_env, cwd=cwd, timeout=timeout)
    return subprocess.CompletedProcess(p.args, p.returncode, p.stdout.decode("utf-8", "replace"),
                                       p.stderr.decode("utf-8", "replace"))
