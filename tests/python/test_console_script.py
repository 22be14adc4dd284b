"""The `signpost` console script of the Python package against the C++ `signpost` tool: the same
subcommands, and for each the same output and exit code.

The console script is run as installed (``bin/signpost`` beside this Python) when it is there, else
through its entry point (``signpost.cli:console_main``, what the installed script calls). Needs the
C++ binary: set SIGNPOST_CLI to its path (for instance build/sdk/cli/signpost); skipped otherwise."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from signpost_test_support import LABELLED, MINI_PACK

CLI = os.environ.get("SIGNPOST_CLI")
pytestmark = pytest.mark.skipif(not CLI or not Path(CLI).exists(), reason="set SIGNPOST_CLI to the signpost binary")

PACK = str(MINI_PACK)


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("signpost")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from signpost.cli import console_main; console_main()"]


CONSOLE = _console_script()


def _run(cmd: list[str], *args, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["SIGNPOST_PACK"] = PACK  # the default pack for both, so no command depends on where it was installed
    return subprocess.run([*cmd, *map(str, args)], input=input, capture_output=True, env=env, cwd=cwd, timeout=120)


def both(*args, input: bytes | None = None, cwd: Path | None = None):
    return _run([CLI], *args, input=input, cwd=cwd), _run(CONSOLE, *args, input=input, cwd=cwd)


def commands_of(usage: str) -> list[str]:
    """The command names a top-level usage lists under "commands:" (and `help`)."""
    names, listing = [], False
    for line in usage.splitlines():
        if line.strip() == "commands:":
            listing = True
            continue
        m = re.match(r"^  ([a-z]+)\s", line)
        if listing and m:
            names.append(m.group(1))
    return names


def test_help_lists_the_same_subcommands():
    c, py = both("--help")
    assert c.returncode == py.returncode == 0
    c_names, py_names = commands_of(c.stdout.decode()), commands_of(py.stdout.decode())
    assert c_names == py_names
    # The same lines for the commands and options, in the same layout.
    assert c.stdout.decode().split("\n\nRun ")[0] == py.stdout.decode().split("\n\nRun ")[0]
    assert set(c_names) >= {"check", "scan", "lint", "eval", "explain", "report", "pack", "diff", "help"}


@pytest.mark.parametrize("command", ["check", "scan", "lint", "eval", "explain", "report", "pack", "diff"])
def test_every_subcommand_has_help(command):
    for args in ((command, "--help"), ("help", command)):
        c, py = both(*args)
        assert c.returncode == py.returncode == 0, (args, py.stderr)
        assert py.stdout.decode().startswith("usage:"), args
        if command in ("explain", "report", "pack", "diff"):  # the C++ command's own code
            assert py.stdout == c.stdout, args


def test_version_and_unknown_command():
    c, py = both("-V")
    assert c.returncode == py.returncode == 0 and c.stdout == py.stdout
    c, py = both("frobnicate")
    assert c.returncode == py.returncode == 2
    c, py = both("help", "frobnicate")
    assert c.returncode == py.returncode == 2
    c, py = both()
    assert c.returncode == py.returncode == 2


@pytest.mark.parametrize("text,locale", [("boat to uk", "en"), ("hello there", "en"), ("قارب إلى بريطانيا", "ar")])
def test_check(text, locale):
    c, py = both("check", "--pack", PACK, "--locale", locale, text)
    assert c.returncode == py.returncode and c.returncode in (0, 1)
    assert c.stdout == py.stdout


def test_scan():
    lines = [json.dumps({"text": "boat to uk", "locale": "en", "id": "a"}), "fake passport", "{broken",
             json.dumps({"text": "x", "locale": "en-", "id": 3}), json.dumps({"text": "y", "mode": "tweet"})]
    data = ("\n".join(lines) + "\n").encode()
    c, py = both("scan", "--pack", PACK, "--quiet", input=data)
    assert c.returncode == py.returncode == 1
    assert [json.loads(x) for x in c.stdout.splitlines()] == [json.loads(x) for x in py.stdout.splitlines()]


def test_lint(tmp_path):
    c, py = both("lint", "--pack", PACK)
    assert c.returncode == py.returncode == 0 and c.stdout == py.stdout
    c, py = both("lint", "--pack", tmp_path / "missing")
    assert c.returncode == py.returncode == 2


def test_eval():
    c, py = both("eval", "--pack", PACK, "--json", LABELLED)
    assert c.returncode == py.returncode
    assert json.loads(c.stdout) == json.loads(py.stdout)
    c, py = both("eval", "--pack", PACK, "--min-recall", "1.01", LABELLED)
    assert c.returncode == py.returncode == 2


@pytest.mark.parametrize("extra", [[], ["--json"], ["--mode", "post"]])
def test_explain(extra):
    c, py = both("explain", "--pack", PACK, "--locale", "en", *extra, "boat to uk")
    assert c.returncode == py.returncode == 0
    assert c.stdout == py.stdout and c.stdout


def test_explain_errors_and_default_pack():
    c, py = both("explain", "--locale=fr--BE", "boat to uk")
    assert c.returncode == py.returncode == 2 and c.stderr == py.stderr
    c, py = both("explain", "boat to uk")  # the default pack: $SIGNPOST_PACK
    assert c.returncode == py.returncode == 0 and c.stdout == py.stdout


def test_report(tmp_path):
    snapshot = tmp_path / "snapshot.json"
    c = _run([CLI], "scan", "--pack", PACK, "--quiet", "--metrics-out", snapshot,
             input=b"boat to uk\nfake passport\nhello\n" * 30)
    assert c.returncode == 0, c.stderr
    c, py = _run([CLI], "report", snapshot, "--out", tmp_path / "c", "--k", "5"), \
        _run(CONSOLE, "report", snapshot, "--out", tmp_path / "py", "--k", "5")
    assert c.returncode == py.returncode == 0
    for name in ("report.md", "report.html"):
        assert (tmp_path / "c" / name).read_bytes() == (tmp_path / "py" / name).read_bytes()


def test_pack_build_keygen_sign_verify(tmp_path):
    for who, cmd in (("c", [CLI]), ("py", CONSOLE)):
        d = tmp_path / who
        d.mkdir()
        assert _run(cmd, "pack", "build", PACK, "-o", d / "mini.tar").returncode == 0
        r = _run(cmd, "pack", "keygen", "--out", d / "k")
        assert r.returncode == 0 and (d / "k.key").is_file() and (d / "k.pub").is_file()
    # Canonical archives: the same bytes from both.
    assert (tmp_path / "c" / "mini.tar").read_bytes() == (tmp_path / "py" / "mini.tar").read_bytes()
    # Signed with one key by each, the archives are the same again (ed25519 is deterministic).
    shutil.copy(tmp_path / "c" / "mini.tar", tmp_path / "c" / "signed.tar")
    shutil.copy(tmp_path / "c" / "mini.tar", tmp_path / "py" / "signed.tar")
    key = tmp_path / "c" / "k.key"
    c = _run([CLI], "pack", "sign", tmp_path / "c" / "signed.tar", "--key", key)
    py = _run(CONSOLE, "pack", "sign", tmp_path / "py" / "signed.tar", "--key", key)
    assert c.returncode == py.returncode == 0
    assert (tmp_path / "c" / "signed.tar").read_bytes() == (tmp_path / "py" / "signed.tar").read_bytes()
    for pub, expected in ((tmp_path / "c" / "k.pub", 0), (tmp_path / "py" / "k.pub", 1)):
        c, py = both("pack", "verify", tmp_path / "c" / "signed.tar", "--trusted-key", pub)
        assert c.returncode == py.returncode == expected
        assert c.stdout == py.stdout and c.stderr == py.stderr
    c, py = both("pack", "frobnicate")
    assert c.returncode == py.returncode == 2


def test_diff(tmp_path):
    new = tmp_path / "new"
    shutil.copytree(MINI_PACK, new)
    c, py = both("diff", "--old", PACK, "--new", new, LABELLED)
    assert c.returncode == py.returncode == 0  # no decision changed
    assert c.stdout == py.stdout
    categories = new / "categories.yaml"
    categories.write_text(categories.read_text(encoding="utf-8").replace("action: interstitial", "action: redirect"),
                          encoding="utf-8")
    c, py = both("diff", "--old", PACK, "--new", new, LABELLED, "--out", tmp_path / "out")
    assert c.returncode == py.returncode == 1  # some did
    assert c.stdout == py.stdout and "fake passport" in c.stdout.decode()
    assert (tmp_path / "out" / "diff.html").is_file()
    c, py = both("diff", "--old", PACK, "--new", tmp_path / "missing", LABELLED)
    assert c.returncode == py.returncode == 2
