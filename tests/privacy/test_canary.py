"""Canary test: nothing a user sent reaches a snapshot, report, log line or metric.

Unique canary strings go in as query text, locale-like junk, ids, subjects, result fields, headers
and malformed input, through every path: the command-line tool (scan --metrics-out, check,
report), the Python package and the demo server. Every persisted or aggregated output is then
searched for each canary and for what could stand in for it: its SHA-256 and HMAC digests (hex,
upper-case hex, base64), the 8-byte prefix a holdout bucket is computed from, that prefix as an
integer, and the bucket itself. Decisions returned to the caller may carry offsets, but are
checked for the text and the subject as well.

Binaries: SIGNPOST_CLI (default build/sdk/cli/signpost) and SIGNPOST_SERVER_BIN (default
build/examples/server/signpost-server); a part whose binary is missing is skipped, and so is the
Python part when `import signpost` fails. Standard library and pytest only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CLI = Path(os.environ.get("SIGNPOST_CLI", REPO / "build" / "sdk" / "cli" / "signpost"))
SERVER = Path(os.environ.get("SIGNPOST_SERVER_BIN", REPO / "build" / "examples" / "server" / "signpost-server"))
PACK = REPO / "messages" / "people-smuggling"
SALT = "canary-salt"
TRIGGER = "boat to uk price"  # the default pack redirects this; the canary rides along

# Letters that no normalization step (case, leetspeak, look-alikes, repeats) turns into another,
# so a canary cannot slip through in a normalized spelling.
ALPHABET = "cdfhjkmnpqwxy"


def make_canary(length: int = 16) -> str:
    out = ""
    while len(out) < length:
        c = secrets.choice(ALPHABET)
        if not out or out[-1] != c:
            out += c
    return out


class Canaries:
    """One canary per kind of input, and every derived form that must never appear."""

    def __init__(self) -> None:
        self.text = make_canary()          # words inside a query / post
        self.text_alone = make_canary()    # a whole query that matches nothing
        self.locale = make_canary()        # locale-like junk
        self.locale_tag = make_canary(8)   # a well-formed subtag: en-<canary>
        self.id = make_canary()            # ids the caller passes (scan "id", result ids)
        # Eight subjects, at least one in each group of a 50% holdout under SALT.
        while True:
            self.subjects = [make_canary() for _ in range(8)]
            held = sum(bucket(SALT, s) < 0.5 for s in self.subjects)
            if 0 < held < len(self.subjects):
                break
        self.result = make_canary()        # result titles, snippets, urls
        self.header = make_canary()        # request headers, paths, tokens
        self.junk = make_canary()          # malformed input

    def all(self) -> list[str]:
        return [self.text, self.text_alone, self.locale, self.locale_tag, self.id, *self.subjects, self.result,
                self.header, self.junk]

    @staticmethod
    def forms(c: str) -> list[str]:
        raw = c.encode("utf-8")
        digests = [hashlib.sha256(raw).digest(), hmac.new(SALT.encode(), raw, hashlib.sha256).digest()]
        out = [c]
        for d in digests:
            v = int.from_bytes(d[:8], "big")
            out += [d.hex(), d.hex().upper(), base64.b64encode(d).decode(), base64.urlsafe_b64encode(d).decode().rstrip("="),
                    d[:8].hex(), str(v), repr((v >> 11) / 2**53)]
        return out

    def forbidden(self) -> list[tuple[str, str]]:
        """(needle, what it stands for), needles compared case-insensitively."""
        return [(form, c) for c in self.all() for form in self.forms(c)]

    def caller_forbidden(self) -> list[tuple[str, str]]:
        """What a decision returned to the caller must not hold either: the text and subjects."""
        return [(form, c) for c in [self.text, self.text_alone, *self.subjects] for form in self.forms(c)]


def bucket(salt: str, subject: str) -> float:
    digest = hmac.new(salt.encode(), subject.encode(), hashlib.sha256).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / 2**53


def assert_clean(where: str, content: str | bytes, needles: list[tuple[str, str]]) -> None:
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    low = content.lower()
    for needle, source in needles:
        at = low.find(needle.lower())
        assert at < 0, f"{where} contains {needle!r} (derived from canary {source!r}): ...{content[max(0, at - 60):at + 80]!r}..."


@pytest.fixture()
def canaries() -> Canaries:
    return Canaries()


def need(path: Path, what: str, env: str) -> Path:
    if not path.is_file():
        pytest.skip(f"{what} not built (set {env})")
    return path


def run(args: list[str], stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout)


# ---- command-line tool ---------------------------------------------------------------------------

def scan_lines(c: Canaries) -> str:
    lines = []
    for i, subject in enumerate(c.subjects):
        lines.append(json.dumps({"id": f"{c.id}-{i}", "text": f"{TRIGGER} {c.text}", "locale": f"en-{c.locale_tag}",
                                 "subject": subject}))
    lines.append(json.dumps({"id": c.id, "text": c.text_alone, "locale": c.locale, "subject": c.subjects[0]}))
    lines.append(json.dumps({"id": c.id, "text": f"{c.text} {TRIGGER}", "locale": c.locale, "mode": "post"}))
    lines.append(json.dumps({"id": c.id, "text": c.text, "mode": c.junk}))          # bad mode
    lines.append(json.dumps({"id": c.id, "text": 42, "locale": c.junk}))            # bad text
    lines.append('{"id": "' + c.id + '", "text": "' + c.junk + '"')                 # bad JSON
    lines.append(f"{TRIGGER} {c.text} plain line")                                   # plain text
    lines.append(c.text_alone)
    return "\n".join(lines) + "\n"


def test_cli_scan_check_and_report(tmp_path: Path, canaries: Canaries):
    cli = need(CLI, "signpost CLI", "SIGNPOST_CLI")
    c = canaries
    forbidden = c.forbidden()

    # scan, with a host holdout so that both groups are exercised
    snapshot = tmp_path / "snapshot.json"
    out = run([str(cli), "scan", "--pack", str(PACK), "--holdout", "0.5", "--salt", SALT, "--metrics-out", str(snapshot)],
              stdin=scan_lines(c))
    assert out.returncode == 1, out.stderr  # the three bad lines are errors, the rest scanned
    decisions = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(decisions) == len(c.subjects) + 7
    assert any(d.get("holdout") for d in decisions)
    assert any(d.get("action") == "redirect" for d in decisions)
    assert_clean("scan stderr", out.stderr, forbidden)
    for d in decisions:
        assert_clean("a decision printed by scan", json.dumps(d), c.caller_forbidden())
    snap_text = snapshot.read_text(encoding="utf-8")
    assert_clean("the snapshot written by scan --metrics-out", snap_text, forbidden)
    snap = json.loads(snap_text)
    assert snap["format"] == "signpost-metrics"
    # The two lines whose locale is junk are refused like the other bad lines (one validation for
    # the CLI, Python and the server), so they are not evaluated.
    assert snap["evaluations"] == len(c.subjects) + 2
    assert any(row["holdout"] for row in snap["decisions"])
    assert snap["cards"]

    # check
    for args in (["--locale", c.locale], ["--locale", f"en-{c.locale_tag}"], ["--subject", c.subjects[1], "--holdout", "0.5",
                                                                               "--salt", SALT]):
        out = run([str(cli), "check", "--pack", str(PACK), *args, f"{TRIGGER} {c.text}"])
        # 0 when the decision intervenes, 1 when it is none (a held-out subject), 2 for the junk
        # locale (refused, without quoting it).
        if args == ["--locale", c.locale]:
            assert out.returncode == 2, out.stderr
        else:
            assert out.returncode in (0, 1), out.stderr
        assert_clean("check stderr", out.stderr, forbidden)
        assert_clean("the decision printed by check", out.stdout, c.caller_forbidden())

    # report, exact and with noise
    for extra in (["--k", "0"], ["--k", "1", "--epsilon", "1"]):
        report_dir = tmp_path / ("report" + "-".join(extra))
        out = run([str(cli), "report", str(snapshot), "--out", str(report_dir), *extra])
        assert out.returncode == 0, out.stderr
        assert_clean("report stdout", out.stdout, forbidden)
        assert_clean("report stderr", out.stderr, forbidden)
        for name in ("report.md", "report.html"):
            assert_clean(name, (report_dir / name).read_text(encoding="utf-8"), forbidden)
        assert "crossing_offers" in (report_dir / "report.md").read_text(encoding="utf-8")

    # a snapshot carrying text is refused, without quoting it
    bad = json.loads(snap_text)
    bad["decisions"][0]["category"] = f"{c.junk} typed by someone"
    bad_path = tmp_path / "bad.json"
    bad_path.write_text(json.dumps(bad), encoding="utf-8")
    out = run([str(cli), "report", str(bad_path), "--out", str(tmp_path / "bad-report")])
    assert out.returncode == 2
    assert out.stderr.startswith(f"signpost report: {bad_path}: decisions[0].category:")
    assert_clean("report error message", out.stderr, forbidden)
    bad = json.loads(snap_text)
    bad[c.junk] = 1
    bad_path.write_text(json.dumps(bad), encoding="utf-8")
    out = run([str(cli), "report", str(bad_path), "--out", str(tmp_path / "bad-report")])
    assert out.returncode == 2
    assert_clean("report error message", out.stderr, forbidden)


# ---- Python --------------------------------------------------------------------------------------

def test_python_package(tmp_path: Path, canaries: Canaries):
    signpost = pytest.importorskip("signpost")
    c = canaries
    forbidden = c.forbidden()
    engine = signpost.Engine(str(PACK), holdout_rate=0.5, holdout_salt=SALT)
    recorder = signpost.MetricsRecorder(engine)
    for subject in c.subjects:
        d = engine.evaluate(f"{TRIGGER} {c.text}", locale=f"en-{c.locale_tag}", subject=subject)
        assert_clean("a Python decision", json.dumps(d.to_dict(id=c.id)), c.caller_forbidden())
        recorder.record(d)
    # A junk locale is refused without being quoted; the batch then runs with a real one.
    with pytest.raises(ValueError) as refused:
        engine.evaluate_many([c.text_alone, f"{c.text} {TRIGGER}"], locale=c.locale)
    assert_clean("the error for a junk locale", str(refused.value), forbidden)
    for d in engine.evaluate_many([c.text_alone, f"{c.text} {TRIGGER}"], locale="en"):
        recorder.record(d)
    recorder.record_click("crossing-dangers", c.locale)
    recorder.record_impression(c.id, c.locale)
    red = engine.redirect(f"{TRIGGER} {c.text}", [{"id": c.id, "title": c.result, "snippet": f"{TRIGGER} {c.result}",
                                                   "url": f"https://example.org/{c.result}"}])
    recorder.record(red.decision)
    assert_clean("a Python redirect decision", json.dumps(red.decision.to_dict()), c.caller_forbidden())
    assert_clean("MetricsRecorder.snapshot()", json.dumps(recorder.snapshot()), forbidden)
    assert_clean("MetricsRecorder.snapshot_json()", recorder.snapshot_json(), forbidden)
    assert_clean("MetricsRecorder.prometheus()", recorder.prometheus(), forbidden)
    assert recorder.snapshot()["evaluations"] == len(c.subjects) + 3

    # python -m signpost scan --metrics-out, when the package has it
    snapshot = tmp_path / "py-snapshot.json"
    out = run([sys.executable, "-m", "signpost", "scan", "--pack", str(PACK), "--holdout", "0.5", "--salt", SALT,
               "--metrics-out", str(snapshot)], stdin=scan_lines(c))
    if out.returncode in (0, 1) and snapshot.is_file():
        assert_clean("python -m signpost scan stderr", out.stderr, forbidden)
        assert_clean("the snapshot written by python -m signpost scan", snapshot.read_text(encoding="utf-8"), forbidden)


# ---- the demo server -----------------------------------------------------------------------------

class Server:
    def __init__(self, binary: Path, tmp: Path, log_format: str) -> None:
        self.token = make_canary(24)
        token_file = tmp / f"token-{log_format}"
        token_file.write_text(self.token + "\n", encoding="utf-8")
        self.log_path = tmp / f"server-{log_format}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(binary), "--pack", str(PACK), "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
             "--admin-token-file", str(token_file), "--log-format", log_format, "--threads", "2"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.port = self.admin_port = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (self.port and self.admin_port):
            if self.proc.poll() is not None:
                raise AssertionError(f"signpost-server exited with {self.proc.returncode}: {self.log_text()}")
            for line in self.log_text().splitlines():
                if "listening" not in line:
                    continue
                m = re.search(r"127\.0\.0\.1:(\d+)", line)
                if m and int(m.group(1)) != 0:
                    if "admin" in line:
                        self.admin_port = int(m.group(1))
                    else:
                        self.port = int(m.group(1))
            time.sleep(0.05)
        assert self.port, f"signpost-server did not report its port: {self.log_text()}"

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                admin: bool = False) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.admin_port if admin else self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, res.read()
        finally:
            conn.close()

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_server(tmp_path: Path, canaries: Canaries, log_format: str):
    binary = need(SERVER, "signpost-server", "SIGNPOST_SERVER_BIN")
    c = canaries
    forbidden = c.forbidden()
    server = Server(binary, tmp_path, log_format)
    try:
        q = urllib.parse.quote
        hdrs = {"User-Agent": c.header, "Referer": f"https://example.org/{c.header}", "Cookie": f"sid={c.header}",
                "X-Forwarded-For": "203.0.113.9", "X-Request-Id": c.header, "Content-Type": "application/json"}

        status, body = server.request("GET", "/healthz", headers=hdrs)
        assert status == 200

        # the JSON API
        returned = []
        for i, subject in enumerate(c.subjects):
            req = {"text": f"{TRIGGER} {c.text}", "locale": c.locale_tag if i % 2 else f"en-{c.locale_tag}",
                   "mode": "query", "subject": subject}
            status, body = server.request("POST", "/v1/evaluate", json.dumps(req).encode(), hdrs)
            assert status == 200, body
            returned.append(body)
        status, body = server.request("POST", "/v1/evaluate", json.dumps({"text": c.text_alone, "subject": c.subjects[0]}).encode(), hdrs)
        assert status == 200
        returned.append(body)
        redirect = {"query": {"text": f"{TRIGGER} {c.text}", "locale": c.locale_tag},
                    "results": [{"id": c.id, "title": f"{TRIGGER} {c.result}", "snippet": c.result,
                                 "url": f"https://example.org/{c.result}"},
                                {"id": f"{c.id}-2", "title": c.result, "snippet": c.result, "url": "https://example.org/"}]}
        status, body = server.request("POST", "/v1/redirect", json.dumps(redirect).encode(), hdrs)
        assert status == 200, body
        decision_of_redirect = json.loads(body)["decision"]
        assert_clean("/v1/redirect's decision", json.dumps(decision_of_redirect), c.caller_forbidden())
        for b in returned:
            assert_clean("a decision returned by /v1/evaluate", b, c.caller_forbidden())

        # malformed and hostile requests: refused, and never logged with their content
        for payload in [b'{"text": "' + c.junk.encode() + b'"',                    # truncated JSON
                        c.junk.encode(),                                           # not JSON
                        json.dumps({"text": c.text, "mode": c.junk}).encode(),     # bad mode
                        json.dumps({"text": 7, "locale": c.junk}).encode(),        # wrong type
                        json.dumps({"text": c.text, "locale": c.locale}).encode()]:  # not a language tag
            status, _ = server.request("POST", "/v1/evaluate", payload, hdrs)
            assert 400 <= status < 500, payload
        # and some the server may accept or refuse as it likes: only the logs matter here
        for payload in [json.dumps({"text": c.text, c.junk: c.junk}).encode(),
                        json.dumps({"text": c.text, "subject": 5}).encode()]:
            server.request("POST", "/v1/evaluate", payload, hdrs)
        server.request("POST", "/v1/redirect", json.dumps({**redirect, "query": {"text": c.text, "locale": c.locale}}).encode(), hdrs)
        server.request("POST", "/v1/redirect", json.dumps({"query": {"text": c.text}, "results": [{"id": 5, "title": c.result}]}).encode(), hdrs)
        server.request("POST", "/v1/evaluate", json.dumps({"text": c.text}).encode(), {**hdrs, "Content-Type": f"text/{c.junk}"})
        server.request("GET", f"/v1/evaluate?{c.junk}={c.junk}", headers=hdrs)
        server.request("GET", f"/{c.junk}/{c.text}", headers=hdrs)
        server.request(c.junk.upper()[:10], "/v1/evaluate", headers=hdrs)

        # the demo search page and card links
        status, _ = server.request("GET", f"/search?q={q(TRIGGER + ' ' + c.text)}&hl={q(c.locale)}", headers=hdrs)
        assert status == 200
        server.request("GET", f"/search?q={q(c.text_alone)}&hl=en-{c.locale_tag}", headers=hdrs)
        server.request("GET", f"/?hl={q(c.locale)}", headers=hdrs)
        card_ids = [card["id"] for card in json.loads(returned[0]).get("cards", [])] or ["crossing-dangers"]
        for card in card_ids:
            status, _ = server.request("GET", f"/go/{card}?hl={q(c.locale)}&{c.junk}={c.junk}", headers=hdrs)
            assert status == 302
        status, _ = server.request("GET", f"/go/{c.id}?hl=en", headers=hdrs)
        assert status == 404
        server.request("GET", f"/go/{q(TRIGGER + ' ' + c.text)}", headers=hdrs)

        # admin: a wrong token (a canary) and a right one
        if server.admin_port:
            status, _ = server.request("POST", "/admin/reload", b"", {**hdrs, "Authorization": f"Bearer {c.header}"}, admin=True)
            assert status in (401, 403)
            status, _ = server.request("POST", "/admin/reload", b"", {"Authorization": f"Bearer {server.token}"}, admin=True)
            assert status == 204

        # metrics, before and after a reload folded the old counts in
        status, metrics = server.request("GET", "/metrics", headers=hdrs)
        assert status == 200
        text = metrics.decode("utf-8")
        assert "signpost_decisions_total" in text
        assert_clean("/metrics", text, forbidden)
        assert_clean("/metrics (the admin token)", text, [(server.token, "admin token")])
        for line in text.splitlines():
            if line.startswith("signpost_") and "{" in line:
                labels = line[line.index("{") + 1:line.rindex("}")]
                for value in re.findall(r'="((?:[^"\\]|\\.)*)"', labels):
                    assert re.fullmatch(r"[A-Za-z0-9_.:/{}+\-]*", value), f"/metrics label is not an id: {value!r}"
    finally:
        logs = server.stop()
    assert logs.strip(), "the server logged nothing"
    assert_clean(f"the server's {log_format} log", logs, forbidden)
    assert_clean("the server's log (the admin token)", logs, [(server.token, "admin token")])
