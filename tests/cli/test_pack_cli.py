"""`signpost pack` (build, keygen, sign, verify) and `signpost diff`: files, exit codes, errors."""
import io
import os
import pathlib
import shutil
import stat
import subprocess
import tarfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
FIXTURE = ROOT / "tests" / "data" / "packs" / "engine"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.fixture
def pack(tmp_path):
    dst = tmp_path / "pack"
    shutil.copytree(FIXTURE, dst)
    return dst


# ---- build ------------------------------------------------------------------------------------

def test_build_is_canonical_and_loads(tmp_path, pack):
    a, b = tmp_path / "a.tar", tmp_path / "b.tar"
    assert run("pack", "build", pack, "-o", a).returncode == 0
    os.utime(pack / "pack.yaml", (1, 1))  # times and owners are not part of the archive
    assert run("pack", "build", pack, "-o", b).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    with tarfile.open(a) as t:
        names = t.getnames()
        assert names == sorted(names)
        assert all(m.isfile() and m.mode == 0o644 and m.mtime == 0 and m.uid == 0 for m in t.getmembers())
    r = run("check", "--pack", a, "--locale", "en", "boat to uk")
    assert r.returncode == 0 and '"action":"redirect"' in r.stdout


def test_build_gzip_is_canonical(tmp_path, pack):
    a, b = tmp_path / "a.tar.gz", tmp_path / "b.tgz"
    assert run("pack", "build", pack, "-o", a).returncode == 0
    assert run("pack", "build", pack, "-o", b).returncode == 0
    assert a.read_bytes()[:2] == b"\x1f\x8b"
    assert a.read_bytes() == b.read_bytes()
    assert run("lint", "--pack", a).returncode == 0


def test_build_refuses_a_broken_pack(tmp_path, pack):
    (pack / "rules" / "bad.yaml").write_text("rules:\n  - id: BAD ID\n")
    r = run("pack", "build", pack, "-o", tmp_path / "x.tar")
    assert r.returncode == 2
    assert "rules/bad.yaml:2:" in r.stderr
    assert not (tmp_path / "x.tar").exists()


def test_build_usage_errors():
    assert run("pack").returncode == 2
    assert run("pack", "build").returncode == 2
    assert run("pack", "build", FIXTURE).returncode == 2
    assert run("pack", "frobnicate").returncode == 2
    assert run("pack", "build", FIXTURE, "-o", "x.tar", "--key", "k").returncode == 2
    r = run("pack", "--help")
    assert r.returncode == 0 and r.stdout.startswith("usage: signpost pack")


# ---- keys, sign, verify -----------------------------------------------------------------------

def test_keygen_writes_a_private_secret_and_never_overwrites(tmp_path):
    name = tmp_path / "k"
    assert run("pack", "keygen", "--out", name).returncode == 0
    key, pub = tmp_path / "k.key", tmp_path / "k.pub"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert pub.read_text().startswith("ed25519:")
    assert key.read_text().startswith("ed25519-secret:")
    before = key.read_bytes()
    r = run("pack", "keygen", "--out", name)
    assert r.returncode == 2 and "already exists" in r.stderr
    assert key.read_bytes() == before


def test_sign_and_verify(tmp_path, pack):
    tar = tmp_path / "p.tar"
    assert run("pack", "build", pack, "-o", tar).returncode == 0
    assert run("pack", "keygen", "--out", tmp_path / "k").returncode == 0
    assert run("pack", "keygen", "--out", tmp_path / "other").returncode == 0
    # Unsigned: 1.
    r = run("pack", "verify", tar, "--trusted-key", tmp_path / "k.pub")
    assert r.returncode == 1 and "not signed" in r.stderr
    assert run("pack", "sign", tar, "--key", tmp_path / "k.key").returncode == 0
    assert "pack.sig" in tarfile.open(tar).getnames()
    r = run("pack", "verify", tar, "--trusted-key", tmp_path / "k.pub")
    assert r.returncode == 0, r.stderr
    # Wrong key: 1. Either of two trusted keys: 0.
    r = run("pack", "verify", tar, "--trusted-key", tmp_path / "other.pub")
    assert r.returncode == 1 and "no signature by a trusted key" in r.stderr
    assert run("pack", "verify", tar, "--trusted-key", tmp_path / "other.pub", "--trusted-key", tmp_path / "k.pub").returncode == 0
    # Signing twice gives the same archive (ed25519 signatures are deterministic).
    first = tar.read_bytes()
    assert run("pack", "sign", tar, "--key", tmp_path / "k.key").returncode == 0
    assert tar.read_bytes() == first


def test_verify_refuses_a_tampered_archive(tmp_path, pack):
    tar = tmp_path / "p.tar"
    run("pack", "keygen", "--out", tmp_path / "k")
    run("pack", "build", pack, "-o", tar)
    run("pack", "sign", tar, "--key", tmp_path / "k.key")
    # Rewrite one rule file inside the signed archive with Python's tarfile.
    out = tmp_path / "tampered.tar"
    with tarfile.open(tar) as src, tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            if m.name == "rules/rules.yaml":
                data = data.replace(b"weight: 0.6", b"weight: 0.5", 1)
                m.size = len(data)
            dst.addfile(m, io.BytesIO(data))
    r = run("pack", "verify", out, "--trusted-key", tmp_path / "k.pub")
    assert r.returncode == 1
    assert "the pack changed after it was signed" in r.stderr


def test_verify_truncated_archive_is_1_and_bad_key_file_is_2(tmp_path, pack):
    tar = tmp_path / "p.tar"
    run("pack", "keygen", "--out", tmp_path / "k")
    run("pack", "build", pack, "-o", tar)
    run("pack", "sign", tar, "--key", tmp_path / "k.key")
    cut = tmp_path / "cut.tar"
    cut.write_bytes(tar.read_bytes()[:1500])
    r = run("pack", "verify", cut, "--trusted-key", tmp_path / "k.pub")
    assert r.returncode == 1 and "truncated" in r.stderr
    r = run("pack", "verify", tar, "--trusted-key", tmp_path / "k.key")
    assert r.returncode == 2 and "not an ed25519 public key" in r.stderr
    assert run("pack", "verify", tar, "--trusted-key", tmp_path / "missing.pub").returncode == 2
    assert run("pack", "verify", tar).returncode == 2


def test_sign_a_folder(tmp_path, pack):
    run("pack", "keygen", "--out", tmp_path / "k")
    assert run("pack", "sign", pack, "--key", tmp_path / "k.key").returncode == 0
    assert (pack / "pack.sig").exists()
    assert run("pack", "verify", pack, "--trusted-key", tmp_path / "k.pub").returncode == 0
    # The folder's archive carries the signature.
    tar = tmp_path / "p.tar"
    assert run("pack", "build", pack, "-o", tar).returncode == 0
    assert run("pack", "verify", tar, "--trusted-key", tmp_path / "k.pub").returncode == 0
    (pack / "rules" / "rules.yaml").write_text((pack / "rules" / "rules.yaml").read_text() + "\n# edit\n")
    assert run("pack", "verify", pack, "--trusted-key", tmp_path / "k.pub").returncode == 1


def test_sign_with_a_public_key_is_a_usage_error(tmp_path, pack):
    run("pack", "keygen", "--out", tmp_path / "k")
    r = run("pack", "sign", pack, "--key", tmp_path / "k.pub")
    assert r.returncode == 2 and "not an ed25519 secret key" in r.stderr
    assert not (pack / "pack.sig").exists()


# ---- diff -------------------------------------------------------------------------------------

CORPUS = "R\ten\tboat to uk\nR\ten\tboat price\nA\ten\tferry boat to uk\nR\ten\tfake passport\nA\tfr\tbonjour\n"


def test_diff_same_pack_exits_0(tmp_path, pack):
    corpus = tmp_path / "c.tsv"
    corpus.write_text(CORPUS)
    tar = tmp_path / "p.tar"
    run("pack", "build", pack, "-o", tar)
    r = run("diff", "--old", pack, "--new", tar, corpus)
    assert r.returncode == 0, r.stderr
    assert "No item's decision changed." in r.stdout


def test_diff_reports_rates_and_changed_items(tmp_path, pack):
    corpus = tmp_path / "c.tsv"
    corpus.write_text(CORPUS + "R\ten\t<script>alert(1)</script> fake passport\n")
    new = tmp_path / "new"
    shutil.copytree(pack, new)
    # The documents rule stops firing on "fake passport" in the new pack.
    for p in (new / "rules").iterdir():
        t = p.read_text()
        if "fake-passport" in t:
            p.write_text(t.replace("all: [fake, passport]", "all: [fake, passport, boat]")
                         .replace("match: [fake passport]", "match: [fake passport boat]"))
    out = tmp_path / "out"
    r = run("diff", "--old", pack, "--new", new, corpus, "--out", out)
    assert r.returncode == 1, r.stderr
    md = (out / "diff.md").read_text()
    assert md == r.stdout
    assert "| `documents` |" in md
    assert "worse" in md
    html = (out / "diff.html").read_text()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html


def test_diff_errors_exit_2(tmp_path, pack):
    corpus = tmp_path / "c.tsv"
    corpus.write_text(CORPUS)
    assert run("diff", "--old", pack, corpus).returncode == 2
    assert run("diff", "--old", pack, "--new", pack).returncode == 2
    assert run("diff", "--old", pack, "--new", pack, "--mode", "bogus", corpus).returncode == 2
    assert run("diff", "--old", pack, "--new", tmp_path / "nope", corpus).returncode == 2
    bad = tmp_path / "bad.tsv"
    bad.write_text("X\ten\tsomething\n")
    r = run("diff", "--old", pack, "--new", pack, bad)
    assert r.returncode == 2 and "line 1" in r.stderr
    broken = tmp_path / "broken"
    shutil.copytree(pack, broken)
    (broken / "rules" / "bad.yaml").write_text("rules:\n  - id: BAD ID\n")
    r = run("diff", "--old", pack, "--new", broken, corpus)
    assert r.returncode == 2 and "bad.yaml:2:" in r.stderr
