"""The holdout bucket is the documented function, reproducible with Python's standard library.

bucket(salt, subject) = (first 8 bytes of HMAC-SHA256(key=salt, msg=subject) as a big-endian
integer >> 11) / 2**53. These tests compute it here and compare with the command-line tool and,
when it is installed, the Python binding. Run with pytest; only the standard library is needed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("SIGNPOST_CLI", REPO / "build" / "sdk" / "cli" / "signpost"))
DOCS = REPO / "docs" / "measurement.md"


def bucket(salt: str, subject: str) -> float:
    digest = hmac.new(salt.encode("utf-8"), subject.encode("utf-8"), hashlib.sha256).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / 2**53


def need_cli() -> Path:
    if not CLI.is_file():
        pytest.skip(f"signpost CLI not built (set SIGNPOST_CLI); looked for {CLI.name} under the build folder")
    return CLI


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(need_cli()), *args], input=stdin, capture_output=True, text=True, timeout=120)


def intervening_query() -> str:
    """A query the default pack redirects (without any holdout)."""
    for text in ["boat to uk price", "small boat to england tonight price", "fake passport for sale"]:
        out = run_cli("check", "--locale", "en", text)
        if out.returncode == 0 and json.loads(out.stdout)["action"] != "none":
            return text
    pytest.skip("no known query intervenes with the default pack")


def test_worked_example():
    digest = hmac.new(b"s1", b"user-42", hashlib.sha256).hexdigest()
    assert digest == "38eaef257046656840543690b9e23025d8f3c20f007e360b59f80ec022319875"
    assert int(digest[:16], 16) == 4101353354750748008
    assert bucket("s1", "user-42") == 0.22233481086757356


def test_docs_show_the_worked_example():
    text = DOCS.read_text(encoding="utf-8")
    for needle in ["38eaef2570466568", "4101353354750748008", "0.22233481086757356", "hmac.new("]:
        assert needle in text, f"docs/measurement.md lost the worked example ({needle})"


def test_bucket_is_in_unit_interval_and_roughly_uniform():
    values = [bucket("salt", f"subject-{i}") for i in range(20000)]
    assert all(0.0 <= v < 1.0 for v in values)
    assert 0.09 < sum(v < 0.1 for v in values) / len(values) < 0.11


def test_cli_holds_out_exactly_the_subjects_python_computes():
    text = intervening_query()
    rate, salt = 0.3, "s1"
    subjects = [f"user-{i}" for i in range(300)] + ["", "ünïcödé-subject", "user-42", "😀"]
    lines = "\n".join(json.dumps({"id": i, "text": text, "locale": "en", "subject": s}) for i, s in enumerate(subjects))
    out = run_cli("scan", "--holdout", str(rate), "--salt", salt, "--quiet", stdin=lines + "\n")
    assert out.returncode == 0, out.stderr
    decisions = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(decisions) == len(subjects)
    held = 0
    for subject, d in zip(subjects, decisions):
        expected = subject != "" and bucket(salt, subject) < rate  # no subject: never held out
        assert d["holdout"] == expected, subject
        assert (d["action"] == "none") == expected, subject
        held += expected
    assert 60 < held < 120


def test_cli_worked_example_at_the_boundary():
    text = intervening_query()
    # bucket("s1", "user-42") = 0.2223...: held out at 25%, not at 20%.
    for rate, held in [("0.25", True), ("0.2", False)]:
        out = run_cli("check", "--locale", "en", "--subject", "user-42", "--holdout", rate, "--salt", "s1", text)
        # A held-out decision has action none, so check exits 1 for it (like grep).
        assert out.returncode == (1 if held else 0), out.stderr
        assert json.loads(out.stdout)["holdout"] is held


def test_python_binding_agrees():
    signpost = pytest.importorskip("signpost")
    if not hasattr(signpost, "holdout_bucket"):
        pytest.skip("this signpost package has no holdout_bucket")
    cases = [("s1", "user-42"), ("", ""), ("salt", "ünïcödé"), ("k" * 100, "long key is hashed first"), ("s", "😀")]
    cases += [(f"salt-{i}", f"subject-{i * 7919}") for i in range(500)]
    for salt, subject in cases:
        assert signpost.holdout_bucket(salt, subject) == bucket(salt, subject), (salt, subject)
