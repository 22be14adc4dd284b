"""signpost: match search queries and posts against intervention packs, in Python.

The same compiled engine as the ``signpost`` command-line tool and ``signpost-server``, with a thin
Python layer on top::

    import signpost
    engine = signpost.Engine.load()                     # the default pack
    d = engine.evaluate("boat to uk price", locale="en")
    d.action, d.category, d.score, d.matches, d.cards   # action is a str: "none", "annotate", ...
    d.to_dict()                                         # the CLI's JSON, as a dict

Engines are immutable and thread-safe; calls into the engine release the GIL (``evaluate`` only for
texts of 512 bytes or more: a short query takes less time than releasing it is worth).
``evaluate_many`` spreads a batch over native threads. Match offsets are byte offsets into the
UTF-8 text; ``Match.span_chars(text)`` converts them to ``str`` indexes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Union

from . import _archive, _core
from ._core import (
    Card,
    Decision,
    ExampleFailure,
    LintReport,
    Match,
    MetricsRecorder,
    PackInfo,
    RedirectedResults,
    RedirectEntry,
    Result,
    check_id,
    check_locale,
    check_mode,
    check_subject,
    holdout_bucket,
)
from ._errors import ConfigError, LabelledDataError, Problem
from . import _html

# Notebooks (Jupyter, VS Code) show decisions and result lists as a searcher would see the cards.
Decision._repr_html_ = _html.decision_html
RedirectedResults._repr_html_ = _html.redirected_html

__all__ = [
    "Card",
    "ConfigError",
    "Decision",
    "Engine",
    "ExampleFailure",
    "LabelledDataError",
    "LintReport",
    "Match",
    "MetricsRecorder",
    "PackInfo",
    "Problem",
    "Query",
    "RedirectEntry",
    "RedirectedResults",
    "Result",
    "DEFAULT_MAX_TEXT_BYTES",
    "available_cores",
    "check_id",
    "check_locale",
    "check_mode",
    "check_subject",
    "default_pack_path",
    "holdout_bucket",
    "__version__",
]

#: The library version (``signpost::version``); the distribution's version is read from the same header.
__version__: str = _core.version

#: Bytes of a text the engine considers by default (``EngineOptions::max_text_bytes``).
DEFAULT_MAX_TEXT_BYTES = 1 << 20

# Installed beside this file by the wheel (see python/CMakeLists.txt).
_PACKAGED_PACK = Path(__file__).resolve().parent / "packs" / "people-smuggling"


def default_pack_path() -> Path:
    """The pack ``Engine.load()`` uses without a path.

    ``$SIGNPOST_PACK`` when set, else the default pack carried in this package, else the C++
    library's own default (the pack installed with it, or the source tree's).
    """
    env = os.environ.get("SIGNPOST_PACK")
    if env:
        return Path(env)
    if (_PACKAGED_PACK / "pack.yaml").is_file():
        return _PACKAGED_PACK
    return Path(_core.default_pack_path())


def available_cores() -> int:
    """Cores this process may run on: what ``evaluate_many(threads=0)`` uses."""
    return _core.available_cores()


@dataclass(frozen=True)
class Query:
    """A text to judge, with its locale, mode (``"query"`` or ``"post"``) and holdout subject."""

    text: Union[str, bytes]
    locale: str = ""
    mode: str = "query"
    subject: str = ""


Text = Union[str, bytes]
QueryLike = Union[Text, Query, Mapping[str, Any]]
ResultLike = Union[Result, Mapping[str, Any]]


class Engine(_core.Engine):
    """A compiled intervention pack. Immutable; every method is safe to call from many threads.

    ``Engine(path, *, holdout_rate=None, holdout_salt="", max_text_bytes=DEFAULT_MAX_TEXT_BYTES)``
    loads the pack in ``path``; :meth:`load` also knows the default pack. Both raise
    :class:`ConfigError` listing every problem of a broken pack.
    """

    @classmethod
    def load(
        cls,
        path: Union[str, os.PathLike, None] = None,
        *,
        holdout_rate: Optional[float] = None,
        holdout_salt: str = "",
        max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ) -> "Engine":
        """Load the pack in ``path``, or the default pack (:func:`default_pack_path`) without one.

        ``holdout_rate`` (a host-declared holdout for every category, replacing the pack's) and
        ``holdout_salt`` are the C++ ``EngineOptions``; so is ``max_text_bytes``, the bytes of a
        text considered by :meth:`evaluate` (the rest is ignored).
        """
        if path is None:
            path = default_pack_path()
        return cls(path, holdout_rate=holdout_rate, holdout_salt=holdout_salt,
                   max_text_bytes=max_text_bytes)

    def redirect(self, query: QueryLike, results: Iterable[ResultLike], *,
                 locale: Optional[str] = None, mode: Optional[str] = None,
                 subject: Optional[str] = None) -> RedirectedResults:
        """Judge a query and the host's results for it, and return the list to show.

        ``query`` is a str (or bytes), a :class:`Query`, or a dict with ``text`` and optionally
        ``locale``, ``mode``, ``subject``; keyword arguments override those. ``results`` are
        :class:`Result` objects or dicts with ``id``, ``title``, ``snippet``, ``url``. The answer
        has ``decision`` (the query's own), ``entries`` (cards swapped in, results kept and
        flagged, in display order), ``removed``, ``flagged`` and ``to_dict()``.
        """
        if isinstance(query, (str, bytes, bytearray)):
            text, q_locale, q_mode, q_subject = query, "", "query", ""
        elif isinstance(query, Query):
            text, q_locale, q_mode, q_subject = query.text, query.locale, query.mode, query.subject
        elif isinstance(query, Mapping):
            if "text" not in query:
                raise ValueError("a query dict needs a 'text'")
            text = query["text"]
            q_locale = query.get("locale") or ""
            q_mode = query.get("mode") or "query"
            q_subject = query.get("subject") or ""
        else:
            raise TypeError(f"query must be a str, a signpost.Query or a dict, not {type(query).__name__}")
        return self._redirect(
            text,
            q_locale if locale is None else locale,
            q_mode if mode is None else mode,
            q_subject if subject is None else subject,
            results,
        )

    def evaluate_frame(self, df, text: str = "text", locale: Optional[str] = None, mode: str = "query", *,
                       subject: Optional[str] = None, threads: int = 0):
        """Judge a pandas DataFrame's column of texts; a DataFrame of decisions, same index.

        See :func:`signpost.frame.evaluate_frame`."""
        from .frame import evaluate_frame
        return evaluate_frame(self, df, text=text, locale=locale, mode=mode, subject=subject, threads=threads)

    # --- packs as bytes ----------------------------------------------------------------------

    @classmethod
    def load_archive(
        cls,
        data: bytes,
        *,
        holdout_rate: Optional[float] = None,
        holdout_salt: str = "",
        max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ) -> "Engine":
        """Load a pack from the bytes of a pack archive (a tar of the pack folder, optionally
        gzip-compressed, as ``signpost pack build`` or :meth:`to_archive` make it).

        Nothing needs to exist on disk: this is how a pack reaches worker processes and cluster
        executors. Raises :class:`ConfigError` for a damaged or unsafe archive (links, ``..``,
        oversized members) and for every problem of the pack, with file names relative to the
        archive. The engine's :attr:`path` is None.
        """
        if getattr(_core, "_archive_loader", False):  # the library's Engine::load_archive
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError(f"a pack archive is bytes, not {type(data).__name__}")
            data = bytes(data)
            engine = cls(archive=data, holdout_rate=holdout_rate, holdout_salt=holdout_salt,
                         max_text_bytes=max_text_bytes)
            engine._archive_bytes = data  # its files are read from these when it is pickled
        else:
            files = _archive.from_tar(data)
            engine = _archive.load_files(
                lambda folder: cls(folder, holdout_rate=holdout_rate, holdout_salt=holdout_salt,
                                   max_text_bytes=max_text_bytes), files)
            engine._pack_files = files
        engine._from_archive = True
        return engine

    @property
    def path(self) -> Optional[Path]:
        """The pack folder this engine was loaded from; None when it came from an archive."""
        if getattr(self, "_from_archive", False):
            return None
        return Path(super().path)

    def pack_files(self) -> Dict[str, bytes]:
        """The pack as ``{relative path: bytes}``: exactly the files this engine compiled.

        For an engine loaded from a folder the files are read on first use and checked against
        the pack hash; :class:`ConfigError` if the folder changed since the engine was loaded.
        """
        files = getattr(self, "_pack_files", None)
        if files is None and getattr(self, "_archive_bytes", None) is not None:
            files = self._pack_files = _archive.from_tar(self._archive_bytes)
        if files is None and Path(super().path).is_file():  # a pack archive given as a path
            files = self._pack_files = _archive.from_tar(Path(super().path).read_bytes())
        if files is None:
            files = _archive.read_pack_files(super().path)
            if _archive.pack_hash(files) != self.pack.hash:
                raise ConfigError(
                    f"{super().path}:0:0: the pack folder changed since this engine was loaded; load it again",
                    [Problem(str(super().path), 0, 0,
                             "the pack folder changed since this engine was loaded; load it again")])
            self._pack_files = files
        return dict(files)

    def to_archive(self) -> bytes:
        """This engine's pack as a canonical tar (same pack, same bytes), for :meth:`load_archive`."""
        return _archive.to_tar(self.pack_files())

    def __repr__(self) -> str:
        pack = self.pack
        where = "archive" if self.path is None else f"path={str(self.path)!r}"
        return f"<signpost.Engine pack={pack.name!r} version={pack.version!r} {where}>"

    def __reduce__(self):
        # By value: the pack's bytes and the options, so an engine travels to processes and
        # machines that do not have the pack folder (multiprocessing, Spark executors).
        options = self.options
        return (_engine_from_archive, (type(self), self.to_archive(), options["holdout_rate"],
                                       options["holdout_salt"], options["max_text_bytes"]))


# Engines unpickled in this process, by (archive digest, options): a worker that receives the same
# engine with every task (a Spark executor's Python worker) compiles its pack once.
_ENGINE_CACHE: "OrderedDict[tuple, Engine]" = OrderedDict()
_ENGINE_CACHE_SIZE = 4
_ENGINE_CACHE_LOCK = threading.Lock()


def _engine_from_archive(cls, data, holdout_rate, holdout_salt, max_text_bytes):
    key = (cls, hashlib.sha256(data).hexdigest(), holdout_rate, holdout_salt, max_text_bytes)
    with _ENGINE_CACHE_LOCK:
        engine = _ENGINE_CACHE.get(key)
        if engine is not None:
            _ENGINE_CACHE.move_to_end(key)
            return engine
    engine = cls.load_archive(data, holdout_rate=holdout_rate, holdout_salt=holdout_salt,
                              max_text_bytes=max_text_bytes)
    with _ENGINE_CACHE_LOCK:
        _ENGINE_CACHE[key] = engine
        while len(_ENGINE_CACHE) > _ENGINE_CACHE_SIZE:
            _ENGINE_CACHE.popitem(last=False)
    return engine
