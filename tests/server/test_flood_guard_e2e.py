"""The flood guard end to end: a real server with a one-second window, ordinary traffic through the
warm-up, then a flood of one risky phrase. Its decisions drop to annotate, /metrics names the rule,
the log says so without the text, and the admin call releases it. Environment as in test_e2e.py.
"""

from __future__ import annotations

import http.client
import json
import time

import pytest

from server_process import BIN, TOKEN, Server

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"server binary not built: {BIN}")

RISKY = "boat to uk price"
ORDINARY = "cheap flights to london"
FLAGS = ["--flood-guard-window", "1", "--flood-guard-baseline", "10", "--flood-guard-warmup", "2",
         "--flood-guard-min-hits", "20"]


def evaluate(conn: http.client.HTTPConnection, text: str) -> dict:
    conn.request("POST", "/v1/evaluate", body=json.dumps({"text": text, "locale": "en"}),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    assert r.status == 200, body
    return json.loads(body)


def release(s: Server, query: str = "", token: str = TOKEN):
    return s.request("POST", "/admin/flood-guard/release" + query, body=b"",
                     headers={"Authorization": f"Bearer {token}"}, admin=True)


def test_a_flood_is_quarantined_logged_and_released(tmp_path):
    s = Server(tmp_path, extra=FLAGS)
    try:
        conn = s.conn()
        # Warm-up: three seconds of ordinary searches make the baseline (no risky search at all).
        assert evaluate(conn, RISKY)["action"] == "redirect"
        deadline = time.monotonic() + 3.2
        while time.monotonic() < deadline:
            assert evaluate(conn, ORDINARY)["action"] == "none"
        # The flood: the same risky phrase a hundred times in a row.
        actions = [evaluate(conn, RISKY)["action"] for _ in range(100)]
        assert actions[0] == "redirect"
        assert actions[-1] == "annotate"
        capped = evaluate(conn, RISKY)
        assert capped["action"] == "annotate"
        assert capped["cards"], "annotate keeps the help cards"
        assert evaluate(conn, ORDINARY)["action"] == "none"
        conn.close()

        metrics = s.get("/metrics")[2].decode()
        assert 'signpost_server_flood_guard_quarantined{rule="boat-to-uk",category="crossing_offers"} 1' in metrics
        assert "signpost_server_flood_guard_quarantines_total 0" not in metrics

        events = [json.loads(l) for l in s.lines if '"event":"flood_guard"' in l]
        assert any(e["action"] == "quarantine" and e["rule"] == "boat-to-uk" and e["category"] == "crossing_offers"
                   for e in events), s.lines
        assert not any(RISKY in l or ORDINARY in l for l in s.lines)

        # Release: a wrong token is refused, an unknown rule is 404, then the rule serves as before.
        assert release(s, token="wrong-token-0123456789abcdef")[0] == 403
        assert release(s, "?rule=no-such-rule")[0] == 404
        status, _, body = release(s, "?rule=boat-to-uk")
        assert status == 200
        assert json.loads(body) == {"released": ["boat-to-uk"]}
        status, _, body = release(s)
        assert status == 200
        conn = s.conn()
        assert evaluate(conn, RISKY)["action"] == "redirect"
        conn.close()
        assert any('"action":"release"' in l and '"rule":"boat-to-uk"' in l for l in s.lines)
        metrics = s.get("/metrics")[2].decode()
        assert "signpost_server_flood_guard_quarantined{" not in metrics
    finally:
        assert s.stop() == 0


def test_the_guard_off_never_caps(tmp_path):
    s = Server(tmp_path, extra=["--flood-guard", "off", "--flood-guard-warmup", "0", "--flood-guard-min-hits", "5"])
    try:
        conn = s.conn()
        assert all(evaluate(conn, RISKY)["action"] == "redirect" for _ in range(50))
        conn.close()
        assert "signpost_server_flood_guard_enabled 0" in s.get("/metrics")[2].decode()
    finally:
        assert s.stop() == 0
