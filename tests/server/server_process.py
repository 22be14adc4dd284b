"""A signpost-server process on ephemeral loopback ports, for the end-to-end, demo and documentation
tests, and raw exchanges with it. Standard library only.

Environment:
  SIGNPOST_SERVER_BIN  the server binary (default build/examples/server/signpost-server)
  SIGNPOST_PACK        the pack to serve (default messages/people-smuggling/)
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("SIGNPOST_SERVER_BIN", ROOT / "build/examples/server/signpost-server"))
PACK = Path(os.environ.get("SIGNPOST_PACK", ROOT / "messages/people-smuggling"))
TOKEN = "e2e-admin-token-5f3c9a17d2b84e60"
HEADER_TIMEOUT = 5.0  # limits::header_timeout


class Server:
    """A signpost-server process on ephemeral loopback ports, its stderr collected line by line."""

    def __init__(self, tmp: Path, pack: Path | None = PACK, extra: list[str] | None = None, admin: bool = True,
                 token: str = TOKEN):
        self.lines: list[str] = []
        self._ready = threading.Event()
        args = [str(BIN), "--listen", "127.0.0.1:0", "--threads", "2", "--log-format", "json"]
        if pack is not None:
            args += ["--pack", str(pack)]
        if admin:
            token_file = tmp / "admin-token"
            token_file.write_text(token + "\n")
            args += ["--admin-token-file", str(token_file), "--admin-listen", "127.0.0.1:0"]
        args += extra or []
        env = dict(os.environ)
        env.setdefault("SIGNPOST_PACK", str(PACK))
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        self.port = self.admin_port = None
        self._want_admin = admin
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(30):
            self.stop()
            raise RuntimeError("server did not start:\n" + "\n".join(self.lines))

    def _read(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.lines.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "listening":
                port = int(event["address"].rsplit(":", 1)[1])
                if event["listener"] == "main":
                    self.port = port
                else:
                    self.admin_port = port
                if self.port and (self.admin_port or not self._want_admin):
                    self._ready.set()
        self._ready.set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    def conn(self, admin: bool = False, timeout: float = 10) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.admin_port if admin else self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, admin=False):
        c = self.conn(admin)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def evaluate(self, payload, content_type="application/json"):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        return self.request("POST", "/v1/evaluate", body=body, headers={"Content-Type": content_type})

    def reload(self, token=TOKEN):
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return self.request("POST", "/admin/reload", body=b"", headers=headers, admin=True)

    def stop(self, sig=signal.SIGTERM, timeout=15) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def raw_exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Sends raw bytes and reads until the server closes the connection (or timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
        raise AssertionError(f"connection not closed by the server; got {b''.join(chunks)[:200]!r}")


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])
