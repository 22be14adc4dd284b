"""A connection reuses its request and response buffers from one request to the next
(examples/server/src/server_session.cpp): nothing of one request may show in the next.

Each test sends several requests on one keep-alive connection, pipelined in one write, and checks
every response against what a fresh connection answers to the same request alone.
"""

from __future__ import annotations

import json
import socket

import pytest

from server_process import BIN, Server

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"server binary not built: {BIN}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("reuse"), admin=False)
    yield s
    s.stop()


def post(path: str, body: bytes, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: x", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_responses(port: int, data: bytes, count: int) -> list[tuple[int, dict[str, str], bytes]]:
    """Sends `data` in one write and reads `count` responses (Content-Length framed)."""
    out = []
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        buf = b""
        while len(out) < count:
            while b"\r\n\r\n" not in buf:
                chunk = s.recv(65536)
                assert chunk, f"connection closed after {len(out)} responses"
                buf += chunk
            head, buf = buf.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
            length = int(headers.get("content-length", "0"))
            while len(buf) < length:
                chunk = s.recv(65536)
                assert chunk, "connection closed inside a body"
                buf += chunk
            out.append((int(lines[0].split()[1]), headers, buf[:length]))
            buf = buf[length:]
    return out


RISKY = json.dumps({"text": "boat to uk tonight price per person", "locale": "en"}).encode()
PLAIN = json.dumps({"text": "weather in leeds"}).encode()


def test_headers_of_a_request_do_not_carry_over(server):
    # The first request has more header fields than the second, Content-Type among them; the second
    # has none, so it must be refused 415 as on a fresh connection, not answered with the first's.
    many = [("Content-Type", "application/json"), ("Accept", "*/*"), ("X-One", "1"), ("X-Two", "2"),
            ("User-Agent", "reuse-test")]
    data = post("/v1/evaluate", RISKY, many) + post("/v1/evaluate", RISKY, []) + post("/v1/evaluate", RISKY, many)
    statuses = [status for status, _, _ in read_responses(server.port, data, 3)]
    alone = read_responses(server.port, post("/v1/evaluate", RISKY, []), 1)[0][0]
    assert alone == 415
    assert statuses == [200, 415, 200]


def test_bodies_and_responses_do_not_carry_over(server):
    # A long answer (a redirect with cards), then a short one, then the long one again: each
    # response is the same bytes as the same request alone on a new connection.
    ct = [("Content-Type", "application/json")]
    requests = [post("/v1/evaluate", RISKY, ct), post("/v1/evaluate", PLAIN, ct), post("/v1/evaluate", RISKY, ct),
                post("/v1/evaluate", b'{"text": 5}', ct)]
    together = read_responses(server.port, b"".join(requests), len(requests))
    for req, (status, headers, body) in zip(requests, together):
        status_alone, headers_alone, body_alone = read_responses(server.port, req, 1)[0]
        assert (status, body) == (status_alone, body_alone)
        assert headers["content-length"] == headers_alone["content-length"]
    assert [s for s, _, _ in together] == [200, 200, 200, 400]
    assert json.loads(together[0][2])["action"] != "none"
    assert json.loads(together[1][2])["action"] == "none"
