"""Decisions for a PySpark DataFrame: ``signpost.spark.scan(df, text="text")``. Needs pyspark,
pandas and pyarrow.

The pack travels with the job as bytes (a canonical pack archive captured in the function Spark
ships to its executors), so executors need no shared path, no installed pack and no file on
disk. Each Python worker compiles the pack once, on its first batch, and keeps the engine for
the following batches and tasks (Spark reuses Python workers); batches arrive as Arrow record
batches, judged as one column each with ``Engine.evaluate_frame``: no Python code per row.
"""

from __future__ import annotations

import hashlib
import os
import threading
from typing import Dict, Iterator, Optional, Union

from . import Engine

__all__ = ["scan", "DECISION_SCHEMA"]

#: The columns scan adds (names before ``prefix``), as a Spark DDL schema.
DECISION_SCHEMA = ("action string, category string, score double, rules array<string>, "
                   "cards array<string>, holdout boolean, error string")

PackLike = Union[None, str, "os.PathLike[str]", bytes, Engine]

# The engine of each pack this Python worker has seen, by the archive's digest.
_WORKER_ENGINES: Dict[str, Engine] = {}
_WORKER_LOCK = threading.Lock()


def _archive_of(pack: PackLike) -> bytes:
    if pack is None:
        return Engine.load().to_archive()
    if isinstance(pack, Engine):
        return pack.to_archive()
    if isinstance(pack, (bytes, bytearray, memoryview)):
        data = bytes(pack)
        Engine.load_archive(data)  # fail here, on the driver, not in every executor
        return data
    path = os.fspath(pack)
    if os.path.isdir(path):
        return Engine.load(path).to_archive()
    with open(path, "rb") as f:  # a pack archive file
        data = f.read()
    Engine.load_archive(data)
    return data


def worker_engine(archive: bytes, digest: Optional[str] = None) -> Engine:
    """The engine for a pack archive in this process: compiled on first use, then reused."""
    key = digest or hashlib.sha256(archive).hexdigest()
    with _WORKER_LOCK:
        engine = _WORKER_ENGINES.get(key)
        if engine is None:
            engine = Engine.load_archive(archive)
            _WORKER_ENGINES[key] = engine
    return engine


def scan(df, text: str = "text", locale: Optional[str] = None, mode: str = "query", pack: PackLike = None, *,
         subject: Optional[str] = None, prefix: str = "", threads: int = 1):
    """``df`` with the decision columns added: ``action``, ``category``, ``score``, ``rules``,
    ``cards``, ``holdout`` and ``error`` (each after ``prefix``).

    ``text`` names the column to judge. ``locale``, ``mode`` and ``subject`` each name a column or
    give one value for every row, as in :meth:`Engine.evaluate_frame`. ``pack`` is the pack to use:
    None (the default pack), a pack folder, a pack archive file or its bytes, or a loaded
    :class:`Engine`; it is read once, here, on the driver. ``threads`` is the engine's threads per
    Python worker (1: Spark already runs one worker per core). A row whose text is missing or not
    text gets ``action == "error"`` and a message in ``error``; the job goes on.
    """
    from pyspark.sql.types import StructType

    if text not in df.columns:
        raise KeyError(f"no column {text!r} in the DataFrame (columns: {df.columns})")
    added = StructType.fromDDL(DECISION_SCHEMA)
    names = [prefix + f.name for f in added.fields]
    clash = [n for n in names if n in df.columns]
    if clash:
        raise ValueError(f"the DataFrame already has columns {clash}: pass prefix= to name the decision columns")
    for field, name in zip(added.fields, names):
        field.name = name
    schema = StructType(df.schema.fields + added.fields)

    archive = _archive_of(pack)
    digest = hashlib.sha256(archive).hexdigest()

    def judge(batches: Iterator) -> Iterator:
        engine = worker_engine(archive, digest)
        for pdf in batches:
            decisions = engine.evaluate_frame(pdf, text=text, locale=locale, mode=mode, subject=subject,
                                              threads=threads)
            decisions.columns = names
            # A batch's index is not the DataFrame's: the message says what is wrong, not where.
            error = decisions[names[-1]]
            decisions[names[-1]] = error.str.replace(r"^row [^:]*: ", "", regex=True)
            for name in names[:2] + names[-1:]:  # plain str columns for Arrow (None when missing)
                col = decisions[name]
                decisions[name] = col.astype(object).where(col.notna(), None)
            yield pdf.join(decisions) if len(pdf.columns) else decisions

    return df.mapInPandas(judge, schema=schema)
