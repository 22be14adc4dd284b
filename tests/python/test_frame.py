"""Engine.evaluate_frame: a pandas DataFrame in, one row of decision columns per input row out."""

from __future__ import annotations

import math

import pytest

import signpost
from signpost.frame import COLUMNS

pd = pytest.importorskip("pandas")

TEXTS = ["boat to uk tonight, price per person", "cheap flights to london", "fake uk passport for sale",
         "passeur calais angleterre prix", ""]


def expected_row(d: signpost.Decision) -> dict:
    rules = []
    for m in d.matches:
        if m.rule not in rules:
            rules.append(m.rule)
    return {"action": d.action, "category": d.category, "score": d.score, "rules": rules,
            "cards": [c.id for c in d.cards], "holdout": d.holdout, "error": d.error}


def rows(frame) -> list:
    out = []
    for rec in frame.to_dict("records"):
        rec = {k: (None if isinstance(v, float) and math.isnan(v) and k != "score" else v) for k, v in rec.items()}
        rec["rules"], rec["cards"] = list(rec["rules"]), list(rec["cards"])
        out.append(rec)
    return out


def test_columns_and_index_match_evaluate_many(engine):
    texts = TEXTS * 50
    locales = (["en", "en", "en", "fr", "en"]) * 50
    df = pd.DataFrame({"q": texts, "lang": locales}, index=pd.Index([f"r{i}" for i in range(len(texts))]))
    out = engine.evaluate_frame(df, text="q", locale="lang", threads=2)
    assert list(out.columns) == list(COLUMNS)
    assert out.index.equals(df.index)
    assert out["score"].dtype == "float64" and out["holdout"].dtype == bool
    assert rows(out) == [expected_row(d) for d in engine.evaluate_many(texts, locale=locales)]
    assert (out["action"] != "none").any() and (out["action"] == "none").any()


def test_one_locale_and_mode_for_every_row_or_a_column(engine):
    df = pd.DataFrame({"text": TEXTS, "m": ["post", "query", "post", "query", "post"]})
    assert rows(engine.evaluate_frame(df, locale="fr")) == [expected_row(d) for d in
                                                            engine.evaluate_many(TEXTS, locale="fr")]
    assert rows(engine.evaluate_frame(df, mode="m")) == [
        expected_row(d) for d in engine.evaluate_many(TEXTS, mode=list(df["m"]))]
    assert rows(engine.evaluate_frame(df, mode="post")) == [
        expected_row(d) for d in engine.evaluate_many(TEXTS, mode="post")]


def test_bad_rows_are_errors_named_by_index_and_the_rest_is_judged(engine):
    df = pd.DataFrame({"text": ["boat to uk tonight, price per person", None, float("nan"), 17, "hello", pd.NA],
                       "locale": ["en", "en", "en", "en", float("nan"), None]},
                      index=[100, 101, 102, 103, 104, 105], dtype=object)
    out = engine.evaluate_frame(df, locale="locale")
    assert out.loc[100, "action"] == engine.evaluate(df["text"][100], locale="en").action != "none"
    assert list(out["action"])[1:] == ["error", "error", "error", "none", "error"]
    assert out.loc[101, "error"] == "row 101: text is missing (None)"
    assert out.loc[102, "error"] == "row 102: text is missing (None)"
    assert out.loc[103, "error"] == "row 103: text must be str or bytes, not int"
    assert out.loc[105, "error"] == "row 105: text is missing (None)"
    assert pd.isna(out.loc[100, "error"]) and pd.isna(out.loc[104, "error"])
    assert out.loc[103, "score"] == 0.0 and pd.isna(out.loc[103, "category"]) and list(out.loc[103, "rules"]) == []
    # A missing locale is no locale.
    assert rows(out.loc[[104]]) == [expected_row(engine.evaluate("hello"))]


def test_string_dtype_columns_and_empty_frames(engine):
    df = pd.DataFrame({"text": pd.array(TEXTS + [None], dtype="string")})
    out = engine.evaluate_frame(df, locale="en")
    assert list(out["action"])[-1] == "error"
    assert rows(out.iloc[:-1]) == [expected_row(d) for d in engine.evaluate_many(TEXTS, locale="en")]
    empty = engine.evaluate_frame(pd.DataFrame({"text": pd.Series([], dtype=object)}))
    assert list(empty.columns) == list(COLUMNS) and len(empty) == 0


def test_usage_errors(engine):
    df = pd.DataFrame({"text": TEXTS})
    with pytest.raises(KeyError, match="no column 'body'"):
        engine.evaluate_frame(df, text="body")
    with pytest.raises(TypeError, match="DataFrame"):
        engine.evaluate_frame(TEXTS)
    with pytest.raises(ValueError, match="mode"):
        engine.evaluate_frame(df, mode="tweet")
