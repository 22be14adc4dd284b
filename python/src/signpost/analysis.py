"""Evaluating a pack on labelled data: precision and recall, overall and per language and category.

Labels (as in ``signpost eval``):

- ``R``: the pack must intervene (any action but ``none``).
- ``A``: the pack must not act (``none``).
- ``H``: help-seeking: the pack must neither show an interstitial nor redirect (``annotate`` with
  a help card is right, and so is ``none``).

An ``R`` item that got an intervention is a true positive (``tp``), one that did not a false
negative (``fn``). An ``A`` or ``H`` item answered wrongly is a false positive (``fp``) and counts
against precision; answered rightly it is a true negative (``tn``). So
``precision = tp / (tp + fp)`` and ``recall = tp / (tp + fn)``; either is ``None`` when its
denominator is 0.

Everything here is plain data (dataclasses, dicts and lists). pandas is never needed; with pandas
installed, :meth:`EvalReport.to_pandas` returns the outcomes as a DataFrame.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, TextIO, Tuple, Union

from ._errors import LabelledDataError

__all__ = [
    "LABELS",
    "EvalReport",
    "LabelledItem",
    "Outcome",
    "Scores",
    "evaluate_labelled",
    "judge",
    "language_of",
    "parse_labelled",
    "read_labelled",
]

LABELS: Dict[str, str] = {
    "R": "must get an intervention (any action but none)",
    "A": "must get none",
    "H": "help-seeking: must get neither interstitial nor redirect",
}

@dataclass(frozen=True)
class LabelledItem:
    """One labelled text. ``category`` (JSON Lines only) is the category the item should get."""

    label: str
    text: str
    locale: str = ""
    id: Optional[str] = None
    mode: Optional[str] = None
    category: Optional[str] = None
    line: int = 0  # 1-based line in the file it was read from; 0 when not read from a file


@dataclass(frozen=True)
class Outcome:
    """What the engine did with one item, and how that is judged (``kind``: tp, fn, fp or tn)."""

    item: LabelledItem
    action: str
    category: str
    score: float
    kind: str

    @property
    def correct(self) -> bool:
        return self.kind in ("tp", "tn")

    def to_dict(self) -> Dict[str, Any]:
        d = {"label": self.item.label, "locale": self.item.locale, "text": self.item.text,
             "action": self.action, "category": self.category, "score": self.score,
             "kind": self.kind, "correct": self.correct}
        if self.item.id is not None:
            d["id"] = self.item.id
        if self.item.line:
            d["line"] = self.item.line
        return d


@dataclass
class Scores:
    """Counts for a group of items, and the precision and recall they give.

    ``tp``: R items acted on; ``fn``: R items not acted on; ``fp``: A items acted on plus H items
    given an interstitial or a redirect (``a_flagged`` + ``h_warned``); ``tn``: A and H items
    answered rightly.
    """

    items: int = 0
    R: int = 0
    A: int = 0
    H: int = 0
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    a_flagged: int = 0
    h_warned: int = 0

    @property
    def precision(self) -> Optional[float]:
        """tp / (tp + fp), or None when nothing was acted on."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> Optional[float]:
        """tp / (tp + fn), or None without R items."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def accuracy(self) -> Optional[float]:
        return (self.tp + self.tn) / self.items if self.items else None

    def add(self, outcome: Outcome) -> None:
        self.items += 1
        label = outcome.item.label
        setattr(self, label, getattr(self, label) + 1)
        setattr(self, outcome.kind, getattr(self, outcome.kind) + 1)
        if outcome.kind == "fp":
            if label == "A":
                self.a_flagged += 1
            else:
                self.h_warned += 1

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = asdict(self)
        d["precision"] = self.precision
        d["recall"] = self.recall
        return d

    def to_cli_dict(self) -> Dict[str, Any]:
        """The figures in the shape of ``signpost eval --json`` (an empty ratio counts as 1.0)."""
        return {"recall": _or1(self.recall), "precision": _or1(self.precision), "risky": self.R,
                "risky_caught": self.tp, "benign": self.A, "benign_flagged": self.a_flagged,
                "help": self.H, "help_warned": self.h_warned}


def _or1(x: Optional[float]) -> float:
    return 1.0 if x is None else x


@dataclass
class EvalReport:
    """The result of :func:`evaluate_labelled`.

    ``by_language`` is keyed by the language subtag of each item's locale (``-`` when it has
    none). ``by_category`` is keyed by the category the engine chose, for items it acted on;
    missed items appear there only when they name an expected ``category``.
    """

    overall: Scores
    by_language: Dict[str, Scores]
    by_category: Dict[str, Scores]
    outcomes: List[Outcome]
    pack: Dict[str, str] = field(default_factory=dict)
    mode: str = "query"

    @property
    def precision(self) -> Optional[float]:
        return self.overall.precision

    @property
    def recall(self) -> Optional[float]:
        return self.overall.recall

    @property
    def errors(self) -> List[Outcome]:
        """The wrong answers (fn and fp), in input order."""
        return [o for o in self.outcomes if not o.correct]

    def passes(self, min_recall: Optional[float] = None, min_precision: Optional[float] = None) -> bool:
        """Whether the gates hold (as ``signpost eval``: an empty ratio counts as 1.0)."""
        eps = 1e-12
        return ((min_recall is None or _or1(self.recall) + eps >= min_recall)
                and (min_precision is None or _or1(self.precision) + eps >= min_precision))

    def to_dict(self, *, outcomes: bool = False) -> Dict[str, Any]:
        d: Dict[str, Any] = {
            "pack": dict(self.pack),
            "mode": self.mode,
            "overall": self.overall.to_dict(),
            "by_language": {k: v.to_dict() for k, v in sorted(self.by_language.items())},
            "by_category": {k: v.to_dict() for k, v in sorted(self.by_category.items())},
            "errors": [o.to_dict() for o in self.errors],
        }
        if outcomes:
            d["outcomes"] = [o.to_dict() for o in self.outcomes]
        return d

    def to_cli_dict(self) -> Dict[str, Any]:
        """The report in the shape of ``signpost eval --json`` (without ``pass``)."""
        return {"items": self.overall.items, "overall": self.overall.to_cli_dict(),
                "by_language": {k: v.to_cli_dict() for k, v in sorted(self.by_language.items())},
                "by_category": {k: v.to_cli_dict() for k, v in sorted(self.by_category.items())}}

    def to_pandas(self):
        """The outcomes as a pandas DataFrame (one row per item). Needs pandas."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("EvalReport.to_pandas() needs pandas (pip install pandas)") from e
        rows = []
        for o in self.outcomes:
            row = o.to_dict()
            row["language"] = language_of(o.item.locale)
            rows.append(row)
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        """The report as an HTML table, for notebooks."""
        from ._html import report_html
        return report_html(self)

    def format(self, by: Sequence[str] = ("language", "category"), show_errors: bool = False,
               source: str = "") -> str:
        """A plain-text table like ``signpost eval``'s: overall, then one row per language and/or
        category (``by``), then the wrong answers when ``show_errors``."""
        for group in by:
            if group not in ("language", "category"):
                raise ValueError(f"unknown grouping {group!r}: use 'language' or 'category'")
        out = io.StringIO()
        where = f" ({source})" if source else ""
        out.write(f"{self.overall.items} items{where}, pack {self.pack.get('name', '')} "
                  f"{self.pack.get('version', '')}\n")
        out.write(f"{'':<22} {'items':>6} {'recall':>9} {'precision':>9} {'missed':>6} {'wrong':>6}\n")

        def row(name: str, s: Scores) -> str:
            return (f"{name:<22} {s.items:>6} {_or1(s.recall):>9.3f} {_or1(s.precision):>9.3f} "
                    f"{s.fn:>6} {s.fp:>6}\n")

        out.write(row("overall", self.overall))
        if "language" in by:
            for k in sorted(self.by_language):
                out.write(row(f"  language {k}", self.by_language[k]))
        if "category" in by:
            for k in sorted(self.by_category):
                out.write(row(f"  category {k}", self.by_category[k]))
        if show_errors:
            for x in self.errors:
                got = x.action + (f" ({x.category})" if x.category else "")
                where = f"line {x.item.line}" if x.item.line else f"item {x.item.id or ''}".rstrip()
                out.write(f"{where}: {x.item.label} {x.item.locale} got {got}: {x.item.text}\n")
        return out.getvalue()


def _fmt(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:.3f}"


def language_of(locale: str) -> str:
    """The language subtag of a locale (``fr`` for ``fr-BE``), lowercase; ``-`` when empty.

    The key ``signpost eval`` uses too: both come from the library's one locale-tag type."""
    from . import _core
    return _core.language_key(locale)


def judge(label: str, action: str) -> str:
    """``tp``, ``fn``, ``fp`` or ``tn`` for an item with ``label`` that got ``action``."""
    if label == "R":
        return "tp" if action != "none" else "fn"
    if label == "A":
        return "tn" if action == "none" else "fp"
    if label == "H":
        return "fp" if action in ("interstitial", "redirect") else "tn"
    raise ValueError(f"unknown label {label!r}: use R, A or H")


# ---------------------------------------------------------------------------------------------
# Reading labelled files

def parse_labelled(lines: Iterable[str], name: str = "<input>") -> Iterator[LabelledItem]:
    """Items from lines of the labelled format: ``label<TAB>locale<TAB>text`` (the TSV of
    ``tests/data/eval``) or a JSON object with ``label`` and ``text`` (``locale``, ``id``, ``mode``,
    ``category`` optional). Blank lines and lines starting with ``#`` are skipped. Raises
    :class:`LabelledDataError` (``name:line: message``) for a line that cannot be read."""
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip() or line.startswith("#"):
            continue
        if line.lstrip().startswith("{"):
            yield _json_item(line, name, number)
            continue
        parts = line.split("\t", 2)
        if len(parts) != 3:
            raise LabelledDataError(f"{name}:{number}: expected label<TAB>locale<TAB>text or a JSON object")
        label, locale, text = parts
        label = label.strip()
        if label not in LABELS:
            raise LabelledDataError(f"{name}:{number}: unknown label {label!r} (use R, A or H)")
        yield LabelledItem(label=label, text=text, locale=locale.strip(), line=number)


def _json_item(line: str, name: str, number: int) -> LabelledItem:
    try:
        obj = json.loads(line)
    except ValueError as e:
        raise LabelledDataError(f"{name}:{number}: invalid JSON: {e}") from None
    if not isinstance(obj, dict):
        raise LabelledDataError(f"{name}:{number}: expected a JSON object")
    label, text = obj.get("label"), obj.get("text")
    if label not in LABELS:
        raise LabelledDataError(f"{name}:{number}: missing or unknown label {label!r} (use R, A or H)")
    if not isinstance(text, str):
        raise LabelledDataError(f"{name}:{number}: missing \"text\" (a string)")
    for key in ("locale", "mode", "category"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise LabelledDataError(f"{name}:{number}: \"{key}\" must be a string")
    if obj.get("mode") not in (None, "query", "post"):
        raise LabelledDataError(f"{name}:{number}: invalid mode {obj['mode']!r} (use query or post)")
    ident = obj.get("id")
    return LabelledItem(label=label, text=text, locale=obj.get("locale") or "",
                        id=None if ident is None else str(ident), mode=obj.get("mode"),
                        category=obj.get("category"), line=number)


def read_labelled(source: Union[str, os.PathLike, TextIO]) -> List[LabelledItem]:
    """Every item of a labelled file (a path, or an open text file); see :func:`parse_labelled`."""
    if hasattr(source, "read"):
        return list(parse_labelled(source, getattr(source, "name", "<input>")))
    name = os.fspath(source)
    with open(name, encoding="utf-8", newline="") as f:
        return list(parse_labelled(f, str(name)))


# ---------------------------------------------------------------------------------------------
# Evaluating

ItemLike = Union[LabelledItem, Tuple[str, str, str], Mapping[str, Any]]


def _as_item(x: ItemLike, index: int) -> LabelledItem:
    if isinstance(x, LabelledItem):
        item = x
    elif isinstance(x, Mapping):
        item = LabelledItem(label=x.get("label", ""), text=x.get("text", ""), locale=x.get("locale") or "",
                            id=None if x.get("id") is None else str(x["id"]), mode=x.get("mode"),
                            category=x.get("category"))
    elif isinstance(x, (tuple, list)) and len(x) == 3:
        item = LabelledItem(label=x[0], locale=x[1] or "", text=x[2])
    else:
        raise TypeError(f"item {index}: expected a LabelledItem, a (label, locale, text) tuple or a dict")
    if item.label not in LABELS:
        raise ValueError(f"item {index}: unknown label {item.label!r} (use R, A or H)")
    return item


def evaluate_labelled(engine, items: Iterable[ItemLike], mode: str = "query",
                      threads: int = 0) -> EvalReport:
    """Run ``engine`` over labelled ``items`` and score it.

    ``items`` are :class:`LabelledItem` objects (e.g. from :func:`read_labelled`),
    ``(label, locale, text)`` tuples or dicts with ``label``, ``text`` and optionally ``locale``,
    ``mode``, ``category``, ``id``. ``mode`` applies to items that do not name their own. The
    texts are judged with ``engine.evaluate_many`` on ``threads`` threads (0 = every core).
    """
    its = [_as_item(x, i) for i, x in enumerate(items)]
    decisions = engine.evaluate_many([it.text for it in its], locale=[it.locale for it in its],
                                     mode=[it.mode or mode for it in its], threads=threads)
    overall = Scores()
    by_language: Dict[str, Scores] = {}
    by_category: Dict[str, Scores] = {}
    outcomes: List[Outcome] = []
    for it, d in zip(its, decisions):
        action = d.action
        o = Outcome(item=it, action=action, category=d.category, score=d.score, kind=judge(it.label, action))
        outcomes.append(o)
        overall.add(o)
        by_language.setdefault(language_of(it.locale), Scores()).add(o)
        # Interventions under the category the engine chose; missed items under the expected one.
        key = d.category if action != "none" else it.category
        if key:
            by_category.setdefault(key, Scores()).add(o)
    return EvalReport(overall=overall, by_language=by_language, by_category=by_category,
                      outcomes=outcomes, pack=engine.pack.to_dict(), mode=mode)
