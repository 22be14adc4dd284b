"""Hostile text never crashes and never raises: lone surrogates, NULs, invalid UTF-8, huge strings."""

import json

import pytest

import signpost

HOSTILE = [
    "\ud800",
    "\udfff\ud800",
    "boat \udcff to uk",
    "boat to uk \ud83d",  # half an emoji
    "\x00",
    "boat\x00to\x00uk",
    "\x00" * 10_000,
    "\u202eboat to uk\u202c",  # bidi override
    "b\u200bo\u200ba\u200bt to uk",
    "\ufeff\ufffe\uffff",
    "".join(chr(c) for c in range(0, 0x300)),
    "🇬🇧" * 5000,
    "\r\n\t\x0b\x0c\x1b[31m",
    "ق" * 1000 + " boat to uk",
    "a" * 1_000_000,
    "boat to uk " * 100_000,
    "é" * 600_000,
]

HOSTILE_BYTES = [
    b"\xff\xfe\xfd",
    b"boat \xc0\xaf to uk",
    b"\xed\xa0\x80 boat to uk",  # an encoded surrogate
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\xe2\x82",  # truncated sequence
    b"boat to uk\xe2",
    b"\x00" * 1000,
    bytes(range(256)) * 100,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_str(engine, text):
    d = engine.evaluate(text, locale="en")
    assert d.action in ("none", "annotate", "interstitial", "redirect")
    out = json.loads(d.to_json())
    assert out == d.to_dict()
    for m in d.matches:
        s, e = m.span_chars(text)
        assert 0 <= s <= e <= len(text)


@pytest.mark.parametrize("text", HOSTILE_BYTES, ids=range(len(HOSTILE_BYTES)))
def test_hostile_bytes(engine, text):
    d = engine.evaluate(text)
    assert d.to_dict()["action"] == d.action
    for m in d.matches:
        assert 0 <= m.start <= m.end <= len(text)


def test_lone_surrogates_are_separators_and_offsets_stay_right(engine):
    text = "\ud800asylum helpline\udfff"
    d = engine.evaluate(text)
    assert d.action == "annotate"
    (m,) = d.matches
    s, e = m.span_chars(text)
    assert text[s:e] == "helpline"


def test_nul_separates_words(engine):
    assert engine.evaluate("asylum\x00helpline").action == "annotate"


def test_huge_text_still_matches_at_the_start(engine):
    d = engine.evaluate("boat to uk " + "z" * 3_000_000)
    assert d.action == "redirect"


def test_hostile_locale_subject_and_results(engine):
    d = engine.evaluate("boat to uk", locale="en", subject="\udfff" * 100)
    assert d.action == "redirect"
    # A locale the server would refuse is a clear ValueError (the SDK's one validation), never a crash.
    for locale in ("\ud800\x00", "x" * 100_000, "\ud800"):
        with pytest.raises(ValueError, match='"locale"'):
            engine.evaluate("boat to uk", locale=locale)
        with pytest.raises(ValueError, match='"locale"'):
            engine.redirect({"text": "boat to uk", "locale": locale}, [])
    with pytest.raises(ValueError, match='"subject" is longer than 256 characters'):
        engine.evaluate("boat to uk", subject="\udfff" * 257)
    r = engine.redirect({"text": "boat to uk", "locale": "en"},
                        [{"id": "\ud800", "title": "boat \udcff to uk", "snippet": "\x00" * 100, "url": "\udfff"}])
    assert r.to_dict()["decision"]["action"] == "redirect"
    for entry in r.entries:
        if entry.result is not None:
            assert entry.result.id == "\ud800"  # comes back as it went in


def test_hostile_batch(engine):
    many = engine.evaluate_many(HOSTILE + [t for t in HOSTILE_BYTES], threads=2)
    assert len(many) == len(HOSTILE) + len(HOSTILE_BYTES)
    assert many == [engine.evaluate(t) for t in HOSTILE + HOSTILE_BYTES]


def test_hostile_holdout_bucket():
    assert 0.0 <= signpost.holdout_bucket("\ud800", "\x00" * 1000) < 1.0


def test_hostile_id_in_json(engine):
    d = engine.evaluate("boat to uk")
    for ident in ["</script><script>", "\ud800", "\x00\n\"\\", "\u2028"]:
        out = d.to_json(ident)
        assert "<" not in out and "\u2028" not in out and "\n" not in out
        assert json.loads(out)["action"] == "redirect"
