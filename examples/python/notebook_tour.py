#!/usr/bin/env python3
# %% [markdown]
# # A tour of signpost for analysts
#
# A notebook in the "percent" format: open it in Jupyter (with jupytext) or VS Code and run the
# cells one by one, where decisions and reports display as HTML; or run it as a script:
#
#     python examples/python/notebook_tour.py [--pack DIR] [--data FILE.tsv] [--out DIR]
#
# which prints the tables and writes what a notebook would display to DIR/tour.html.
# Needs pandas (pip install pandas).

# %%
from __future__ import annotations

import argparse
import html
import multiprocessing
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

import signpost
from signpost.analysis import EvalReport, evaluate_labelled, read_labelled

HERE = Path(__file__).resolve().parent
DEV_QUERIES = HERE.parent.parent / "tests" / "data" / "eval" / "dev-queries.tsv"

parser = argparse.ArgumentParser(description="A tour of signpost for analysts.")
parser.add_argument("--pack", help="pack folder (default: the default pack)")
parser.add_argument("--data", default=str(DEV_QUERIES), help="labelled TSV (label, locale, text)")
parser.add_argument("--out", help="write the HTML a notebook would show to OUT/tour.html")
args, _ = parser.parse_known_args()  # parse_known_args: notebooks pass their own arguments
shown: list[str] = []


def show(obj) -> None:
    """display() in a notebook; in a script, print it and keep its HTML for tour.html."""
    try:
        from IPython.display import display  # type: ignore[import-not-found]
        from IPython import get_ipython  # type: ignore[import-not-found]
        if get_ipython() is not None:
            display(obj)
            return
    except ImportError:
        pass
    if isinstance(obj, pd.DataFrame):
        print(obj.to_string(max_rows=20))
    elif isinstance(obj, EvalReport):
        print(obj.format(), end="")
    else:
        print(obj)
    shown.append(obj._repr_html_() if hasattr(obj, "_repr_html_") else f"<pre>{html.escape(str(obj))}</pre>")


# %% [markdown]
# ## One decision, as the searcher would see it
# The cards come in the searcher's language and direction (Arabic right to left).

# %%
engine = signpost.Engine.load(args.pack)
show(engine)
for text, locale in (("boat to uk tonight, price per person", "en"), ("قارب إلى بريطانيا", "ar")):
    show(engine.evaluate(text, locale=locale))

# %% [markdown]
# ## A labelled file as a DataFrame
# `evaluate_frame` judges a whole column in one call (native threads, no Python per row) and keeps
# the index; the decision columns join back onto the analyst's own.

# %%
items = read_labelled(args.data)
df = pd.DataFrame([{"label": i.label, "locale": i.locale, "text": i.text} for i in items])
decisions = engine.evaluate_frame(df, text="text", locale="locale")
judged = df.join(decisions)
summary = (judged.assign(acted=judged["action"] != "none")
           .groupby(["locale", "label"])["acted"].agg(["count", "sum"])
           .rename(columns={"count": "items", "sum": "acted on"}))
show(summary)
show(judged.loc[judged["action"] != "none", "category"].value_counts().rename("interventions"))

# %% [markdown]
# ## Precision and recall
# The same scoring as `signpost eval`; in a notebook the report shows as a table.

# %%
report = evaluate_labelled(engine, items)
show(report)

# %% [markdown]
# ## Engines travel
# An engine pickles by value (its pack's bytes): worker processes need no pack folder. Each worker
# compiles the pack once.

# %%
blob = pickle.dumps(engine)
print(f"pickled engine: {len(blob)} bytes, pack {engine.pack.name} {engine.pack.version}")
# fork: the workers start from this process (as a notebook's would), without re-running the script.
with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
    halves = [list(df["text"][:len(df) // 2]), list(df["text"][len(df) // 2:])]
    actions = [d.action for part in pool.map(engine.evaluate_many, halves) for d in part]
assert actions == list(decisions["action"]), "workers answer as the parent does"
print(f"{len(actions)} decisions from 2 worker processes, identical to evaluate_frame's")

# %%
if args.out:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    page = ('<!doctype html><html lang="en"><meta charset="utf-8"><title>signpost tour</title><body>'
            + "\n<hr>\n".join(shown) + "</body></html>")
    (out / "tour.html").write_text(page, encoding="utf-8")
    print(f"wrote {out / 'tour.html'}", file=sys.stderr)
