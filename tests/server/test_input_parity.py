"""One input validation everywhere: the C++ CLI (`check` options and `scan` lines), the Python
package (`Engine.evaluate`) and the server's `POST /v1/evaluate` accept and refuse the same
locales, modes and subjects, with the same message (the SDK's signpost/validate.hpp).

Environment: SIGNPOST_CLI (default build/sdk/cli/signpost), SIGNPOST_SERVER_BIN (default
build/examples/server/signpost-server), SIGNPOST_PACK; the Python package when importable. A front
end that is not available is skipped; every available one must agree with the table."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from server_process import BIN, PACK, ROOT, Server

CLI = Path(os.environ.get("SIGNPOST_CLI", ROOT / "build/sdk/cli/signpost"))

LOCALE_MESSAGE = '"locale" must be a language tag such as "en" or "fr-BE"'

# (field, value, accepted)
CASES = [
    ("locale", "", True),
    ("locale", "en", True),
    ("locale", "EN", True),
    ("locale", "fr-BE", True),
    ("locale", "ckb", True),
    ("locale", "zh-Hant-TW", True),
    ("locale", "de-CH-1996", True),
    ("locale", "sr-Latn-RS-a-b", True),              # 5 subtags
    ("locale", "abcdefgh-abcdefgh-abcdefgh-abcdefgh", True),  # 35 characters
    ("locale", "en_GB", True),                      # '_' read as '-', as the library folds tags
    ("locale", "AR_sy", True),
    ("locale", "en_", False),
    ("locale", "_en", False),
    ("locale", "en-_GB", False),
    ("locale", "e", False),
    ("locale", "en-", False),
    ("locale", "-en", False),
    ("locale", "fr--BE", False),
    ("locale", "abcdefghi", False),                 # language subtag of 9 letters
    ("locale", "en-abcdefghi", False),
    ("locale", "12", False),
    ("locale", "sr-Latn-RS-a-b-c", False),          # 6 subtags
    ("locale", "abcdefgh-abcdefgh-abcdefgh-abcdefgh-a", False),  # 37 characters
    ("locale", "fr BE", False),
    ("locale", "é", False),
    ("locale", '"><script>', False),
    ("mode", "query", True),
    ("mode", "post", True),
    ("mode", "Query", False),
    ("mode", "tweet", False),
    ("mode", "", False),
    ("subject", "user-1", True),
    ("subject", "s" * 256, True),
    ("subject", "é" * 256, True),                   # characters, not bytes
    ("subject", "s" * 257, False),
    ("subject", "é" * 257, False),
]
IDS = [f"{field}={value[:12]!r}{'' if len(value) <= 12 else '...'}:{'ok' if ok else 'refused'}"
       for field, value, ok in CASES]


def _message(field: str, value: str) -> str:
    if field == "locale":
        return LOCALE_MESSAGE if len(value) <= 35 else '"locale" is longer than 35 characters'
    if field == "mode":
        return '"mode" must be "query" or "post"'
    return '"subject" is longer than 256 characters'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not BIN.exists():
        pytest.skip(f"server binary not built: {BIN}")
    s = Server(tmp_path_factory.mktemp("parity"), admin=False)
    yield s
    s.stop()


@pytest.mark.parametrize("field,value,ok", CASES, ids=IDS)
def test_server_evaluate(server, field, value, ok):
    body = json.dumps({"text": "boat to uk", field: value}).encode()
    req = urllib.request.Request(server.url + "/v1/evaluate", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, answer = r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        status, answer = e.code, json.loads(e.read())
    assert status == (200 if ok else 400), answer
    if not ok:
        assert answer["error"] == _message(field, value)


@pytest.mark.skipif(not CLI.exists(), reason=f"signpost CLI not built: {CLI}")
@pytest.mark.parametrize("field,value,ok", CASES, ids=IDS)
def test_cli_check_option(field, value, ok):
    option = [f"--{field}={value}"] if value else [f"--{field}", ""]  # "--x=" would take the next argument
    r = subprocess.run([str(CLI), "check", "--pack", str(PACK), *option, "--", "boat to uk"],
                       capture_output=True, text=True, timeout=60)
    if ok:
        assert r.returncode in (0, 1), r.stderr
        assert json.loads(r.stdout)["action"]
    else:
        assert r.returncode == 2
        assert r.stdout == ""
        assert f"--{field}: {_message(field, value)}" in r.stderr, r.stderr


@pytest.mark.skipif(not CLI.exists(), reason=f"signpost CLI not built: {CLI}")
def test_cli_scan_lines():
    lines = [json.dumps({"id": i, "text": "boat to uk", field: value}) for i, (field, value, _) in enumerate(CASES)]
    r = subprocess.run([str(CLI), "scan", "--pack", str(PACK), "--quiet"], input="\n".join(lines) + "\n",
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == len(CASES)
    for i, ((field, value, ok), o) in enumerate(zip(CASES, out)):
        assert o["id"] == i
        if ok:
            assert o["action"] != "error", (field, value, o)
        else:
            assert o == {"id": i, "action": "error", "error": f"line {i + 1}: {_message(field, value)}"}


@pytest.mark.parametrize("field,value,ok", CASES, ids=IDS)
def test_python_evaluate(field, value, ok):
    signpost = pytest.importorskip("signpost")
    engine = _engine(signpost)
    if ok:
        assert engine.evaluate("boat to uk", **{field: value}).action
        assert getattr(signpost, f"check_{field}")(value) == ""
    else:
        with pytest.raises(ValueError) as e:
            engine.evaluate("boat to uk", **{field: value})
        if field != "mode":  # Python's own message for a mode names the value: "mode must be 'query' or 'post', not ..."
            assert str(e.value) == _message(field, value)
        assert getattr(signpost, f"check_{field}")(value) == _message(field, value)


def test_python_batch_items():
    """In evaluate_many a refused per-item locale or subject is that item's error, as a scan line."""
    signpost = pytest.importorskip("signpost")
    engine = _engine(signpost)
    rows = [(value, ok) for field, value, ok in CASES if field == "locale"]
    out = engine.evaluate_many(["boat to uk"] * len(rows), locale=[v for v, _ in rows])
    for i, ((value, ok), d) in enumerate(zip(rows, out)):
        assert (d.action != "error") == ok, (value, d)
        if not ok:
            assert d.error == f"item {i}: {_message('locale', value)}"


_ENGINES: dict = {}


def _engine(signpost):
    if "engine" not in _ENGINES:
        _ENGINES["engine"] = signpost.Engine.load(PACK)
    return _ENGINES["engine"]
