"""`signpost scan` progress on stderr: a percentage and an ETA when the input's size is known (a
regular file, named or redirected to stdin), a count of lines from a pipe; never by default when
stderr is not a terminal. The C++ tool and the Python package's console script behave the same."""
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
PACK = ROOT / "tests" / "data" / "packs" / "engine"

PERCENT = re.compile(r"^scanned +(\d+)% \(.+ of .+\), (\d+) lines \(\d+ lines/s\), ETA (\S.*)$")
COUNT = re.compile(r"^scanned (\d+) lines \(\d+ lines/s\)$")
SUMMARY = re.compile(r"^scanned (\d+) lines, (\d+) errors$")


def _console_script():
    """The Python package's `signpost` console script, when the package is importable."""
    try:
        import signpost.cli  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-c", "from signpost.cli import console_main; console_main()"]


def _commands():
    out = []
    if os.path.exists(CLI):
        out.append(pytest.param([CLI], id="cpp"))
    out.append(pytest.param(_console_script(), id="python",
                            marks=pytest.mark.skipif(_console_script() is None, reason="signpost package not installed")))
    return out


@pytest.fixture(scope="module")
def big_input(tmp_path_factory):
    """200k lines (13 MB): long enough for progress lines a second apart on a loaded machine."""
    path = tmp_path_factory.mktemp("progress") / "in.jsonl"
    texts = ["boat to uk tonight price per person", "weather in paris tomorrow", "fake passport",
             "ferry dover calais timetable"]
    with path.open("w", encoding="utf-8") as f:
        for i in range(200_000):
            f.write(json.dumps({"id": i, "text": texts[i % 4], "locale": "en"}) + "\n")
    return path


def _progress_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith("scanned")]


@pytest.mark.parametrize("cmd", _commands())
def test_progress_of_a_file_shows_percentage_and_eta_and_reaches_100(cmd, big_input, tmp_path):
    err = tmp_path / "progress.txt"
    with err.open("w") as e:
        r = subprocess.run([*cmd, "scan", "--pack", PACK, "--threads", "1", "--progress", big_input],
                           stdout=subprocess.DEVNULL, stderr=e, timeout=600)
    assert r.returncode == 0
    lines = _progress_lines(err.read_text())
    assert "\r" not in err.read_text()  # not a terminal: one line per update, nothing redrawn
    *updates, summary = lines
    assert SUMMARY.match(summary).groups() == ("200000", "0")
    assert updates, lines
    shares = []
    for line in updates:
        m = PERCENT.match(line)
        assert m, line
        shares.append(int(m.group(1)))
        assert re.fullmatch(r"\d+ s|\d+:\d\d|\d+:\d\d:\d\d", m.group(3)), line
    assert shares == sorted(shares)
    assert shares[-1] == 100 and PERCENT.match(updates[-1]).group(2) == "200000"
    assert PERCENT.match(updates[-1]).group(3) == "0 s"


@pytest.mark.parametrize("cmd", _commands())
def test_a_file_redirected_to_stdin_has_a_known_size(cmd, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("boat to uk\nweather\n", encoding="utf-8")
    with src.open("rb") as stdin:
        r = subprocess.run([*cmd, "scan", "--pack", PACK, "--progress"], stdin=stdin, capture_output=True,
                           text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    updates = _progress_lines(r.stderr)[:-1]
    assert updates and PERCENT.match(updates[-1]).group(1) == "100", r.stderr


@pytest.mark.parametrize("cmd", _commands())
def test_progress_of_a_pipe_counts_lines_without_percentage(cmd):
    data = "".join(f"text {i}\n" for i in range(3000))
    r = subprocess.run([*cmd, "scan", "--pack", PACK, "--progress", "-"], input=data, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = _progress_lines(r.stderr)
    assert SUMMARY.match(lines[-1]).groups() == ("3000", "0")
    assert lines[:-1], r.stderr
    for line in lines[:-1]:
        assert "%" not in line and "ETA" not in line
        assert COUNT.match(line), line
    assert COUNT.match(lines[-2]).group(1) == "3000"


@pytest.mark.parametrize("cmd", _commands())
def test_no_progress_by_default_when_stderr_is_not_a_terminal(cmd, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("boat to uk\n" * 100, encoding="utf-8")
    r = subprocess.run([*cmd, "scan", "--pack", PACK, src], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0
    assert r.stderr == ""
    assert len(r.stdout.splitlines()) == 100


@pytest.mark.parametrize("cmd", _commands())
def test_progress_and_quiet_exclude_each_other(cmd):
    r = subprocess.run([*cmd, "scan", "--pack", PACK, "--progress", "--quiet", "-"], input="", capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2
