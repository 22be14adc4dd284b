"""A signpost-server process on ephemeral loopback ports, for the documentation tests."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("SIGNPOST_SERVER_BIN", ROOT / "build/examples/server/signpost-server"))
PACK = Path(os.environ.get("SIGNPOST_PACK", ROOT / "messages/people-smuggling"))


class ServerProcess:
    def __init__(self, tmp: Path, admin_token: str | None = None):
        args = [str(BIN), "--pack", str(PACK), "--listen", "127.0.0.1:0", "--threads", "2", "--log-format", "json"]
        if admin_token:
            token_file = tmp / "admin-token"
            token_file.write_text(admin_token + "\n")
            args += ["--admin-token-file", str(token_file), "--admin-listen", "127.0.0.1:0"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.port = self.admin_port = None
        want_admin = admin_token is not None
        ready = threading.Event()

        def read():
            for raw in self.proc.stderr:
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                if event.get("event") == "listening":
                    port = int(event["address"].rsplit(":", 1)[1])
                    if event.get("listener") == "main":
                        self.port = port
                    else:
                        self.admin_port = port
                    if self.port and (self.admin_port or not want_admin):
                        ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(30) or self.port is None:
            self.stop()
            raise RuntimeError("signpost-server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
