"""Engine: loading, evaluating, decisions and their attributes, pack information."""

import hashlib
import hmac
import json
import os
import pickle
import struct
from pathlib import Path

import pytest

import signpost

from signpost_test_support import MINI_PACK


def test_load_gives_pack_identity(engine):
    pack = engine.pack
    assert pack.name == "py-mini"
    assert pack.version == "1.0.0"
    assert pack.hash.startswith("sha256:") and len(pack.hash) == len("sha256:") + 64
    assert pack.to_dict() == {"name": "py-mini", "version": "1.0.0", "hash": pack.hash}
    assert engine.languages == ["en", "fr", "ar"]
    assert engine.default_locale == "en"
    assert engine.categories() == ["crossing", "documents", "help"]
    assert set(engine.card_ids()) == {"dangers", "report", "documents", "help"}
    assert Path(engine.path) == MINI_PACK
    assert "py-mini" in repr(engine)


def test_load_accepts_str_path_and_constructor(engine):
    a = signpost.Engine.load(str(MINI_PACK))
    b = signpost.Engine(MINI_PACK)
    assert a.pack.hash == b.pack.hash == engine.pack.hash
    assert isinstance(a, signpost.Engine) and isinstance(b, signpost.Engine)


def test_redirect_decision(engine):
    d = engine.evaluate("boat to uk", locale="en")
    assert d.action == "redirect"
    assert isinstance(d.action, str)
    assert d.category == "crossing"
    assert 0.5 <= d.score <= 1.0
    assert d.intervenes
    assert d.holdout is False
    assert d.locale == "en"
    assert [m.rule for m in d.matches] == ["boat-to-uk"]
    assert [c.id for c in d.cards] == ["dangers", "report"]


def test_each_action_is_a_string(engine):
    assert engine.evaluate("fake passport").action == "interstitial"
    assert engine.evaluate("asylum helpline").action == "annotate"
    none = engine.evaluate("cheap flights to london")
    assert none.action == "none"
    assert not none.intervenes
    assert none.category is None and none.matches == [] and none.cards == []


def test_context_cancels(engine):
    assert engine.evaluate("boat to uk news").action == "none"


def test_match_attributes_are_byte_offsets(engine):
    text = "asylum helpline"
    (m,) = engine.evaluate(text).matches
    assert (m.rule, m.category) == ("helpline", "help")
    assert text.encode()[m.start:m.end] == b"helpline"
    assert m.to_dict() == {"rule": "helpline", "category": "help", "start": m.start, "end": m.end}


def test_span_chars_converts_byte_offsets_to_str_indexes(engine):
    text = "ééé ☂ asylum helpline"
    (m,) = engine.evaluate(text).matches
    assert m.start == len("ééé ☂ asylum ".encode())  # bytes, not characters
    s, e = m.span_chars(text)
    assert text[s:e] == "helpline"
    assert m.span_chars(text.encode()) == (m.start, m.end)


def test_cards_carry_direction(engine):
    d = engine.evaluate("قارب إلى بريطانيا", locale="ar")
    assert d.action == "redirect"
    assert all(c.locale == "ar" and c.rtl and c.dir == "rtl" for c in d.cards)
    en = engine.evaluate("boat to uk", locale="en").cards[0]
    assert (en.dir, en.rtl) == ("ltr", False)
    assert en.url.startswith("https://")
    assert set(en.to_dict()) == {"id", "locale", "title", "body", "url", "cta", "dir"}


def test_card_lookup_and_locale_chain(engine):
    c = engine.card("dangers", "fr")
    assert c.locale == "fr" and c.title == "Les small boats tuent"
    assert engine.card("dangers", "fr-BE").locale == "fr"
    assert engine.card("dangers", "de").locale == "en"  # default locale
    assert engine.card("no-such-card", "en") is None
    assert engine.locale_chain("fr-BE")[-1] == "en"


def test_to_dict_is_the_json(engine):
    d = engine.evaluate("boat to uk", locale="en")
    as_dict = d.to_dict()
    assert as_dict == json.loads(d.to_json())
    assert list(as_dict)[:2] == ["action", "category"]
    assert as_dict["action"] == "redirect"
    assert as_dict["pack"] == engine.pack.to_dict()
    assert as_dict["matches"] == [m.to_dict() for m in d.matches]
    assert as_dict["cards"] == [c.to_dict() for c in d.cards]
    with_id = d.to_dict(id="7")
    assert list(with_id)[0] == "id" and with_id["id"] == "7"
    assert d.to_dict(id=7)["id"] == "7"


def test_decisions_compare_by_value(engine):
    assert engine.evaluate("boat to uk") == engine.evaluate("boat to uk")
    assert engine.evaluate("boat to uk") != engine.evaluate("fake passport")
    assert "redirect" in repr(engine.evaluate("boat to uk"))


def test_bytes_and_str_give_the_same_decision(engine):
    assert engine.evaluate("boat to uk") == engine.evaluate(b"boat to uk")
    assert engine.evaluate(bytearray(b"boat to uk")) == engine.evaluate(memoryview(b"boat to uk"))


def test_post_mode_and_bad_mode(engine):
    assert engine.evaluate("boat to uk", mode="post").action == "redirect"
    with pytest.raises(ValueError, match="mode"):
        engine.evaluate("boat to uk", mode="tweet")
    with pytest.raises(TypeError):
        engine.evaluate("boat to uk", mode=1)


def test_text_must_be_text(engine):
    with pytest.raises(TypeError, match="str or bytes"):
        engine.evaluate(42)
    with pytest.raises(TypeError):
        engine.evaluate(None)


def test_max_text_bytes_bounds_the_work():
    e = signpost.Engine.load(MINI_PACK, max_text_bytes=16)
    assert e.options["max_text_bytes"] == 16
    assert e.evaluate("boat to uk").action == "redirect"
    assert e.evaluate("x" * 40 + " boat to uk").action == "none"
    with pytest.raises(ValueError):
        signpost.Engine.load(MINI_PACK, max_text_bytes=0)


def test_holdout_from_the_host():
    e = signpost.Engine.load(MINI_PACK, holdout_rate=1.0, holdout_salt="s1")
    assert e.options == {"max_text_bytes": signpost.DEFAULT_MAX_TEXT_BYTES, "holdout_rate": 1.0,
                         "holdout_salt": "s1"}
    assert e.holdout_rate("crossing") == 1.0
    held = e.evaluate("boat to uk", subject="user-1")
    assert held.action == "none" and held.holdout is True and held.category == "crossing"
    assert held.to_dict()["holdout"] is True
    # Without a subject nothing is held out.
    assert e.evaluate("boat to uk").action == "redirect"
    with pytest.raises(ValueError):
        signpost.Engine.load(MINI_PACK, holdout_rate=1.5)


def test_no_holdout_by_default(engine):
    assert engine.holdout_rate("crossing") == 0.0
    assert engine.options["holdout_rate"] is None


def test_holdout_bucket_is_hmac_sha256():
    for salt, subject in [("s1", "user-1"), ("", ""), ("sel", "ünïcode ☂")]:
        digest = hmac.new(salt.encode(), subject.encode(), hashlib.sha256).digest()
        expected = struct.unpack(">Q", digest[:8])[0] / 2.0 ** 64
        assert signpost.holdout_bucket(salt, subject) == pytest.approx(expected, abs=1e-15)
        assert 0.0 <= signpost.holdout_bucket(salt, subject) < 1.0


def test_lint_runs_the_embedded_examples(engine):
    report = engine.lint()
    assert report.ok and bool(report)
    assert report.examples >= 8
    assert report.failures == []


def test_lint_reports_a_failing_example(pack_copy):
    rules = pack_copy / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "match: [boat price]", "match: [boat price, swim to uk]"), encoding="utf-8")
    report = signpost.Engine.load(pack_copy).lint()
    assert not report.ok
    (f,) = report.failures
    assert "crossing-price" in f.owner
    assert (f.expected, f.text) == ("match", "swim to uk")
    assert f.file.endswith("rules.yaml") and f.line > 0
    assert "swim to uk" in str(f)


def test_engine_pickles_as_a_reload(engine):
    again = pickle.loads(pickle.dumps(engine))
    assert again.pack.hash == engine.pack.hash
    assert again.evaluate("boat to uk") == engine.evaluate("boat to uk")


def test_default_pack_ships_in_the_package(monkeypatch):
    monkeypatch.delenv("SIGNPOST_PACK", raising=False)
    path = signpost.default_pack_path()
    assert path.is_relative_to(Path(signpost.__file__).parent)
    assert (path / "pack.yaml").is_file()
    e = signpost.Engine.load()
    assert e.pack.name == "people-smuggling"
    assert Path(e.path) == path
    assert e.evaluate("fake uk passport for sale", locale="en").action != "none"
    assert e.evaluate("cheap flights to london", locale="en").action == "none"


def test_signpost_pack_overrides_the_default(monkeypatch):
    monkeypatch.setenv("SIGNPOST_PACK", os.fspath(MINI_PACK))
    assert signpost.default_pack_path() == MINI_PACK
    assert signpost.Engine.load().pack.name == "py-mini"
