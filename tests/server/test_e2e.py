"""End-to-end tests of signpost-server: a real process on a loopback port.

Standard library only (http.client, socket, subprocess). Environment:
  SIGNPOST_SERVER_BIN  the server binary (default build/examples/server/signpost-server)
  SIGNPOST_PACK        the pack to serve (default messages/people-smuggling/)
  SIGNPOST_CLI_BIN     optional: the signpost CLI, to check the decision JSON is the same
  SIGNPOST_ARTIFACTS   where screenshots go (default artifacts/server/)

Run from the repository root: python3 -m pytest tests/server -q
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from server_process import BIN, HEADER_TIMEOUT, PACK, ROOT, TOKEN, Server, raw_exchange, status_of

ARTIFACTS = Path(os.environ.get("SIGNPOST_ARTIFACTS", ROOT / "artifacts/server"))

CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"server binary not built: {BIN}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("server"))
    yield s
    assert s.stop() == 0


@pytest.fixture
def pack_copy(tmp_path):
    dest = tmp_path / "pack"
    shutil.copytree(PACK, dest)
    return dest


# ---- endpoints --------------------------------------------------------------------------------


def test_healthz(server):
    status, headers, body = server.get("/healthz")
    assert status == 200
    doc = json.loads(body)
    assert doc["status"] == "ok"
    assert doc["pack"]["hash"].startswith("sha256:")
    assert headers["content-security-policy"] == CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_evaluate_risky_and_ordinary(server):
    status, headers, body = server.evaluate({"text": "boat to uk price", "locale": "en", "id": "q1"})
    assert status == 200
    assert headers["content-type"] == "application/json"
    d = json.loads(body)
    assert d["id"] == "q1"
    assert d["action"] == "redirect"
    assert d["cards"] and all(c["url"].startswith("https://") for c in d["cards"])
    assert d["pack"]["name"]
    status, _, body = server.evaluate({"text": "dover calais ferry booking", "locale": "en"})
    assert status == 200 and json.loads(body)["action"] == "none"


def test_evaluate_matches_the_cli(server):
    cli = os.environ.get("SIGNPOST_CLI_BIN") or str(ROOT / "build/sdk/cli/signpost")
    if not Path(cli).exists():
        pytest.skip("signpost CLI not built")
    text = "passeur calais angleterre numéro"
    out = subprocess.run([cli, "check", "--pack", str(PACK), "--locale", "fr", text], capture_output=True, check=True)
    _, _, body = server.evaluate({"text": text, "locale": "fr"})
    assert json.loads(body) == json.loads(out.stdout)


def test_evaluate_invalid_utf8_still_decides(server):
    status, _, body = server.evaluate(b'{"text": "boat to uk \xff\xfe price", "locale": "en"}')
    assert status == 200
    assert json.loads(body.decode("utf-8", "replace"))["action"] in ("none", "annotate", "interstitial", "redirect")


def test_redirect_endpoint(server):
    payload = {
        "query": {"text": "boat to uk", "locale": "en"},
        "results": [
            {"id": "a", "title": "Dover to Calais ferry", "snippet": "Book your crossing", "url": "https://f.example/"},
            {"id": "b", "title": "Crossing to England this Friday",
             "snippet": "Good boat, strong engine, fast trip to UK. 1400 euro each, children free. WhatsApp",
             "url": "https://ads.example/1"},
        ],
    }
    status, _, body = server.request("POST", "/v1/redirect", body=json.dumps(payload),
                                      headers={"Content-Type": "application/json"})
    assert status == 200
    doc = json.loads(body)
    assert doc["decision"]["action"] == "redirect"
    kinds = [e["kind"] for e in doc["results"]]
    assert "card" in kinds
    assert {"removed", "flagged"} <= doc.keys()


def test_metrics_has_routes_and_no_user_text(server):
    server.get("/search?q=zebracorn+boat+to+uk&hl=en")
    server.evaluate({"text": "unicornium boat to uk", "locale": "en"})
    server.get("/go/quokkaplex")
    status, headers, body = server.get("/metrics")
    assert status == 200
    assert headers["content-type"].startswith("text/plain; version=0.0.4")
    text = body.decode()
    assert 'signpost_server_requests_total{route="/search",status="200"}' in text
    assert 'signpost_server_requests_total{route="/go/{card_id}",status="404"}' in text
    assert "signpost_server_request_duration_seconds_bucket" in text
    assert re.search(r'signpost_server_pack_info\{pack="[^"]+",version="[^"]+",hash="sha256:[0-9a-f]+"\} 1', text)
    assert "signpost_decisions_total{" in text
    for secret in ("zebracorn", "unicornium", "quokkaplex"):
        assert secret not in text


def test_logs_hold_no_user_text(server):
    server.get("/search?q=snarkhunt+boat+to+uk&hl=en")
    server.get("/go/snarkcard")
    time.sleep(0.2)
    request_lines = [json.loads(l) for l in server.lines if l.startswith("{") and '"route"' in l]
    assert request_lines
    for line in request_lines:
        assert {"time", "method", "route", "status", "latency_us"} <= line.keys()
    assert not any("snark" in l for l in server.lines)
    assert not any("127.0.0.1" in l for l in server.lines if '"route"' in l)


def test_home_and_search_pages(server):
    status, headers, body = server.get("/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"] == CSP
    html = body.decode()
    assert "/search?q=" in html and 'role="search"' in html
    status, _, body = server.get("/search?q=small+boat+to+uk+this+weekend&hl=en")
    assert status == 200
    html = body.decode()
    assert 'class="card"' in html and 'href="/go/' in html
    status, headers, body = server.get("/static/site.css")
    assert status == 200 and headers["content-type"].startswith("text/css")


def test_search_rtl(server):
    from urllib.parse import quote
    status, _, body = server.get("/search?q=" + quote("قارب إلى بريطانيا السعر") + "&hl=ar")
    assert status == 200
    html = body.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'dir="rtl"' in html


def test_head(server):
    c = server.conn()
    c.request("HEAD", "/healthz")
    r = c.getresponse()
    assert r.status == 200
    assert int(r.getheader("Content-Length")) > 0
    assert r.read() == b""
    c.close()


def test_go_redirects_to_catalogued_url_and_counts(server):
    _, _, body = server.evaluate({"text": "boat to uk price", "locale": "en"})
    card = json.loads(body)["cards"][0]
    status, headers, _ = server.get(f"/go/{card['id']}?hl=en")
    assert status == 302
    assert headers["location"] == card["url"]
    _, _, metrics = server.get("/metrics")
    assert re.search(r'signpost_card_clicks_total\{[^}]*card="%s",locale="en"\} [1-9]' % re.escape(card["id"]),
                     metrics.decode())


@pytest.mark.parametrize("path", ["/go/https:%2F%2Fevil.example", "/go/https://evil.example", "//evil.example",
                                  "/go//evil.example", "/go/no-such-card", "/go/%2F%2Fevil.example",
                                  "/go/crossing-dangers?url=https://evil.example&hl=https://evil.example"])
def test_go_is_not_an_open_redirect(server, path):
    status, headers, _ = server.get(path)
    if path.startswith("/go/crossing-dangers"):
        # A real card: whatever else the query says, the Location is the pack's own URL.
        assert status in (302, 404)
        assert "evil" not in headers.get("location", "")
    else:
        assert status == 404
        assert "location" not in headers


# ---- errors -----------------------------------------------------------------------------------


def test_errors_are_json_with_the_right_status(server):
    status, headers, body = server.get("/nope")
    assert status == 404 and json.loads(body)["error"]
    status, headers, body = server.get("/v1/evaluate")
    assert status == 405 and headers["allow"] == "POST" and json.loads(body)["error"]
    status, headers, _ = server.request("DELETE", "/search")
    assert status == 405 and headers["allow"] == "GET, HEAD"
    status, _, body = server.evaluate("{not json")
    assert status == 400 and json.loads(body)["error"]
    status, _, body = server.evaluate({"text": 3})
    assert status == 400
    status, _, _ = server.evaluate({"text": "x"}, content_type="text/plain")
    assert status == 415
    status, _, _ = server.get("/search?q=%zz")
    assert status == 400


def test_admin_route_not_on_public_listener(server):
    status, _, _ = server.request("POST", "/admin/reload", body=b"", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 404


def test_411_without_length(server):
    r = raw_exchange(server.port, b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                  b"Connection: close\r\n\r\n")
    assert status_of(r) == 411


def test_413_oversized_body(server):
    body = json.dumps({"text": "a" * 70000})
    status, _, resp = server.evaluate(body)
    assert status == 413
    assert json.loads(resp)["error"]
    # Chunked, with no declared length: stopped once the limit is crossed.
    chunk = b"a" * 40000
    data = (b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 2 + b"0\r\n\r\n")
    assert status_of(raw_exchange(server.port, data)) == 413


def test_431_huge_headers(server):
    status, _, body = server.get("/healthz", headers={"X-Big": "a" * 10000})
    assert status == 431
    assert json.loads(body)["error"]
    status, _, _ = server.get("/search?q=" + "a" * 9000)
    assert status == 431


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\n\r\n",                       # no Host
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n",
    b"GET ftp://evil.example/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
])
def test_malformed_requests_are_400(server, request_bytes):
    assert status_of(raw_exchange(server.port, request_bytes)) == 400


@pytest.mark.parametrize("name,request_bytes", [
    ("CL+TE", b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("TE+CL", b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"),
    ("duplicate CL", b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 13\r\nContent-Length: 2\r\n\r\n{\"text\":\"x\"}"),
    ("CL list", b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 13, 2\r\n\r\n{\"text\":\"x\"}"),
    ("obs-fold", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n"),
])
def test_ambiguous_framing_is_400_and_closes(server, name, request_bytes):
    r = raw_exchange(server.port, request_bytes)  # asserts the server closed the connection
    assert status_of(r) == 400, name
    assert r.count(b"HTTP/1.1 ") == 1, "nothing after the 400 may be answered"
    assert b"connection: close" in r.lower()


def test_keep_alive_and_pipelining(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 3 + b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                  b"Connection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    assert data.count(b"HTTP/1.1 200 OK") == 4


def test_expect_100_continue(server):
    body = json.dumps({"text": "boat to uk price", "locale": "en"}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Expect: 100-continue\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body))
        interim = s.recv(1024)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        s.sendall(body)
        data = interim[len(b"HTTP/1.1 100 Continue\r\n\r\n"):]
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK")
    assert json.loads(data.split(b"\r\n\r\n", 1)[1])["action"] == "redirect"


def test_http10(server):
    r = raw_exchange(server.port, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert r.startswith(b"HTTP/1.0 200 OK")


def test_slow_sender_is_dropped(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
        start = time.monotonic()
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        closed = False
        while time.monotonic() - start < HEADER_TIMEOUT + 5:
            try:
                s.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            try:
                s.settimeout(0.5)
                if s.recv(1024) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
            except ConnectionResetError:
                closed = True
                break
        elapsed = time.monotonic() - start
    assert closed, "a client that never finishes its header must be dropped"
    assert HEADER_TIMEOUT - 1 <= elapsed <= HEADER_TIMEOUT + 3


def test_xss_payloads_are_escaped(server):
    payload = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
    from urllib.parse import quote
    status, _, body = server.get(f"/search?q={quote(payload)}&hl={quote(chr(34) + '><script>alert(3)</script>')}")
    assert status == 200
    html = body.decode()
    assert "<script>" not in html and "<img" not in html and "alert(3)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    status, _, body = server.request("POST", "/v1/redirect", body=json.dumps({
        "query": {"text": payload},
        "results": [{"id": payload, "title": payload, "snippet": payload, "url": "javascript:alert(1)"}]}),
        headers={"Content-Type": "application/json"})
    assert status == 200
    assert b"<script>" not in body and b"<img" not in body
    assert json.loads(body)["results"][0]["title"] == payload  # escaped, not altered
    status, _, body = server.evaluate({"text": payload, "id": payload})
    assert status == 200 and b"<" not in body and json.loads(body)["id"] == payload


# ---- admin, reload, signals -------------------------------------------------------------------


def test_admin_auth(server):
    assert server.reload(token=None)[0] == 401
    assert server.request("POST", "/admin/reload", body=b"", headers={"Authorization": "Basic eDp5"}, admin=True)[0] == 401
    assert server.reload(token="wrong-token-000000000000")[0] == 403
    status, _, body = server.reload()
    assert status == 204 and body == b""
    assert server.request("GET", "/admin/reload", admin=True)[0] == 405


def test_reload_under_load(tmp_path, pack_copy):
    s = Server(tmp_path, pack=pack_copy)
    failures: list[str] = []
    done = threading.Event()
    counts = [0]

    def load():
        c = s.conn()
        while not done.is_set():
            try:
                c.request("POST", "/v1/evaluate", body=json.dumps({"text": "boat to uk price", "locale": "en"}),
                          headers={"Content-Type": "application/json"})
                r = c.getresponse()
                body = r.read()
                if r.status != 200 or json.loads(body)["action"] != "redirect":
                    failures.append(f"{r.status} {body[:100]!r}")
                counts[0] += 1
            except Exception as e:  # noqa: BLE001 - every failure counts
                failures.append(repr(e))
                c.close()
                c = s.conn()
        c.close()

    workers = [threading.Thread(target=load) for _ in range(4)]
    for w in workers:
        w.start()
    try:
        time.sleep(0.3)
        hash_before = json.loads(s.get("/healthz")[2])["pack"]["hash"]
        assert s.reload()[0] == 204
        # Break the pack: the reload fails with every problem located, and the old pack keeps serving.
        (pack_copy / "rules" / "zz-broken.yaml").write_text("rules:\n  - id: Not An Id\n    category: nowhere\n")
        status, headers, body = s.reload()
        assert status == 500
        doc = json.loads(body)
        assert doc["error"]
        assert doc["problems"]
        assert any(re.search(r"zz-broken\.yaml:\d+:\d+: ", p["text"]) for p in doc["problems"])
        assert json.loads(s.get("/healthz")[2])["pack"]["hash"] == hash_before
        time.sleep(0.3)
        (pack_copy / "rules" / "zz-broken.yaml").unlink()
        assert s.reload()[0] == 204
        time.sleep(0.3)
    finally:
        done.set()
        for w in workers:
            w.join()
    _, _, metrics = s.get("/metrics")
    assert 'signpost_server_reloads_total{outcome="success"} 2' in metrics.decode()
    assert 'signpost_server_reloads_total{outcome="failure"} 1' in metrics.decode()
    assert s.stop() == 0
    assert counts[0] > 20
    assert failures == []


def test_sighup_reload(tmp_path, pack_copy):
    s = Server(tmp_path, pack=pack_copy, admin=False)
    before = json.loads(s.get("/healthz")[2])["pack"]
    manifest = pack_copy / "pack.yaml"
    manifest.write_text(re.sub(r"(?m)^version:.*$", "version: 0.0.0-sighup", manifest.read_text()))
    s.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        after = json.loads(s.get("/healthz")[2])["pack"]
        if after["version"] == "0.0.0-sighup":
            break
        time.sleep(0.1)
    assert after["version"] == "0.0.0-sighup" and after["hash"] != before["hash"]
    # A bad pack on SIGHUP: logged with its locations, and the server keeps serving.
    (pack_copy / "rules" / "zz-broken.yaml").write_text("rules:\n  - id: Not An Id\n")
    s.proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any('"outcome":"failure"' in l for l in s.lines):
        time.sleep(0.1)
    assert any('"outcome":"failure"' in l for l in s.lines)
    assert any(re.search(r"zz-broken\.yaml:\d+:\d+: ", l) for l in s.lines)
    assert json.loads(s.get("/healthz")[2])["pack"]["hash"] == after["hash"]
    assert s.stop() == 0


def test_sigterm_finishes_in_flight_requests(tmp_path):
    s = Server(tmp_path, admin=False)
    idle = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    busy = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    body = json.dumps({"text": "boat to uk price", "locale": "en"}).encode()
    busy.sendall(b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
    time.sleep(0.3)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    # New connections are no longer accepted...
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", s.port), timeout=2).close()
    # ...idle ones are closed...
    assert idle.recv(1024) == b""
    # ...and the request in flight is answered in full before the process exits 0.
    busy.sendall(body[10:])
    data = b""
    while True:
        chunk = busy.recv(65536)
        if not chunk:
            break
        data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK")
    assert b"connection: close" in data.lower()
    assert json.loads(data.split(b"\r\n\r\n", 1)[1])["action"] == "redirect"
    assert s.proc.wait(15) == 0
    idle.close()
    busy.close()


def test_connection_limit(tmp_path):
    s = Server(tmp_path, admin=False, extra=["--max-connections", "2"])
    held = [socket.create_connection(("127.0.0.1", s.port), timeout=5) for _ in range(2)]
    for h in held:  # busy (a request on its way), so not closed to make room
        h.sendall(b"GET /healthz HTTP/1.1\r\n")
    time.sleep(0.2)
    r = raw_exchange(s.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(r) == 503
    for h in held:
        h.close()
    time.sleep(0.2)
    assert s.get("/healthz")[0] == 200
    assert s.stop() == 0


# ---- command line -----------------------------------------------------------------------------


def test_bad_flag_exits_2():
    r = subprocess.run([str(BIN), "--no-such-flag"], capture_output=True, timeout=10)
    assert r.returncode == 2
    assert b"--no-such-flag" in r.stderr


def test_help():
    r = subprocess.run([str(BIN), "--help"], capture_output=True, timeout=10)
    assert r.returncode == 0 and b"--admin-token-file" in r.stdout


def test_bad_pack_exits_2_with_every_problem(tmp_path, pack_copy):
    (pack_copy / "rules" / "zz-broken.yaml").write_text("rules:\n  - id: Not An Id\n    category: nowhere\n")
    r = subprocess.run([str(BIN), "--pack", str(pack_copy), "--listen", "127.0.0.1:0"], capture_output=True,
                       timeout=30)
    assert r.returncode == 2
    assert re.search(rb"zz-broken\.yaml:\d+:\d+: ", r.stderr)


# ---- a real browser ---------------------------------------------------------------------------


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.parametrize("name,query,hl,lang,direction", [
    ("search-en", "small boat to uk this weekend", "en", "en", "ltr"),
    ("search-ar", "قارب إلى بريطانيا السعر", "ar", "ar", "rtl"),
])
def test_browser_renders_cards(server, tmp_path, name, query, hl, lang, direction):
    chromium = _chromium()
    if not chromium:
        pytest.skip("chromium not installed")
    from urllib.parse import quote
    url = f"http://127.0.0.1:{server.port}/search?q={quote(query)}&hl={hl}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(common + ["--dump-dom", url], capture_output=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert html.count('class="card"') >= 1
    (ARTIFACTS / f"{name}.html").write_text(html)
    shot = ARTIFACTS / f"{name}.png"
    r = subprocess.run(common + [f"--screenshot={shot}", "--window-size=1200,1600", url], capture_output=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10000
