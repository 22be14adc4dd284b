"""Exceptions raised by the signpost package."""

from __future__ import annotations

from typing import Iterable, NamedTuple, Tuple, Union


class Problem(NamedTuple):
    """One problem found in a pack: a 1-based line and column in a file (0 when not known)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ConfigError(ValueError):
    """A pack cannot be used.

    ``problems`` lists every problem found, in file order, as :class:`Problem` tuples
    ``(file, line, column, message)``; ``file``, ``line`` and ``column`` are those of the first.
    ``str(error)`` is the C++ ``what()``: every problem as ``file:line:col: message``, one a line.
    """

    file: str
    line: int
    column: int
    problems: list[Problem]

    def __init__(self, message: str,
                 problems: Iterable[Union[Problem, Tuple[str, int, int, str]]] = ()) -> None:
        super().__init__(message)
        self.problems = [Problem(*p) for p in problems]
        first = self.problems[0] if self.problems else Problem("", 0, 0, message)
        self.file, self.line, self.column = first.file, first.line, first.column

    def __reduce__(self):  # keep the problems through pickling (multiprocessing)
        return (type(self), (str(self), self.problems))


class LabelledDataError(ValueError):
    """A labelled evaluation file has a line that cannot be read (``file:line: message``)."""
