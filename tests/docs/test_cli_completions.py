"""Shell completions and the man page, generated from the tool's own --help (scripts/cli_docs.py).

The bash completion is exercised the way bash calls it (COMP_WORDS, COMP_CWORD, then COMPREPLY);
the zsh one is parsed by zsh; the man page is rendered by man. Each must cover every command and
every option the built tool documents, so they cannot drift from it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("SIGNPOST_CLI", ROOT / "build/sdk/cli/signpost"))

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"signpost not built: {CLI}")

sys.path.insert(0, str(ROOT / "scripts"))
import cli_docs  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli-docs")
    r = subprocess.run([sys.executable, str(ROOT / "scripts/cli_docs.py"), str(CLI), "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def tree():
    return cli_docs.discover(str(CLI.resolve()))


def complete(generated: Path, line: str, cwd: Path) -> list[str]:
    """What bash offers for the last word of `line` (a trailing space starts a new word)."""
    words = shlex.split(line) + ([""] if line.endswith(" ") else [])
    script = (f"source {shlex.quote(str(generated / 'signpost.bash'))}\n"
              f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
              f"COMP_CWORD={len(words) - 1}\n"
              "_signpost\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=cwd, timeout=60)
    assert r.returncode == 0, r.stderr
    return [w for w in r.stdout.splitlines() if w]


def test_commands_are_found(tree):
    names = {c.words[-1] for c in tree.subcommands}
    assert {"check", "scan", "lint", "eval", "report"} <= names


def test_bash_completes_commands_options_and_values(generated, tree, tmp_path):
    (tmp_path / "a-pack").mkdir()
    (tmp_path / "queries.tsv").write_text("R\ten\tboat\n")
    assert set(complete(generated, "signpost ", tmp_path)) >= {"check", "scan", "lint", "eval", "report"}
    assert complete(generated, "signpost li", tmp_path) == ["lint"]
    assert "--metrics-out" in complete(generated, "signpost scan --me", tmp_path)
    assert complete(generated, "signpost check --mode ", tmp_path) == ["query", "post"]
    assert complete(generated, "signpost lint --pack ", tmp_path) == ["a-pack"]  # folders only
    assert "queries.tsv" in complete(generated, "signpost eval --pack a-pack ", tmp_path)
    if "help" in complete(generated, "signpost h", tmp_path):  # `signpost help COMMAND`
        assert "check" in complete(generated, "signpost help ", tmp_path)
    # Every option of every command, as its --help shows it.
    for cmd in cli_docs.walk(tree):
        if not cmd.words or cmd.words[0] == "help":
            continue
        offered = set(complete(generated, "signpost " + " ".join(cmd.words) + " -", tmp_path))
        documented = {n for n in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", cmd.help) if n != "--"}
        defined = {n for o in cmd.options for n in o.names}
        assert defined and documented & defined <= offered, cmd.key


def test_zsh_completion_parses_and_covers_every_command(generated, tree):
    text = (generated / "_signpost").read_text()
    assert text.startswith("#compdef signpost")
    for cmd in cli_docs.walk(tree):
        assert cli_docs._zsh_function(cmd) + "() {" in text
    zsh = shutil.which("zsh")
    if not zsh:
        pytest.skip("zsh not installed")
    r = subprocess.run([zsh, "-n", str(generated / "_signpost")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_the_man_page_renders_and_covers_every_command(generated, tree):
    page = generated / "signpost.1"
    if not shutil.which("help2man"):
        pytest.skip("help2man not installed")
    assert page.exists()
    r = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True, env=dict(os.environ, MANWIDTH="100"))
    assert r.returncode == 0, r.stderr
    text = r.stdout
    assert "judge search queries and posts against intervention packs" in text
    for cmd in cli_docs.walk(tree):
        if cmd.words and cmd.help:
            assert f"signpost {cmd.key}" in text
