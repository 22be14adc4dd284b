"""End to end: signed packs and --trusted-key, the shadow pack and the canary pack (docs/server.md).

Starts the real server binary as test_e2e.py does. Signing uses the signpost CLI
(SIGNPOST_CLI_BIN, default build/sdk/cli/signpost); without it those tests are skipped.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from server_process import BIN, PACK, ROOT, Server

CLI = Path(os.environ.get("SIGNPOST_CLI_BIN") or ROOT / "build/sdk/cli/signpost")
CANARY_SALT = b"signpost-server canary v1"  # arms.hpp, canary_salt

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"server binary not built: {BIN}")
needs_cli = pytest.mark.skipif(not CLI.exists(), reason=f"signpost CLI not built: {CLI}")


def variant(tmp: Path, name: str, version: str, weaker: bool = False) -> Path:
    """A copy of the pack under another version; `weaker`: crossing_offers only warns."""
    dest = tmp / name
    shutil.copytree(PACK, dest)
    manifest = dest / "pack.yaml"
    manifest.write_text(re.sub(r"(?m)^version:.*$", f"version: {version}", manifest.read_text()))
    if weaker:
        cats = dest / "categories.yaml"
        text = cats.read_text()
        at = text.index("id: crossing_offers")
        text = text[:at] + text[at:].replace("action: redirect", "action: interstitial", 1)
        cats.write_text(text)
    return dest


def pack_cli(*args: str) -> None:
    subprocess.run([str(CLI), "pack", *args], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def publisher(tmp_path_factory):
    """A key pair, a signed archive of the pack and an unsigned one."""
    d = tmp_path_factory.mktemp("publisher")
    pack_cli("keygen", "--out", str(d / "publisher"))
    pack_cli("build", str(PACK), "-o", str(d / "signed.tar"))
    pack_cli("sign", str(d / "signed.tar"), "--key", str(d / "publisher.key"))
    pack_cli("build", str(PACK), "-o", str(d / "unsigned.tar"))
    pack_cli("build", str(PACK), "-o", str(d / "signed.tar.gz"))
    pack_cli("sign", str(d / "signed.tar.gz"), "--key", str(d / "publisher.key"))
    return d


def metric(text: str, series: str) -> int:
    m = re.search(r"(?m)^" + re.escape(series) + r" (\d+)$", text)
    return int(m.group(1)) if m else 0


def start_fails(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), "--listen", "127.0.0.1:0", *args], capture_output=True, text=True, timeout=60)


@needs_cli
@pytest.mark.parametrize("archive", ["signed.tar", "signed.tar.gz"])
def test_signed_archive_with_trusted_key_serves(tmp_path, publisher, archive):
    s = Server(tmp_path, pack=publisher / archive, extra=["--trusted-key", str(publisher / "publisher.pub")])
    try:
        status, _, body = s.get("/healthz")
        assert status == 200 and json.loads(body)["pack"]["name"] == "people-smuggling"
        assert json.loads(s.evaluate({"text": "boat to uk price", "locale": "en"})[2])["action"] == "redirect"
    finally:
        assert s.stop() == 0


@needs_cli
def test_tampered_or_unsigned_pack_is_refused_at_start_with_exit_2(tmp_path, publisher):
    data = bytearray((publisher / "signed.tar").read_bytes())
    at = data.index(b"Redirects searches")
    data[at + 16] = ord("z")  # same length: still a valid tar, another pack digest
    tampered = tmp_path / "tampered.tar"
    tampered.write_bytes(bytes(data))
    key = ["--trusted-key", str(publisher / "publisher.pub")]
    r = start_fails(["--pack", str(tampered), *key])
    assert r.returncode == 2
    assert "the pack changed after it was signed" in r.stderr
    r = start_fails(["--pack", str(publisher / "unsigned.tar"), *key])
    assert r.returncode == 2 and "the pack is not signed" in r.stderr
    # A signed live pack does not let an unsigned shadow in.
    r = start_fails(["--pack", str(publisher / "signed.tar"), "--shadow-pack", str(PACK), *key])
    assert r.returncode == 2 and "the shadow pack cannot be used" in r.stderr
    # A secret key where the public one belongs.
    r = start_fails(["--pack", str(publisher / "signed.tar"), "--trusted-key", str(publisher / "publisher.key")])
    assert r.returncode == 2 and "holds a secret key" in r.stderr


@needs_cli
def test_reload_to_an_unsigned_pack_is_refused_while_the_old_one_serves(tmp_path, publisher):
    live = tmp_path / "live.tar"
    shutil.copy(publisher / "signed.tar", live)
    s = Server(tmp_path, pack=live, extra=["--trusted-key", str(publisher / "publisher.pub")])
    try:
        before = json.loads(s.get("/healthz")[2])["pack"]
        shutil.copy(publisher / "unsigned.tar", live)
        status, _, body = s.reload()
        assert status == 500
        err = json.loads(body)
        assert "the previous pack keeps serving" in err["error"]
        assert any("the pack is not signed" in p["message"] for p in err["problems"])
        assert json.loads(s.get("/healthz")[2])["pack"] == before
        assert s.evaluate({"text": "boat to uk price", "locale": "en"})[0] == 200
        assert metric(s.get("/metrics")[2].decode(), 'signpost_server_reloads_total{outcome="failure"}') == 1
        # Signed again: the reload goes through.
        shutil.copy(publisher / "signed.tar", live)
        assert s.reload()[0] == 204
    finally:
        assert s.stop() == 0


def test_shadow_decisions_are_counted_and_never_shown(tmp_path):
    shadow = variant(tmp_path, "shadow", "9.9.9-shadow", weaker=True)
    s = Server(tmp_path, extra=["--shadow-pack", str(shadow)])
    try:
        for _ in range(3):
            d = json.loads(s.evaluate({"text": "boat to uk price", "locale": "en"})[2])
            assert d["action"] == "redirect" and d["pack"]["version"] != "9.9.9-shadow"
        assert json.loads(s.evaluate({"text": "dover calais ferry booking", "locale": "en"})[2])["action"] == "none"
        text = s.get("/metrics")[2].decode()
        assert metric(text, 'signpost_server_shadow_decisions_total{arm="live",outcome="weaker",'
                            'category="crossing_offers",shadow_category="crossing_offers"}') == 3
        assert metric(text, 'signpost_server_shadow_decisions_total{arm="live",outcome="agree",'
                            'category="none",shadow_category="none"}') == 1
        assert 'signpost_server_shadow_pack_info{pack="people-smuggling",version="9.9.9-shadow"' in text
        assert any('"event":"shadow"' in line and "9.9.9-shadow" in line for line in s.lines)
    finally:
        assert s.stop() == 0


def test_canary_serves_its_share_of_subjects(tmp_path):
    rate = 0.25
    canary = variant(tmp_path, "canary", "9.9.9-canary")
    s = Server(tmp_path, extra=["--canary-pack", str(canary), "--canary-rate", str(rate)])
    try:
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        served_canary = 0
        subjects = [f"subject-{i:04d}" for i in range(1000)]
        for subject in subjects:
            body = json.dumps({"text": "boat to uk price", "locale": "en", "subject": subject})
            conn.request("POST", "/v1/evaluate", body=body, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            assert r.status == 200
            on_canary = json.loads(r.read())["pack"]["version"] == "9.9.9-canary"
            # Bucketed exactly like holdouts (signpost.holdout_bucket), with the canary's own salt.
            digest = hmac.new(CANARY_SALT, subject.encode(), hashlib.sha256).digest()
            assert on_canary == ((int.from_bytes(digest[:8], "big") >> 11) / 2**53 < rate)
            served_canary += on_canary
        conn.close()
        assert abs(served_canary - rate * len(subjects)) < 55  # 4 standard deviations of Binomial(1000, 0.25)
        # A subject stays on its side; the header stands in for a missing JSON subject.
        again = json.loads(s.request("POST", "/v1/evaluate", body=json.dumps({"text": "boat to uk price"}),
                                     headers={"Content-Type": "application/json",
                                              "X-Signpost-Subject": subjects[0]})[2])
        first_digest = hmac.new(CANARY_SALT, subjects[0].encode(), hashlib.sha256).digest()
        assert (again["pack"]["version"] == "9.9.9-canary") == ((int.from_bytes(first_digest[:8], "big") >> 11) / 2**53 < rate)
        text = s.get("/metrics")[2].decode()
        arm_canary = metric(text, 'signpost_server_arm_decisions_total{arm="canary",category="crossing_offers",action="redirect"}')
        arm_live = metric(text, 'signpost_server_arm_decisions_total{arm="live",category="crossing_offers",action="redirect"}')
        assert arm_canary + arm_live == len(subjects) + 1
        assert arm_canary >= served_canary
        assert "signpost_server_canary_rate 0.25" in text
        # Subjects are never logged.
        assert not any("subject-0" in line for line in s.lines)
    finally:
        assert s.stop() == 0


def test_shadow_canary_promote_by_reload_as_operations_md_says(tmp_path):
    """The life of a pack in docs/operations.md: names point at packs, every step is a reload."""
    old = variant(tmp_path, "pack-old", "1.0.0-old")
    new = variant(tmp_path, "pack-new", "2.0.0-new")
    links = {name: tmp_path / name for name in ("live", "shadow", "canary")}
    for link in links.values():
        link.symlink_to(old, target_is_directory=True)

    def point(name: str, target: Path) -> None:
        links[name].unlink()
        links[name].symlink_to(target, target_is_directory=True)

    s = Server(tmp_path, pack=links["live"], extra=["--shadow-pack", str(links["shadow"]),
                                                     "--canary-pack", str(links["canary"]), "--canary-rate", "1"])
    try:
        def versions():
            text = s.get("/metrics")[2].decode()
            found = {}
            for name in ("shadow", "canary"):
                m = re.search(rf'signpost_server_{name}_pack_info{{pack="[^"]+",version="([^"]+)"', text)
                found[name] = m.group(1)
            found["live"] = json.loads(s.get("/healthz")[2])["pack"]["version"]
            served = json.loads(s.evaluate({"text": "boat to uk price", "subject": "someone"})[2])
            found["served"] = served["pack"]["version"]  # rate 1: every subject on the canary
            return found

        assert versions() == {"live": "1.0.0-old", "shadow": "1.0.0-old", "canary": "1.0.0-old", "served": "1.0.0-old"}
        point("shadow", new)
        assert s.reload()[0] == 204
        assert versions() == {"live": "1.0.0-old", "shadow": "2.0.0-new", "canary": "1.0.0-old", "served": "1.0.0-old"}
        point("canary", new)
        assert s.reload()[0] == 204
        assert versions()["served"] == "2.0.0-new"
        # Drop: the canary serves the live pack again.
        point("canary", old)
        assert s.reload()[0] == 204
        assert versions() == {"live": "1.0.0-old", "shadow": "2.0.0-new", "canary": "1.0.0-old", "served": "1.0.0-old"}
        # Canary again, then a broken promotion stops the whole step: every pack stays as it was.
        point("canary", new)
        assert s.reload()[0] == 204
        (new / "rules" / "zz-broken.yaml").write_text("rules:\n  - id: Not An Id\n")
        point("live", new)
        status, _, body = s.reload()
        assert status == 500 and "the live pack has" in json.loads(body)["error"]
        assert versions() == {"live": "1.0.0-old", "shadow": "2.0.0-new", "canary": "2.0.0-new", "served": "2.0.0-new"}
        # Fixed: promoted. The canary and the shadow already point at it: they are idle.
        (new / "rules" / "zz-broken.yaml").unlink()
        assert s.reload()[0] == 204
        assert versions() == {"live": "2.0.0-new", "shadow": "2.0.0-new", "canary": "2.0.0-new", "served": "2.0.0-new"}
        assert any('"event":"canary"' in line and "1.0.0-old" in line for line in s.lines)
    finally:
        assert s.stop() == 0
