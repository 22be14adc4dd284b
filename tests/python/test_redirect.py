"""Engine.redirect: the query's cards swapped in, risky results removed or flagged."""

import pytest

import signpost

RESULTS = [
    {"id": "1", "title": "Dover ferry timetable", "snippet": "Crossings every 90 minutes", "url": "https://a.example/1"},
    {"id": "2", "title": "Boat to UK", "snippet": "dinghy places left, price on request", "url": "https://b.example/2"},
    {"id": "3", "title": "Passports", "snippet": "fake passport delivery", "url": "https://c.example/3"},
    {"id": 4, "title": "London travel", "snippet": "cheap flights", "url": "https://d.example/4"},
]


def test_redirect_shape(engine):
    r = engine.redirect("boat to uk", RESULTS)
    assert isinstance(r, signpost.RedirectedResults)
    assert r.decision.action == "redirect"
    assert r.decision == engine.evaluate("boat to uk")
    kinds = [e.kind for e in r.entries]
    assert kinds[0] == "card"  # the query's cards come first when it intervenes
    cards = [e.card.id for e in r.entries if e.kind == "card"]
    assert "dangers" in cards
    shown = [e.result.id for e in r.entries if e.kind == "result"]
    assert len(shown) == len(set(shown))
    assert len(shown) + r.removed == len(RESULTS)
    assert sum(1 for e in r.entries if e.kind == "result" and e.flagged) == r.flagged
    assert "1" in shown and "4" in shown  # clean results stay; numeric ids become str
    assert len(r) == len(r.entries)


def test_risky_results_are_removed_or_flagged(engine):
    r = engine.redirect("cheap flights", RESULTS)
    assert r.decision.action == "none"
    by_id = {e.result.id: e for e in r.entries if e.kind == "result"}
    # Result 2 advertises a crossing (redirect in post mode): taken out, a card in its place.
    assert "2" not in by_id
    assert r.removed >= 1
    # Result 3 (documents, interstitial): kept, flagged and demoted after the clean ones.
    assert by_id["3"].flagged and by_id["3"].action == "interstitial" and by_id["3"].category == "documents"
    positions = [e.result.id for e in r.entries if e.kind == "result"]
    assert positions.index("3") > positions.index("1") and positions.index("3") > positions.index("4")
    assert not by_id["1"].flagged and by_id["1"].category == ""


def test_query_forms_agree(engine):
    a = engine.redirect("boat to uk", RESULTS, locale="fr")
    b = engine.redirect({"text": "boat to uk", "locale": "fr"}, RESULTS)
    c = engine.redirect(signpost.Query("boat to uk", locale="fr"), [signpost.Result(**r) for r in RESULTS])
    assert a.to_dict() == b.to_dict() == c.to_dict()
    assert a.decision.cards[0].locale == "fr"


def test_to_dict(engine):
    d = engine.redirect("boat to uk", RESULTS).to_dict()
    assert set(d) == {"decision", "results", "removed", "flagged"}
    assert d["decision"] == engine.evaluate("boat to uk").to_dict()
    for entry in d["results"]:
        assert entry["kind"] in ("card", "result")
        if entry["kind"] == "card":
            assert list(entry) == ["kind", "category", "card"]
            assert set(entry["card"]) == {"id", "locale", "title", "body", "url", "cta", "dir"}
        else:  # the result's fields, flattened, as signpost-server's POST /v1/redirect
            assert list(entry) == ["kind", "id", "title", "snippet", "url", "flagged", "action", "category", "score"]
            assert entry["action"] in ("none", "annotate", "interstitial", "redirect")


def test_result_objects():
    r = signpost.Result(id=7, title="t", snippet="s", url="https://x.example/")
    assert (r.id, r.title, r.snippet, r.url) == ("7", "t", "s", "https://x.example/")
    assert r.to_dict() == {"id": "7", "title": "t", "snippet": "s", "url": "https://x.example/"}
    assert r == signpost.Result("7", "t", "s", "https://x.example/")


def test_bad_arguments(engine):
    with pytest.raises(TypeError):
        engine.redirect(42, RESULTS)
    with pytest.raises(ValueError):
        engine.redirect({"locale": "en"}, RESULTS)
    with pytest.raises(TypeError):
        engine.redirect("boat to uk", ["not a result"])
    assert engine.redirect("boat to uk", []).removed == 0
