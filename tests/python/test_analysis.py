"""signpost.analysis: reading labelled files and scoring a pack on them."""

import io
import json

import pytest

import signpost
from signpost import analysis
from signpost.analysis import LabelledItem, evaluate_labelled, read_labelled

from signpost_test_support import EVAL_DATA


def test_read_tsv(labelled):
    items = read_labelled(labelled)
    assert len(items) == 12
    first = items[0]
    assert (first.label, first.locale, first.text, first.line) == ("R", "en", "boat to uk", 2)
    assert {i.label for i in items} == {"R", "A", "H"}


def test_read_json_lines_and_errors():
    src = io.StringIO('{"label": "R", "text": "boat to uk", "locale": "en", "id": 9, "category": "crossing"}\n'
                      "# comment\n\n"
                      "A\ten\thello\tworld\n")
    items = read_labelled(src)
    assert items[0] == LabelledItem("R", "boat to uk", "en", id="9", category="crossing", line=1)
    assert items[1].text == "hello\tworld"  # only the first two tabs split
    with pytest.raises(signpost.LabelledDataError, match="<input>:1: unknown label 'X'"):
        list(analysis.parse_labelled(["X\ten\thi"]))
    with pytest.raises(signpost.LabelledDataError, match=":2: expected label"):
        list(analysis.parse_labelled(["R\ten\tok", "no tabs here"]))
    with pytest.raises(signpost.LabelledDataError, match="invalid JSON"):
        list(analysis.parse_labelled(["{not json"]))
    with pytest.raises(signpost.LabelledDataError, match="text"):
        list(analysis.parse_labelled(['{"label": "R"}']))


def test_judge():
    assert analysis.judge("R", "redirect") == "tp"
    assert analysis.judge("R", "annotate") == "tp"
    assert analysis.judge("R", "none") == "fn"
    assert analysis.judge("A", "none") == "tn"
    assert analysis.judge("A", "annotate") == "fp"
    assert analysis.judge("H", "annotate") == "tn"
    assert analysis.judge("H", "none") == "tn"
    assert analysis.judge("H", "interstitial") == "fp"
    assert analysis.judge("H", "redirect") == "fp"
    with pytest.raises(ValueError):
        analysis.judge("Q", "none")


def test_evaluate_labelled(engine, labelled):
    report = evaluate_labelled(engine, read_labelled(labelled))
    o = report.overall
    assert (o.items, o.R, o.A, o.H) == (12, 6, 4, 2)
    assert (o.tp, o.fn, o.fp, o.tn) == (5, 1, 2, 4)
    assert (o.a_flagged, o.h_warned) == (1, 1)
    assert report.recall == pytest.approx(5 / 6)
    assert report.precision == pytest.approx(5 / 7)
    assert set(report.by_language) == {"en", "fr", "ar"}
    assert report.by_language["fr"].recall == 1.0
    assert report.by_language["en"].items == 10
    assert set(report.by_category) == {"crossing", "documents", "help"}
    assert report.by_category["crossing"].fp == 2
    wrong = {(x.item.text, x.kind) for x in report.errors}
    assert wrong == {("swim to uk", "fn"), ("boat price comparison", "fp"), ("helpline boat to uk", "fp")}
    assert report.pack["name"] == "py-mini"
    assert report.passes(min_recall=0.8) and not report.passes(min_recall=0.9)
    assert report.passes(min_precision=0.7) and not report.passes(min_precision=0.75)


def test_report_is_plain_data(engine, labelled):
    report = evaluate_labelled(engine, read_labelled(labelled))
    d = report.to_dict(outcomes=True)
    json.dumps(d)  # serialisable as is
    assert d["overall"]["precision"] == pytest.approx(5 / 7)
    assert len(d["outcomes"]) == 12 and len(d["errors"]) == 3
    cli = report.to_cli_dict()
    assert cli["overall"] == {"recall": pytest.approx(5 / 6), "precision": pytest.approx(5 / 7), "risky": 6,
                              "risky_caught": 5, "benign": 4, "benign_flagged": 1, "help": 2, "help_warned": 1}
    text = report.format(by=("language", "category"), show_errors=True)
    assert "language fr" in text and "category crossing" in text and "swim to uk" in text


def test_items_as_tuples_and_dicts(engine):
    report = evaluate_labelled(engine, [("R", "en", "boat to uk"), {"label": "A", "text": "hello"},
                                        {"label": "R", "text": "nothing here", "category": "crossing"}])
    assert (report.overall.tp, report.overall.tn, report.overall.fn) == (1, 1, 1)
    assert report.by_language["-"].items == 2
    assert report.by_category["crossing"].fn == 1  # a missed item under its expected category
    with pytest.raises(ValueError):
        evaluate_labelled(engine, [("Z", "en", "x")])


def test_empty_ratios_are_none(engine):
    report = evaluate_labelled(engine, [("A", "en", "hello")])
    assert report.precision is None and report.recall is None
    assert report.passes(min_recall=1.0, min_precision=1.0)  # as the CLI: an empty ratio is 1.0


def test_to_pandas(engine, labelled):
    pd = pytest.importorskip("pandas")
    df = evaluate_labelled(engine, read_labelled(labelled)).to_pandas()
    assert isinstance(df, pd.DataFrame) and len(df) == 12
    assert {"label", "locale", "text", "action", "kind", "language"} <= set(df.columns)


@pytest.mark.skipif(not (EVAL_DATA / "dev-queries.tsv").is_file(), reason="tests/data/eval missing")
def test_reads_the_shared_development_sets():
    for name in ("dev-queries.tsv", "dev-posts.tsv"):
        items = read_labelled(EVAL_DATA / name)
        assert items and all(i.label in "RAH" for i in items)
