"""Values and engines that travel: every result type pickles, an Engine pickles by value (its pack
bytes), Engine.load_archive, and the archive reader's refusals."""

from __future__ import annotations

import io
import multiprocessing
import pickle
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import signpost

from signpost_test_support import MINI_PACK

RISKY = "boat to uk tonight, price per person"


def roundtrip(x):
    return pickle.loads(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL))


def test_decision_match_card_pack_pickle(engine):
    d = engine.evaluate(RISKY, locale="en")
    assert d.action != "none" and d.cards and d.matches
    e = roundtrip(d)
    assert type(e) is signpost.Decision
    assert e == d and e.to_json() == d.to_json() and e.to_json(id="q1") == d.to_json(id="q1")
    assert e.pack == d.pack and e.pack.hash == engine.pack.hash
    assert roundtrip(d.matches[0]) == d.matches[0]
    assert roundtrip(d.cards[0]) == d.cards[0] and roundtrip(d.cards[0]).body == d.cards[0].body
    assert roundtrip(engine.pack) == engine.pack
    # A list of decisions (what multiprocessing sends back) and the error decision of a bad item.
    ds = engine.evaluate_many([RISKY, None, "hello"], locale="en")
    assert [x.to_json() for x in roundtrip(ds)] == [x.to_json() for x in ds]
    assert roundtrip(ds[1]).error == ds[1].error and roundtrip(ds[1]).action == "error"


def test_bytes_that_are_not_utf8_survive_pickling(engine):
    d = engine.evaluate(b"boat to uk \xff\xfe price per person", locale="en")
    assert roundtrip(d).to_json() == d.to_json()
    r = signpost.Result(id=b"\xff1", title="t", snippet="s", url="https://x.example/")
    assert roundtrip(r) == r


def test_redirected_results_and_entries_pickle(engine):
    page = engine.redirect({"text": "boat to uk", "locale": "en"}, [
        {"id": "1", "title": "Dover to Calais ferry", "snippet": "Book tickets", "url": "https://ferry.example/"},
        {"id": "2", "title": "Boat to UK this Friday", "snippet": "1400 euro each, WhatsApp me",
         "url": "https://ads.example/1"},
    ], mode="query")
    back = roundtrip(page)
    assert type(back) is signpost.RedirectedResults
    assert back == page and back.to_dict() == page.to_dict()
    assert [roundtrip(e).to_dict() for e in page.entries] == [e.to_dict() for e in page.entries]


def test_unpickling_another_version_fails_clearly():
    d = signpost.Engine.load(MINI_PACK).evaluate(RISKY)
    state = d.__getstate__()
    bad = (99,) + tuple(state[1:])
    with pytest.raises(ValueError, match="another signpost version"):
        signpost.Decision.__new__(signpost.Decision).__setstate__(bad)


def test_engine_pickles_by_value(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(MINI_PACK, pack)
    engine = signpost.Engine.load(pack, holdout_rate=0.25, holdout_salt="s1")
    blob = pickle.dumps(engine)
    shutil.rmtree(pack)  # the receiving side has no pack folder
    code = (
        "import pickle, sys\n"
        "e = pickle.loads(sys.stdin.buffer.read())\n"
        "print(e.path is None, e.pack.hash, e.options['holdout_rate'], e.options['holdout_salt'])\n"
        f"print(e.evaluate({RISKY!r}, subject='u1').to_json())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], input=blob, capture_output=True, check=True).stdout
    lines = out.decode().splitlines()
    assert lines[0] == f"True {engine.pack.hash} 0.25 s1"
    assert lines[1] == engine.evaluate(RISKY, subject="u1").to_json()


def test_unpickled_engines_are_compiled_once_per_process(engine):
    blob = pickle.dumps(engine)
    a, b = pickle.loads(blob), pickle.loads(blob)
    assert a is b
    assert a.evaluate(RISKY) == engine.evaluate(RISKY)


def _judge(args):
    engine, text = args
    return engine.evaluate(text, locale="en")


def test_engine_and_decisions_through_a_spawned_pool(engine):
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        got = pool.map(_judge, [(engine, RISKY), (engine, "hello")])
    assert [d.to_json() for d in got] == [engine.evaluate(t, locale="en").to_json() for t in (RISKY, "hello")]


def test_folder_changed_since_load_is_refused(pack_copy):
    engine = signpost.Engine.load(pack_copy)
    (pack_copy / "pack.yaml").write_text((pack_copy / "pack.yaml").read_text() + "\n# changed\n")
    with pytest.raises(signpost.ConfigError, match="changed since this engine was loaded"):
        pickle.dumps(engine)


def test_load_archive_roundtrip_and_canonical_bytes(engine):
    data = engine.to_archive()
    assert data == signpost.Engine.load(MINI_PACK).to_archive()  # same pack, same bytes
    again = signpost.Engine.load_archive(data)
    assert again.path is None and again.pack.hash == engine.pack.hash
    assert again.evaluate(RISKY).to_json() == engine.evaluate(RISKY).to_json()
    assert again.to_archive() == data


def _tar(members, gz=False) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz" if gz else "w") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def _file(name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def test_load_archive_reads_gzip_and_any_member_order():
    files = [_file(f"./{p.relative_to(MINI_PACK).as_posix()}", p.read_bytes())
             for p in sorted(MINI_PACK.rglob("*.yaml"), reverse=True)]
    engine = signpost.Engine.load_archive(_tar(files, gz=True))
    assert engine.pack.hash == signpost.Engine.load(MINI_PACK).pack.hash


@pytest.mark.parametrize("members, message", [
    ([_file("../evil.yaml", b"x: 1")], r"archive member '../evil.yaml': path goes up \('..', outside the pack\)"),
    ([_file("/etc/evil.yaml", b"x: 1")], r"archive member '/etc/evil.yaml': absolute path \(outside the pack\)"),
])
def test_load_archive_refuses_unsafe_names(members, message, tmp_path):
    with pytest.raises(signpost.ConfigError, match=message):
        signpost.Engine.load_archive(_tar(members))
    assert not (tmp_path.parent / "evil.yaml").exists()


def test_load_archive_refuses_links_and_huge_members():
    link = tarfile.TarInfo("pack.yaml")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    with pytest.raises(signpost.ConfigError, match=r"'pack.yaml': symbolic link \(only regular files are allowed\)"):
        signpost.Engine.load_archive(_tar([(link, None)]))
    huge = tarfile.TarInfo("rules.yaml")
    huge.size = (4 << 20) + 1
    with pytest.raises(signpost.ConfigError, match="'rules.yaml': larger than 4 MiB"):
        signpost.Engine.load_archive(_tar([(huge, b"\0" * huge.size)]))


def test_load_archive_refuses_damaged_bytes(engine):
    data = engine.to_archive()
    with pytest.raises(signpost.ConfigError, match="truncated or damaged|not a tar"):
        signpost.Engine.load_archive(data[:700])
    with pytest.raises(signpost.ConfigError, match="not a tar"):
        signpost.Engine.load_archive(b"definitely not a tar")
    with pytest.raises(TypeError):
        signpost.Engine.load_archive("a str")  # type: ignore[arg-type]


def test_load_archive_reports_pack_problems_relative_to_the_archive(engine):
    files = engine.pack_files()
    files["rules.yaml"] = b"rules: [\n"
    from signpost import _archive
    with pytest.raises(signpost.ConfigError) as info:
        signpost.Engine.load_archive(_archive.to_tar(files))
    assert info.value.problems
    assert all(p.file.startswith("<archive>") for p in info.value.problems), info.value.problems
    assert any(p.file == "<archive>/rules.yaml" for p in info.value.problems)
