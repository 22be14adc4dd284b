"""``python -m signpost``: the analyst's commands, mirroring the ``signpost`` command-line tool.

::

    python -m signpost scan  [--pack DIR] [--mode query|post] [--locale L] [FILE|-]
    python -m signpost eval  [--pack DIR] [--mode query|post] FILE [--min-recall X] [--min-precision Y]
                             [--by language|category] [--json]
    python -m signpost check [--pack DIR] [--locale L] [--mode query|post] TEXT
    python -m signpost lint  [--pack DIR]
    python -m signpost explain|report|pack|diff ...   (the C++ tool's own code, compiled in)
    python -m signpost help [COMMAND]  |  -V, --version  |  --default-pack

The ``signpost`` console script is the same program, with the same commands as the C++ tool.

Exit codes: 0 success; 1 some scanned lines were errors, a lint example failed or an eval
threshold was missed; 2 usage errors, unreadable input and broken packs (every problem printed as
``FILE:LINE:COL: message`` on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import time
from typing import IO, List, Optional, Sequence

from . import ConfigError, Engine, MetricsRecorder, __version__, check_locale, check_subject, default_pack_path
from ._errors import LabelledDataError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# Commands that are the C++ tool's own code, compiled into the extension from the tools library:
# every argument (--help included) goes to the C++ parser unchanged. A command is offered when the
# extension has its entry point.
FORWARDED = {
    "report": ("run_report", "transparency report from metrics snapshots"),
    "diff": ("run_diff", "compare two packs over an analyst's corpus"),
    "pack": ("run_pack", "build, sign and verify pack archives"),
    "explain": ("run_explain", "why a text got its decision"),
}

# Every command, in the order of the C++ tool's usage, with its one-line summary.
COMMANDS = (
    ("check", "judge one text and print its decision as JSON"),
    ("scan", "judge JSON Lines or plain lines, one decision per line"),
    ("lint", "validate a pack and run its embedded examples"),
    ("eval", "measure precision and recall on a labelled file"),
    ("explain", "show why the pack decides what it decides about one text"),
    ("report", "write a transparency report from metrics snapshots"),
    ("pack", "build a pack archive, make keys, sign and verify packs"),
    ("diff", "compare two packs over a labelled corpus"),
)


def _main_usage(prog: str) -> str:
    """The C++ tool's top-level usage, in its layout (its lines for the commands and options)."""
    def rows(items):
        return "".join(f"  {name:<22}{summary}\n" for name, summary in items)
    options = (("-h,--help", "print this help"), ("-V,--version", "print the version"),
               ("--default-pack", "print where the default pack is found"))
    commands = COMMANDS + (("help", "print this, or the usage of COMMAND"),)
    return (f"usage: {prog} <command> [options]\n\noptions:\n{rows(options)}\ncommands:\n{rows(commands)}\n"
            f"Run '{prog} <command> --help' (or '{prog} help <command>') for the options of each.\n"
            "Without --pack the default pack is used ($SIGNPOST_PACK, else the pack in this package).\n")


# Lines read and judged together by scan (evaluate_many) when the input is a regular file.
SCAN_BATCH = 4096


class _Progress:
    """The progress of scan on stderr, never in the output stream: the share of the input scanned
    and the time left when its size is known (a regular file), else the count of lines. Shown when
    stderr is a terminal (redrawn in place) or when forced (--progress: a line a second)."""

    def __init__(self, stream: IO[str], what: str, enabled: bool = True, force: bool = False,
                 total: Optional[int] = None) -> None:
        self.stream, self.what, self.total = stream, what, total
        self.terminal = bool(getattr(stream, "isatty", lambda: False)())
        self.on = force or (enabled and self.terminal)
        self.start = self.last = time.monotonic()
        self.shown = False

    def line(self, n: int, nbytes: int) -> str:
        secs = time.monotonic() - self.start
        rate = n / secs if secs > 0 else 0.0
        if self.total is None:
            return f"{self.what} {n} lines ({rate:.0f} lines/s)"
        share = 1.0 if self.total == 0 else min(1.0, nbytes / self.total)
        eta = _duration(0) if share >= 1.0 else _duration(secs * (1 - share) / share) if share > 0 else "?"
        return (f"{self.what} {share * 100:3.0f}% ({_size(nbytes)} of {_size(self.total)}), {n} lines "
                f"({rate:.0f} lines/s), ETA {eta}")

    def _show(self, n: int, nbytes: int) -> None:
        text = self.line(n, nbytes)
        self.stream.write(f"\r{text:<78}" if self.terminal else text + "\n")
        self.stream.flush()
        self.shown = True

    def update(self, n: int, nbytes: int = 0) -> None:
        if not self.on:
            return
        now = time.monotonic()
        if now - self.last >= (0.25 if self.terminal else 1.0):
            self.last = now
            self._show(n, nbytes)

    def done(self, n: int, nbytes: int, summary: str) -> None:
        if not self.on:
            return
        self._show(n, nbytes)
        if self.terminal:
            self.stream.write("\n")
        self.stream.write(summary + "\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    s = int(max(0.0, seconds) + 0.5)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60}:{s % 60:02}"
    return f"{s // 3600}:{s // 60 % 60:02}:{s % 60:02}"


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    v, unit = n / 1000.0, 0
    units = ("kB", "MB", "GB", "TB")
    while v >= 1000.0 and unit < 3:
        v, unit = v / 1000.0, unit + 1
    return f"{v:.1f} {units[unit]}"


def _probability(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text}")
    return x


def _parser(prog: str = "python -m signpost") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog,
                                description="Judge texts against an intervention pack (the signpost engine).")
    p.add_argument("--version", action="version", version=f"signpost {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def pack_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--pack", metavar="DIR", help="pack folder (default: $SIGNPOST_PACK or the default pack)")

    def holdout_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--holdout", type=_probability, metavar="RATE",
                        help="host-declared holdout rate for every category (overrides the pack's), with --salt")
        sp.add_argument("--salt", help="holdout salt")

    def mode_arg(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--mode", choices=("query", "post"), default="query",
                        help="judge texts as search queries (default) or as posts / results")

    s = sub.add_parser("scan", help="JSON Lines in, one decision per line out, same order")
    pack_arg(s)
    mode_arg(s)
    s.add_argument("--locale", default="", help="locale for lines that do not give one")
    s.add_argument("--threads", type=int, default=0, help="threads for a file input (default: every core)")
    holdout_args(s)
    s.add_argument("--metrics-out", metavar="FILE", help="write the run's metrics snapshot (JSON) at the end")
    shown = s.add_mutually_exclusive_group()
    shown.add_argument("--progress", action="store_true",
                       help="progress on stderr even when it is not a terminal (a line a second)")
    shown.add_argument("--quiet", action="store_true", help="no progress on stderr")
    s.add_argument("input", nargs="?", default="-", metavar="FILE|-")

    e = sub.add_parser("eval", help="precision and recall on a labelled file (TSV or JSON Lines)")
    pack_arg(e)
    mode_arg(e)
    e.add_argument("input", metavar="FILE")
    e.add_argument("--min-recall", type=_probability, metavar="X")
    e.add_argument("--min-precision", type=_probability, metavar="Y")
    e.add_argument("--by", action="append", choices=("language", "category"),
                   help="rows per language or per category only (repeatable; default both)")
    e.add_argument("--show-errors", action="store_true", help="list the items answered wrongly")
    e.add_argument("--json", action="store_true", help="print the figures as one JSON object instead of a table")
    e.add_argument("--threads", type=int, default=0, help="threads (default: every core)")

    c = sub.add_parser("check", help="one decision as JSON")
    pack_arg(c)
    mode_arg(c)
    c.add_argument("--locale", default="")
    c.add_argument("--subject", default="", help="opaque key for holdout bucketing")
    holdout_args(c)
    c.add_argument("text")

    lint = sub.add_parser("lint", help="validate a pack and run its embedded examples")
    pack_arg(lint)

    from . import _core

    for name, (entry, summary) in FORWARDED.items():
        if hasattr(_core, entry):
            sub.add_parser(name, add_help=False, help=f"{summary} (the C++ command; --help for its options)")
    return p


def _load(args: argparse.Namespace, err: IO[str]) -> Optional[Engine]:
    """The engine for --pack (and --holdout/--salt where the command has them); prints every
    problem of a broken pack and returns None."""
    options = {}
    holdout = getattr(args, "holdout", None)
    if holdout is not None:
        if args.salt is None:
            err.write(f"signpost {args.command}: --holdout needs --salt\n")
            return None
        options = {"holdout_rate": holdout, "holdout_salt": args.salt}
    elif getattr(args, "salt", None):
        options = {"holdout_salt": args.salt}
    try:
        return Engine.load(args.pack, **options)
    except ConfigError as e:
        for problem in e.problems:
            err.write(f"{problem}\n")
        n = len(e.problems)
        err.write(f"signpost {args.command}: the pack has {n} problem{'' if n == 1 else 's'}\n")
        return None


def main(argv: Optional[Sequence[str]] = None, stdin: Optional[IO[bytes]] = None,
         stdout: Optional[IO[str]] = None, stderr: Optional[IO[str]] = None,
         prog: str = "python -m signpost") -> int:
    """Run one command; returns the exit code."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        err.write(_main_usage(prog))
        return EXIT_USAGE
    head = argv[0]
    if head in ("-h", "--help") or argv == ["help"]:
        out.write(_main_usage(prog))
        return EXIT_OK
    if head in ("-V", "--version"):
        out.write(f"signpost {__version__}\n")
        return EXIT_OK
    if head == "--default-pack":
        out.write(f"{default_pack_path()}\n")
        return EXIT_OK
    if head == "help":
        if len(argv) == 2 and argv[1] in dict(COMMANDS):
            return main([argv[1], "--help"], stdin, out, err, prog)
        err.write(f"{prog} help: unknown command '{' '.join(argv[1:])}'\n" + _main_usage(prog))
        return EXIT_USAGE
    if head in FORWARDED:  # its arguments are the C++ command's, parsed there
        return _forward(head, argv[1:], out, err)
    try:
        args = _parser(prog).parse_args(argv)
    except SystemExit as e:  # argparse: --help exits 0, usage errors 2
        return int(e.code or 0)
    try:
        if args.command == "scan":
            return _scan(args, stdin, out, err)
        if args.command == "eval":
            return _eval(args, out, err)
        if args.command == "check":
            return _check(args, out, err)
        return _lint(args, out, err)
    except BrokenPipeError:  # e.g. `| head`: stop quietly
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK


# ---------------------------------------------------------------------------------------------
# scan

class _Line:
    """One scan input line, parsed: either a query or an error message."""

    __slots__ = ("text", "locale", "mode", "subject", "id_raw", "error")

    def __init__(self, text=b"", locale="", mode="query", subject="", id_raw=None, error=None):
        self.text, self.locale, self.mode, self.subject = text, locale, mode, subject
        self.id_raw, self.error = id_raw, error  # id_raw: the id as JSON text, echoed unchanged


def _parse_scan_line(raw: bytes, number: int, default_locale: str, default_mode: str) -> _Line:
    line = raw[:-1] if raw.endswith(b"\n") else raw
    if line.endswith(b"\r"):
        line = line[:-1]
    if not line.lstrip(b" \t").startswith(b"{"):
        return _Line(line, default_locale, default_mode)  # a plain text line, its bytes as given
    try:
        obj = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        obj = None
    if not isinstance(obj, dict):
        return _Line(error=f"line {number}: invalid JSON")
    ident = obj.get("id")
    id_raw = None
    if isinstance(ident, str) or (isinstance(ident, (int, float)) and not isinstance(ident, bool)):
        id_raw = json.dumps(ident)
    problem = None
    text = obj.get("text")
    if "text" not in obj:
        problem = 'missing "text"'
    elif not isinstance(text, str):
        problem = '"text" must be a string'
    fields = {}
    for key in ("locale", "subject", "mode"):
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problem = problem or f'"{key}" must be a string'
            continue
        fields[key] = value
    mode = fields.get("mode", default_mode)
    if mode not in ("query", "post"):
        problem = problem or '"mode" must be "query" or "post"'
    if ident is not None and id_raw is None:
        problem = problem or '"id" must be a string or a number'
    # Checked as the C++ scan, the server and Engine.evaluate check them (signpost/validate.hpp).
    problem = problem or check_locale(fields.get("locale", "")) or check_subject(fields.get("subject", ""))
    if problem:
        return _Line(id_raw=id_raw, error=f"line {number}: {problem}")
    return _Line(text, fields.get("locale", default_locale), mode, fields.get("subject", ""), id_raw)


def _regular_size(source: IO[bytes]) -> Optional[int]:
    """The size of the input when it is a regular file (named, or redirected to stdin), else None."""
    try:
        st = os.fstat(source.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


def _decision_line(d, id_raw: Optional[str]) -> str:
    if id_raw is None:
        return d.to_json()
    if id_raw.startswith('"'):
        return d.to_json(json.loads(id_raw))  # the library escapes it (HTML-safe)
    return '{"id":' + id_raw + "," + d.to_json()[1:]  # a number, echoed as it came


def _error_line(id_raw: Optional[str], message: str) -> str:
    return ('{"id":' + (id_raw or "null") + ',"action":"error","error":'
            + json.dumps(message, ensure_ascii=False) + "}")


def _scan(args: argparse.Namespace, stdin: Optional[IO[bytes]], out: IO[str], err: IO[str]) -> int:
    if args.threads < 0:
        err.write("signpost scan: --threads must be >= 0\n")
        return EXIT_USAGE
    if not _fields_ok(args, err):
        return EXIT_USAGE
    if args.input == "-":
        source: IO[bytes] = stdin if stdin is not None else sys.stdin.buffer
        regular = False
    else:
        try:
            source = open(args.input, "rb")
        except OSError:
            err.write(f"signpost scan: cannot open {args.input}\n")
            return EXIT_USAGE
        regular = True
    try:
        engine = _load(args, err)
        if engine is None:
            return EXIT_USAGE
        recorder = MetricsRecorder(engine) if args.metrics_out else None
        progress = _Progress(err, "scanned", enabled=not args.quiet, force=args.progress,
                             total=_regular_size(source))
        errors = 0
        number = 0
        nbytes = 0
        batch: List[_Line] = []

        def flush_batch() -> None:
            nonlocal errors
            ok = [x for x in batch if x.error is None]
            decisions = iter(engine.evaluate_many(
                [x.text for x in ok], locale=[x.locale for x in ok], mode=[x.mode for x in ok],
                threads=args.threads, subjects=[x.subject for x in ok]) if ok else [])
            lines = []
            for x in batch:
                if x.error is not None:
                    errors += 1
                    lines.append(_error_line(x.id_raw, x.error))
                    continue
                d = next(decisions)
                if recorder is not None:
                    recorder.record(d)
                lines.append(_decision_line(d, x.id_raw))
            if lines:
                out.write("\n".join(lines) + "\n")
            if not regular:
                out.flush()
            batch.clear()

        # A file is read in batches judged on every core; a stream (stdin) line by line, each
        # answer flushed at once, so the command can sit in a pipeline.
        for raw in source:
            number += 1
            nbytes += len(raw)
            batch.append(_parse_scan_line(raw, number, args.locale, args.mode))
            if not regular or len(batch) >= SCAN_BATCH:
                flush_batch()
                progress.update(number, nbytes)
        flush_batch()
        out.flush()
        progress.done(number, nbytes, f"scanned {number} lines, {errors} errors")
    finally:
        if regular:
            source.close()
    if recorder is not None:
        try:
            with open(args.metrics_out, "w", encoding="utf-8") as f:
                f.write(recorder.snapshot_json() + "\n")
        except OSError:
            err.write(f"signpost scan: cannot write {args.metrics_out}\n")
            return EXIT_USAGE
    return EXIT_FAILED if errors else EXIT_OK


# ---------------------------------------------------------------------------------------------
# eval, check, lint

def _eval(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from .analysis import evaluate_labelled, read_labelled

    if args.threads < 0:
        err.write("signpost eval: --threads must be >= 0\n")
        return EXIT_USAGE
    try:
        items = read_labelled(sys.stdin if args.input == "-" else args.input)
    except OSError:
        err.write(f"signpost eval: cannot open {args.input}\n")
        return EXIT_USAGE
    except (LabelledDataError, UnicodeDecodeError) as e:
        err.write(f"signpost eval: {e}\n")
        return EXIT_USAGE
    engine = _load(args, err)
    if engine is None:
        return EXIT_USAGE
    report = evaluate_labelled(engine, items, mode=args.mode, threads=args.threads)
    passed = report.passes(args.min_recall, args.min_precision)
    if args.json:
        d = report.to_cli_dict()
        d["pass"] = passed
        out.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        out.write(report.format(by=args.by or ("language", "category"), show_errors=args.show_errors,
                                source=args.input))
        if args.min_recall is not None or args.min_precision is not None:
            def gate(x):
                return "-" if x is None else f"{x:g}"
            recall = 1.0 if report.recall is None else report.recall
            precision = 1.0 if report.precision is None else report.precision
            out.write(f"{'PASS' if passed else 'FAIL'}: recall {recall:.3f} (min {gate(args.min_recall)}), "
                      f"precision {precision:.3f} (min {gate(args.min_precision)})\n")
    return EXIT_OK if passed else EXIT_FAILED


def _fields_ok(args: argparse.Namespace, err: IO[str]) -> bool:
    """--locale and --subject as every front end checks them (signpost/validate.hpp)."""
    for name, check in (("locale", check_locale), ("subject", check_subject)):
        problem = check(getattr(args, name, None) or "")
        if problem:
            err.write(f"signpost {args.command}: --{name}: {problem}\n")
            return False
    return True


def _check(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if not _fields_ok(args, err):
        return EXIT_USAGE
    engine = _load(args, err)
    if engine is None:
        return EXIT_USAGE
    text = os.fsencode(args.text)  # the argument's bytes as given
    d = engine.evaluate(text, locale=args.locale, mode=args.mode, subject=args.subject)
    out.write(d.to_json() + "\n")
    # Like grep: 0 when the decision intervenes, 1 when it is none (2 is for usage and pack errors).
    return EXIT_OK if d.intervenes else EXIT_FAILED


def _forward(name: str, argv: List[str], out: IO[str], err: IO[str]) -> int:
    from . import _core

    run = getattr(_core, FORWARDED[name][0], None)
    if run is None:
        err.write(f"signpost {name}: not in this build of the package\n")
        return EXIT_USAGE
    options = argv[:argv.index("--")] if "--" in argv else argv
    if name == "explain" and not any(a == "--pack" or a.startswith("--pack=") for a in options):
        # The default pack as this package finds it ($SIGNPOST_PACK, else the one it carries).
        argv = ["--pack", str(default_pack_path()), *argv]
    code, command_out, command_err = run(list(argv))
    out.write(command_out)
    err.write(command_err)
    return code


def _lint(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    engine = _load(args, err)
    if engine is None:
        return EXIT_USAGE
    report = engine.lint()
    for failure in report.failures:
        out.write(f"{failure}\n")
    pack = engine.pack
    out.write(f"{pack.name} {pack.version}: {len(engine.categories())} categories, "
              f"{report.examples} examples, {len(report.failures)} failed\n")
    return EXIT_OK if report.ok else EXIT_FAILED


def console_main() -> None:
    """Entry point of the ``signpost`` console script."""
    sys.exit(main(prog="signpost"))
