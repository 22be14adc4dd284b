"""Decision.to_dict() equals the JSON of the C++ command-line tool for the same text.

Needs the `signpost` binary: set SIGNPOST_CLI to its path (for instance build/sdk/cli/signpost);
skipped otherwise."""

import json
import os
import subprocess

import pytest

from signpost_test_support import MINI_PACK, run_module

CLI = os.environ.get("SIGNPOST_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="set SIGNPOST_CLI to the signpost binary")

CASES = [
    ("boat to uk", "en", "query"),
    ("fake passport", "", "query"),
    ("asylum helpline", "en", "post"),
    ("bateau pour angleterre prix", "fr", "query"),
    ("قارب إلى بريطانيا", "ar", "query"),
    ("ééé ☂ asylum helpline", "", "query"),
    ("cheap flights to london", "en", "query"),
    ("boat to uk news", "en", "query"),
    ("🚤 🇬🇧", "", "post"),
    ('</script> "quoted" \\ boat to uk', "en", "query"),
]


def cli(*args, input=None):
    return subprocess.run([CLI, *args], input=input, capture_output=True, timeout=60)


@pytest.mark.parametrize("text,locale,mode", CASES)
def test_check_equals_to_dict(engine, text, locale, mode):
    args = ["check", "--pack", str(MINI_PACK), "--mode", mode]
    if locale:
        args += ["--locale", locale]
    p = cli(*args, "--", text)
    # Like grep: 0 when the decision intervenes, 1 when it is none.
    assert p.returncode == (1 if engine.evaluate(text, locale=locale, mode=mode).action == "none" else 0), p.stderr
    assert json.loads(p.stdout) == engine.evaluate(text, locale=locale, mode=mode).to_dict()
    # Byte for byte: to_json() is the library's own serialiser.
    assert p.stdout.decode("utf-8").rstrip("\n") == engine.evaluate(text, locale=locale, mode=mode).to_json()


def test_scan_output_matches_python_scan():
    lines = [json.dumps({"text": t, "locale": l, "mode": m, "id": str(i)}) for i, (t, l, m) in enumerate(CASES)]
    lines += ["{broken", json.dumps({"text": 5, "id": 9}), "plain boat to uk", json.dumps({"text": "x", "id": 12})]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    c = cli("scan", "--pack", str(MINI_PACK), "--quiet", input=data)
    py = run_module("scan", "--pack", str(MINI_PACK), "--quiet", input=data)
    assert c.returncode == py.returncode == 1
    c_out = [json.loads(x) for x in c.stdout.decode("utf-8").splitlines()]
    py_out = [json.loads(x) for x in py.stdout.splitlines()]
    assert c_out == py_out


def test_eval_json_matches(labelled):
    c = cli("eval", "--pack", str(MINI_PACK), "--json", str(labelled))
    py = run_module("eval", "--pack", str(MINI_PACK), "--json", str(labelled))
    assert c.returncode == py.returncode
    c_out, py_out = json.loads(c.stdout), json.loads(py.stdout)
    assert c_out["items"] == py_out["items"] and c_out["pass"] == py_out["pass"]
    assert c_out["overall"] == py_out["overall"]
    assert c_out["by_category"] == py_out["by_category"]
