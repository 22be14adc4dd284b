"""_repr_html_ of decisions, redirected result lists and eval reports (notebooks)."""

from __future__ import annotations

import html.parser

import signpost
from signpost.analysis import evaluate_labelled


class Tags(html.parser.HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_decision_html_shows_the_cards_in_their_language_and_direction(engine):
    d = engine.evaluate("قارب إلى بريطانيا", locale="ar")
    assert d.cards and all(c.rtl for c in d.cards)
    page = Tags(d._repr_html_())
    articles = [a for t, a in page.tags if t == "article"]
    assert len(articles) == len(d.cards)
    assert all(a["dir"] == "rtl" and a["lang"] == "ar" for a in articles)
    text = "".join(page.text)
    for c in d.cards:
        assert c.title in text and c.body in text and c.cta in text
    links = [a["href"] for t, a in page.tags if t == "a"]
    assert links == [c.url for c in d.cards]
    en = Tags(engine.evaluate("boat to uk price", locale="en")._repr_html_())
    assert {a["dir"] for t, a in en.tags if t == "article"} == {"ltr"}


def test_every_string_is_escaped(pack_copy):
    cards = pack_copy / "cards" / "en.yaml"
    hostile = "<script>alert(1)</script> & \"quoted\" 'x'"
    cards.write_text(cards.read_text(encoding="utf-8").replace("Small boats are deadly", hostile), encoding="utf-8")
    engine = signpost.Engine.load(pack_copy)
    text = "boat to uk <img src=x onerror=alert(1)>"
    d = engine.evaluate(text, locale="en")
    assert any(c.title == hostile for c in d.cards), d.cards
    out = signpost._html.decision_html(d, text)
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out
    page = Tags(out)
    assert not any(t in ("script", "img") for t, _ in page.tags)
    assert "boat to uk" in "".join(page.text)  # the matched span, escaped


def test_error_decisions_and_result_lists_render(engine):
    [bad] = engine.evaluate_many([None])
    assert "text is missing" in bad._repr_html_()
    page = engine.redirect("boat to uk", [{"id": "1", "title": "<b>Ferry</b> tickets", "snippet": "Book online",
                                           "url": "https://ferry.example/"}], locale="en")
    assert any(e.kind == "result" for e in page.entries)
    out = page._repr_html_()
    assert "&lt;b&gt;Ferry&lt;/b&gt;" in out and "<b>Ferry</b>" not in out
    assert out.count("<article") == sum(e.kind == "card" for e in page.entries)


def test_eval_report_html(engine, labelled):
    from signpost.analysis import read_labelled
    report = evaluate_labelled(engine, read_labelled(labelled))
    out = report._repr_html_()
    page = Tags(out)
    assert [t for t, _ in page.tags].count("table") >= 1
    assert "overall" in "".join(page.text)
    for lang in report.by_language:
        assert f"language {lang}" in "".join(page.text)
