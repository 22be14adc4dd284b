"""docs/tutorial.md runs as written.

Every fenced block after `<!-- tutorial: file PATH -->` is written to PATH in one empty folder, and
every block after `<!-- tutorial: run -->` (or `<!-- tutorial: run, exit N -->`) is run there with
bash, in document order, and must exit 0 (or N). A block that uses a `signpost` subcommand the
built tool does not have yet is skipped, naming the subcommand (`pytest -rs` lists them), so the
test tightens by itself as the tool grows.

Environment: SIGNPOST_CLI, the tool (default build/sdk/cli/signpost).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from pack_schema import ROOT, problems

TUTORIAL = ROOT / "docs/tutorial.md"
CLI = Path(os.environ.get("SIGNPOST_CLI", ROOT / "build/sdk/cli/signpost"))

MARKER = re.compile(r"<!-- tutorial: (file (?P<path>\S+)|run(, exit (?P<exit>\d+))?) -->\n```[^\n]*\n(?P<body>.*?)^```",
                    re.S | re.M)


@dataclass
class Block:
    line: int
    path: str | None  # a file to write, or None for commands
    exit: int
    body: str


def blocks() -> list[Block]:
    text = TUTORIAL.read_text(encoding="utf-8")
    return [Block(text.count("\n", 0, m.start()) + 1, m["path"], int(m["exit"] or 0), m["body"])
            for m in MARKER.finditer(text)]


def run_blocks() -> list[Block]:
    return [b for b in blocks() if b.path is None]


@functools.lru_cache(maxsize=None)
def has_subcommand(words: tuple[str, ...]) -> bool:
    r = subprocess.run([str(CLI), *words, "--help"], capture_output=True, timeout=60)
    return r.returncode == 0


def subcommands(body: str) -> list[tuple[str, ...]]:
    """The signpost subcommands a block uses: ('lint',), ('pack', 'build')..."""
    found = []
    for m in re.finditer(r"(?:^|[\s;&|(])signpost\s+([a-z]+)(?:\s+([a-z]+))?", body, re.M):
        words = (m[1], m[2]) if m[1] == "pack" and m[2] else (m[1],)
        if words not in found:
            found.append(words)
    return found


def test_the_tutorial_has_files_and_runnable_blocks():
    bs = blocks()
    assert sum(b.path is not None for b in bs) >= 6
    assert len(run_blocks()) >= 6
    used = {w for b in run_blocks() for w in subcommands(b.body)}
    assert {("lint",), ("check",), ("explain",), ("eval",), ("diff",), ("pack", "build")} <= used


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    if not CLI.exists():
        pytest.skip(f"signpost not built: {CLI}")
    return tmp_path_factory.mktemp("tutorial")


def _write_files_before(workspace: Path, line: int):
    for b in blocks():
        if b.path is not None and b.line < line:
            target = workspace / b.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_text(b.body, encoding="utf-8")


@pytest.mark.parametrize("block", run_blocks(), ids=lambda b: f"line{b.line}-" + "-".join(
    " ".join(w) for w in subcommands(b.body)).replace(" ", "_"))
def test_block_runs(workspace, block):
    _write_files_before(workspace, block.line)
    missing = [" ".join(w) for w in subcommands(block.body) if not has_subcommand(w)]
    if missing:
        message = f"docs/tutorial.md:{block.line}: the built signpost has no `signpost {missing[0]}` yet"
        print(message)
        pytest.skip(message)
    env = dict(os.environ, PATH=f"{CLI.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block.body], cwd=workspace, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == block.exit, (f"docs/tutorial.md:{block.line}: exit {r.returncode}, expected {block.exit}\n"
                                        f"{block.body}\n--- stdout\n{r.stdout[-3000:]}\n--- stderr\n{r.stderr[-3000:]}")


def test_the_tutorial_pack_follows_the_schema_and_its_hints_resolve(tmp_path):
    pytest.importorskip("jsonschema")
    for b in blocks():
        if b.path is None:
            continue
        target = tmp_path / b.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(b.body, encoding="utf-8")
        hint = re.match(r"# yaml-language-server: \$schema=(\S+)", b.body)
        if b.path.endswith(".yaml"):
            assert hint, f"{b.path} has no yaml-language-server hint"
            # The tutorial works in the root of the checkout.
            assert (ROOT / Path(b.path).parent / hint[1]).resolve().is_file(), hint[1]
    assert problems(tmp_path / "my-pack") == []
