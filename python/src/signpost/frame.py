"""DataFrames in, decisions as columns out (``Engine.evaluate_frame``). Needs pandas.

The column of texts goes to the engine in one call; the engine judges it on native threads and
hands back one list per output column, so there is no Python code per row.
"""

from __future__ import annotations

from typing import Any, Optional

#: The columns evaluate_frame adds, in order.
COLUMNS = ("action", "category", "score", "rules", "cards", "holdout", "error")


def _pandas():
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("evaluate_frame needs pandas (pip install pandas)") from e
    return pd


def _values(series) -> list:
    """A column as a list for the engine, every missing value (None, NaN, pd.NA, NaT) as None."""
    missing = series.isna()
    values = series.astype(object)
    if missing.any():
        values = values.where(~missing, None)
    return values.tolist()


def _per_row(df, arg: Optional[str], what: str, default: Any):
    """A column's values when ``arg`` names a column of ``df``, else ``arg`` for every row."""
    if arg is None:
        return default
    if not isinstance(arg, str):
        raise TypeError(f"{what} must be a column name or a str, not {type(arg).__name__}")
    if arg in df.columns:
        return _values(df[arg])
    return arg


def evaluate_frame(engine, df, text: str = "text", locale: Optional[str] = None, mode: str = "query", *,
                   subject: Optional[str] = None, threads: int = 0):
    """Judge the column ``text`` of a pandas DataFrame; a DataFrame with the same index and the
    columns ``action``, ``category``, ``score``, ``rules`` (rule ids that fired, each once),
    ``cards`` (card ids), ``holdout`` and ``error``.

    ``locale``, ``mode`` and ``subject`` each name a column of ``df`` (one value per row), or give
    one value for every row (``locale="fr"``, ``mode="post"``); a missing locale or subject is "".
    A row whose text is missing (None, NaN, pd.NA) or not text has ``action == "error"``, no
    category, score 0 and the reason in ``error`` (``"row 17: text is None"``, by index label);
    the other rows are judged as usual. ``threads`` as for ``evaluate_many`` (0 = every core).
    """
    pd = _pandas()
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"evaluate_frame needs a pandas DataFrame, not {type(df).__name__}")
    if text not in df.columns:
        raise KeyError(f"no column {text!r} in the DataFrame (columns: {list(df.columns)})")
    texts = _values(df[text])
    locales = _per_row(df, locale, "locale", "")
    modes = _per_row(df, mode, "mode", "query")
    subjects = _per_row(df, subject, "subject", None)
    action, category, score, rules, cards, holdout, error = engine._evaluate_columns(
        texts, locale=locales, mode=modes, threads=threads, subjects=subjects)
    out = pd.DataFrame({
        "action": action,
        "category": category,
        "score": pd.Series(score, dtype="float64"),
        "rules": rules,
        "cards": cards,
        "holdout": pd.Series(holdout, dtype="bool"),
        "error": error,
    }, columns=list(COLUMNS))
    out.index = df.index
    # Messages name the row by its index label, not its position (only rows in error are visited).
    bad = out["error"].notna().to_numpy().nonzero()[0]
    if len(bad):
        fixed = out["error"].to_numpy(dtype=object, copy=True)
        for i, label in zip(bad.tolist(), df.index[bad].tolist()):
            prefix = f"item {i}: "
            msg = fixed[i]
            fixed[i] = f"row {label!r}: " + (msg[len(prefix):] if msg.startswith(prefix) else msg)
        out["error"] = fixed
    return out
