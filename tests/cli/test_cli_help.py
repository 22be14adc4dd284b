"""The tool's help comes from its CLI11 declarations: what --help lists is what the parser takes,
`help CMD` is `CMD --help`, the usage line names every option, and docs/cli.md's synopsis agrees."""
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
FIXTURE = ROOT / "tests" / "data" / "packs" / "engine"
COMMANDS = ["check", "scan", "lint", "eval"]
# Parsed by the tools library (the entry points the Python console script runs too).
TOOL_COMMANDS = ["explain", "report", "pack", "diff"]

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")

sys.path.insert(0, str(ROOT / "scripts"))
import cli_docs  # noqa: E402


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


def options(cmd):
    """The options of `signpost CMD --help`, as {"--name": takes_value}, without --help."""
    text = run(cmd, "--help").stdout
    return {n: o.takes_value for o in cli_docs.options_of(text) for n in o.names if n not in ("-h", "--help")}


def documented(cmd):
    """The options of the synopsis line of CMD at the top of docs/cli.md."""
    block = (ROOT / "docs" / "cli.md").read_text().split("```")[1]
    line = next(l for l in block.splitlines() if re.match(rf"signpost {cmd}\s", l))
    return set(re.findall(r"--[a-z][a-z-]*", line))


@pytest.mark.parametrize("cmd", COMMANDS)
def test_help_command_is_the_commands_own_help(cmd):
    assert run("help", cmd).stdout == run(cmd, "--help").stdout


@pytest.mark.parametrize("cmd", COMMANDS)
def test_every_listed_option_is_parsed_and_named_in_the_usage_line(cmd, tmp_path):
    text = run(cmd, "--help").stdout
    usage = text.split("\n\n")[0]
    listed = options(cmd)
    assert listed, text
    argument = [] if cmd in ("lint", "scan") else ["boat"]

    def parse_error(*args):
        r = subprocess.run([CLI, cmd, *map(str, args), *argument], capture_output=True, text=True, timeout=120,
                           cwd=tmp_path, input="")
        return "not expected" in r.stderr

    for name, takes_value in listed.items():
        assert re.search(rf"\[{name}[ \]]", usage), (name, usage)
        pack = [] if name == "--pack" else ["--pack", FIXTURE]
        assert not parse_error(*pack, name, *(["1"] if takes_value else [])), name
    assert parse_error("--pack", FIXTURE, "--no-such-option")


@pytest.mark.parametrize("cmd", COMMANDS)
def test_docs_cli_md_lists_the_same_options(cmd):
    assert documented(cmd) == set(options(cmd))


def test_main_help_lists_every_command_with_its_summary():
    text = run("--help").stdout
    listed = dict(cli_docs.listed_commands(text))
    assert set(COMMANDS) | set(TOOL_COMMANDS) | {"help"} <= set(listed)
    for cmd in COMMANDS + TOOL_COMMANDS:
        assert listed[cmd], cmd
    for cmd in TOOL_COMMANDS:
        assert run("help", cmd).stdout.startswith(f"usage: signpost {cmd}")
        assert run("help", cmd).stdout == run(cmd, "--help").stdout
    assert run("help", "frobnicate").returncode == 2
