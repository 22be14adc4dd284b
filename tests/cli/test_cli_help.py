"""The tool's help comes from its CLI11 declarations: what --help lists is what the parser takes,
`help CMD` is `CMD --help`, the usage line names every option, and docs/cli.md's synopsis agrees."""
import itertools
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
FIXTURE = ROOT / "tests" / "data" / "packs" / "engine"
# explain, report, pack and diff are declared in the tools library (the entry points the Python
# console script runs too), with the same formatter.
COMMANDS = ["check", "scan", "lint", "eval", "explain", "report", "pack", "diff"]
PACK_COMMANDS = ["pack build", "pack keygen", "pack sign", "pack verify"]
# The argument each command is given when its options are tried (none: the command takes none).
ARGUMENT = {"lint": [], "scan": [], "pack keygen": []}

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")

sys.path.insert(0, str(ROOT / "scripts"))
import cli_docs  # noqa: E402


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


def options(cmd):
    """The options of `signpost CMD --help`, as {"--name": takes_value}, without --help."""
    text = run(*cmd.split(), "--help").stdout
    return {n: o.takes_value for o in cli_docs.options_of(text) for n in o.names if n not in ("-h", "--help")}


def documented(cmd):
    """The options of the synopsis of CMD at the top of docs/cli.md (its line and the lines that
    continue it)."""
    block = (ROOT / "docs" / "cli.md").read_text().split("```")[1].splitlines()
    start = next(i for i, l in enumerate(block) if re.match(rf"signpost {cmd}\s", l))
    lines = [block[start], *itertools.takewhile(lambda l: l.startswith(" "), block[start + 1:])]
    return set(re.findall(r"--[a-z][a-z-]*", " ".join(lines)))


@pytest.mark.parametrize("cmd", COMMANDS)
def test_help_command_is_the_commands_own_help(cmd):
    assert run("help", cmd).stdout == run(cmd, "--help").stdout


@pytest.mark.parametrize("cmd", [c for c in COMMANDS if c != "pack"] + PACK_COMMANDS)
def test_every_listed_option_is_parsed_and_named_in_the_usage_line(cmd, tmp_path):
    text = run(*cmd.split(), "--help").stdout
    assert text.startswith(f"usage: signpost {cmd} "), text
    usage = text.split("\n\n")[0]
    listed = options(cmd)
    assert listed, text
    argument = ARGUMENT.get(cmd, ["boat"])

    def parse_error(*args):
        r = subprocess.run([CLI, *cmd.split(), *map(str, args), *argument], capture_output=True, text=True,
                           timeout=120, cwd=tmp_path, input="")
        return "not expected" in r.stderr

    for name, takes_value in listed.items():
        if name.startswith("--"):  # the usage line names the long form; optional ones in brackets
            assert re.search(rf"(\[| ){name}[ \]\n]", usage + "\n"), (name, usage)
        pack = ["--pack", FIXTURE] if "--pack" in listed and name != "--pack" else []
        assert not parse_error(*pack, name, *(["1"] if takes_value else [])), name
    assert parse_error(*(["--pack", FIXTURE] if "--pack" in listed else []), "--no-such-option")


@pytest.mark.parametrize("cmd", [c for c in COMMANDS if c != "pack"])
def test_docs_cli_md_lists_the_same_options(cmd):
    assert documented(cmd) == set(options(cmd))


def test_docs_cli_md_lists_the_options_of_every_pack_command():
    listed = {n for cmd in PACK_COMMANDS for n in options(cmd) if n.startswith("--")}
    assert listed == documented("pack")


def test_pack_help_lists_its_commands():
    listed = dict(cli_docs.listed_commands(run("pack", "--help").stdout))
    assert set(listed) == {c.split()[1] for c in PACK_COMMANDS}
    assert all(listed.values()), listed


def test_main_help_lists_every_command_with_its_summary():
    text = run("--help").stdout
    listed = dict(cli_docs.listed_commands(text))
    assert set(COMMANDS) | {"help"} <= set(listed)
    for cmd in COMMANDS:
        assert listed[cmd], cmd
        assert run("help", cmd).stdout.startswith(f"usage: signpost {cmd}")
    assert run("help", "frobnicate").returncode == 2
