#!/usr/bin/env python3
"""Generates the `signpost` tool's shell completions and man page from its own --help.

    scripts/cli_docs.py build/sdk/cli/signpost --out DIR

writes DIR/signpost.bash (bash completion), DIR/_signpost (zsh completion) and, when help2man is
installed, DIR/signpost.1 (man page: `signpost --help` and `--version` through help2man, with every
command's --help as a COMMANDS section). Nothing is written by hand: a new command or flag appears
in all three the next time the tool is built.

The commands are the words listed under a "commands" or "subcommands" heading of a help text for
which `signpost WORDS --help` succeeds (so `signpost pack --help` lists `build`, `sign`...). The
options are every `-x` / `--name` a command's help shows; an option followed by a metavariable
takes a value: DIR completes folders, a choice list (`query|post`, `{query,post}`) its choices,
anything else files.

Standard library only; needs help2man for the man page.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HEADING = re.compile(r"^\s*(sub)?commands\s*:?\s*$", re.I)
COMMAND_LINE = re.compile(r"^\s{1,8}([a-z][a-z0-9-]*)(?:,\s*[a-z][a-z0-9-]*)*(?:\s{2,}(\S.*))?$")
# An option, its metavariable or choices, e.g. "--pack DIR", "--mode query|post", "-o,--out TEXT",
# "--mode TEXT:{query,post}", "--pack=DIR", "--k N".
OPTION = re.compile(
    r"(?<![\w/.-])(?P<name>--?[A-Za-z0-9][\w-]*)"
    r"(?:[ =](?P<meta>(?:[A-Z][A-Z0-9_]*|<[^>\s]+>)(?::(?:\{(?P<set>[^}]*)\}|[A-Za-z]+))?"
    r"|(?P<alt>[a-z][\w-]*(?:\|[a-z][\w-]*)+)))?")


@dataclass
class Option:
    names: list[str]
    meta: str = ""
    choices: list[str] = field(default_factory=list)
    help: str = ""

    @property
    def takes_value(self) -> bool:
        return bool(self.meta or self.choices)

    @property
    def wants_dir(self) -> bool:
        return not self.choices and "DIR" in self.meta.upper()

    @property
    def wants_file(self) -> bool:
        """A value that names a file (anything but a folder, a number or free text)."""
        return not self.choices and any(w in self.meta.upper() for w in ("FILE", "PATH", "SNAPSHOT", "KEY", "TAR"))


@dataclass
class Command:
    words: tuple[str, ...]
    summary: str = ""
    help: str = ""
    options: list[Option] = field(default_factory=list)
    subcommands: list["Command"] = field(default_factory=list)

    @property
    def key(self) -> str:
        return " ".join(self.words)

    @property
    def path(self) -> str:
        """The command line that reaches it ("signpost pack build"): the completion tables' key."""
        return " ".join(("signpost", *self.words))


def help_of(tool: str, words: tuple[str, ...]) -> str | None:
    r = subprocess.run([tool, *words, "--help"], capture_output=True, text=True, timeout=60)
    return r.stdout if r.returncode == 0 else None


def listed_commands(text: str) -> list[tuple[str, str]]:
    out, inside = [], False
    for line in text.splitlines():
        if HEADING.match(line):
            inside = True
            continue
        if inside:
            m = COMMAND_LINE.match(line)
            if m:
                out.append((m[1], (m[2] or "").strip()))
            elif line.strip() == "" and out:
                inside = False
            elif line.strip() and not line.startswith(" "):
                inside = False
    return out


def options_of(text: str) -> list[Option]:
    """Every option a help text shows, merged by name, with the help of the line that defines it."""
    found: dict[str, Option] = {}
    order: list[Option] = []
    usage = False
    for line in text.splitlines():
        # Options count where they are defined (a line that starts with one: "  -o,--out FILE  ...")
        # or in the usage synopsis (and its indented continuation lines), never in prose.
        defines = line.lstrip().startswith("-")
        if re.match(r"^\s*usage:", line, re.I):
            usage = True
        elif not line.startswith(" ") or not line.strip():
            usage = False
        if not (defines or usage):
            continue
        matches = [m for m in OPTION.finditer(line) if m["name"] not in ("-", "--")]
        if not matches:
            continue
        # Aliases are written together at the start of a definition line: "-V, --version".
        aliases = [matches[0]["name"]] if defines else []
        for prev, m in zip(matches, matches[1:]):
            if not defines or line[prev.end():m.start()].strip() != ",":
                break
            aliases.append(m["name"])
        rest = line[matches[len(aliases) - 1].end():] if aliases else ""
        # The description runs to the end of the line, or to another option defined on it.
        description = re.split(r"[;,]?\s{2,}(?=-)", rest.strip())[0] if defines else ""
        for m in matches:
            name = m["name"]
            opt = found.get(name)
            if opt is None:
                opt = Option([n for n in aliases if n not in found] if name in aliases else [name])
                for n in opt.names:
                    found[n] = opt
                order.append(opt)
            if m["meta"] and not opt.meta:
                opt.meta = m["meta"]
            choices = (m["set"] or "").replace(" ", "").split(",") if m["set"] else (m["alt"] or "").split("|")
            if not opt.choices and any(choices):
                opt.choices = [c for c in choices if c]
            if description and not opt.help and name in aliases:
                opt.help = description
    return order


def discover(tool: str, words: tuple[str, ...] = (), summary: str = "") -> Command:
    text = help_of(tool, words) or ""
    cmd = Command(words, summary, text, options_of(text))
    for name, desc in listed_commands(text):
        if name != "help" and name not in words and help_of(tool, (*words, name)) is not None:
            cmd.subcommands.append(discover(tool, (*words, name), desc))
    # `signpost help COMMAND`, when the tool has it, completes the command names.
    if not words and cmd.subcommands and _runs(tool, ("help", cmd.subcommands[0].words[0])):
        helper = Command(("help",), "print the usage of a command")
        helper.subcommands = [Command(("help", c.words[0]), c.summary) for c in cmd.subcommands]
        cmd.subcommands.append(helper)
    return cmd


def _runs(tool: str, words: tuple[str, ...]) -> bool:
    return subprocess.run([tool, *words], capture_output=True, timeout=60).returncode == 0


def walk(cmd: Command):
    yield cmd
    for sub in cmd.subcommands:
        yield from walk(sub)


# ---- bash -----------------------------------------------------------------------------------------


def bash_completion(root: Command) -> str:
    def q(s: str) -> str:
        return "'" + s.replace("'", "'\\''") + "'"

    lines = ["# bash completion for signpost. Generated from `signpost --help` by scripts/cli_docs.py:",
             "# do not edit; rebuild instead.", "",
             "declare -gA _signpost_subs=() _signpost_opts=() _signpost_valued=() _signpost_dirs=() _signpost_files=()",
             "declare -gA _signpost_choices=()"]
    for cmd in walk(root):
        k = q(cmd.path)
        lines.append(f"_signpost_subs[{k}]={q(' '.join(s.words[-1] for s in cmd.subcommands))}")
        lines.append(f"_signpost_opts[{k}]={q(' '.join(n for o in cmd.options for n in o.names))}")
        lines.append(f"_signpost_valued[{k}]={q(' '.join(n for o in cmd.options if o.takes_value for n in o.names))}")
        lines.append(f"_signpost_dirs[{k}]={q(' '.join(n for o in cmd.options if o.wants_dir for n in o.names))}")
        lines.append(f"_signpost_files[{k}]={q(' '.join(n for o in cmd.options if o.wants_file for n in o.names))}")
        for o in cmd.options:
            if o.choices:
                for n in o.names:
                    lines.append(f"_signpost_choices[{q(cmd.path + '|' + n)}]={q(' '.join(o.choices))}")
    lines += [
        "",
        "_signpost() {",
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path=signpost w i skip=0",
        "  for ((i = 1; i < COMP_CWORD; i++)); do",
        "    w=${COMP_WORDS[i]}",
        "    if ((skip)); then skip=0; continue; fi",
        "    if [[ $w == -* ]]; then",
        "      [[ \" ${_signpost_valued[$path]} \" == *\" $w \"* ]] && skip=1",
        "      continue",
        "    fi",
        "    [[ \" ${_signpost_subs[$path]} \" == *\" $w \"* ]] && path=\"$path $w\"",
        "  done",
        "  if [[ $prev == -* && \" ${_signpost_valued[$path]} \" == *\" $prev \"* ]]; then",
        "    if [[ -n ${_signpost_choices[$path|$prev]+set} ]]; then",
        "      mapfile -t COMPREPLY < <(compgen -W \"${_signpost_choices[$path|$prev]}\" -- \"$cur\")",
        "    elif [[ \" ${_signpost_dirs[$path]} \" == *\" $prev \"* ]]; then",
        "      mapfile -t COMPREPLY < <(compgen -d -- \"$cur\")",
        "    elif [[ \" ${_signpost_files[$path]} \" == *\" $prev \"* ]]; then",
        "      mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")",
        "    else",
        "      COMPREPLY=()",
        "    fi",
        "    return 0",
        "  fi",
        "  if [[ $cur == -* ]]; then",
        "    mapfile -t COMPREPLY < <(compgen -W \"${_signpost_opts[$path]}\" -- \"$cur\")",
        "  elif [[ -n ${_signpost_subs[$path]} ]]; then",
        "    mapfile -t COMPREPLY < <(compgen -W \"${_signpost_subs[$path]}\" -- \"$cur\")",
        "  else",
        "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")",
        "  fi",
        "  return 0",
        "}",
        "complete -o filenames -o bashdefault -F _signpost signpost",
        "",
    ]
    return "\n".join(lines)


# ---- zsh ------------------------------------------------------------------------------------------


def _zsh_text(s: str) -> str:
    return re.sub(r"[\[\]:'\\`$]", "", s).strip()


def _zsh_function(cmd: Command) -> str:
    return "_signpost" + "".join("_" + re.sub(r"\W", "_", w) for w in cmd.words)


def zsh_completion(root: Command) -> str:
    out = ["#compdef signpost", "# zsh completion for signpost. Generated from `signpost --help` by scripts/cli_docs.py:",
           "# do not edit; rebuild instead.", ""]
    for cmd in reversed(list(walk(root))):
        specs = []
        for o in cmd.options:
            desc = _zsh_text(o.help) or o.names[-1].lstrip("-")
            if o.choices:
                action = f":{_zsh_text(o.meta) or 'value'}:({' '.join(o.choices)})"
            elif o.wants_dir:
                action = f":{_zsh_text(o.meta)}:_files -/"
            elif o.wants_file:
                action = f":{_zsh_text(o.meta)}:_files"
            elif o.takes_value:
                action = f":{_zsh_text(o.meta)}: "
            else:
                action = ""
            exclusive = f"({' '.join(o.names)})" if len(o.names) > 1 else ""
            for n in o.names:
                specs.append(f"'{exclusive}{n}[{desc}]{action}'")
        out.append(f"{_zsh_function(cmd)}() {{")
        if cmd.subcommands:
            out.append("  local -a commands")
            out.append("  commands=(" + " ".join(
                f"'{s.words[-1]}:{_zsh_text(s.summary) or s.words[-1]}'" for s in cmd.subcommands) + ")")
            out.append("  local curcontext=$curcontext state line")
            out.append("  _arguments -C \\")
            for s in specs:
                out.append(f"    {s} \\")
            out.append("    '1: :->command' '*:: :->args'")
            out.append("  case $state in")
            out.append("    command) _describe -t commands 'signpost command' commands ;;")
            out.append("    args)")
            out.append("      case $line[1] in")
            for s in cmd.subcommands:
                out.append(f"        {s.words[-1]}) {_zsh_function(s)} ;;")
            out.append("      esac ;;")
            out.append("  esac")
        else:
            out.append("  _arguments \\")
            for s in specs:
                out.append(f"    {s} \\")
            out.append("    '*:file:_files'")
        out.append("}")
        out.append("")
    out.append('_signpost "$@"')
    out.append("")
    return "\n".join(out)


# ---- man ------------------------------------------------------------------------------------------


def _roff(text: str) -> str:
    lines = []
    for line in text.rstrip().splitlines():
        line = line.replace("\\", "\\e")
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def man_page(tool: str, root: Command, out: Path) -> bool:
    help2man = shutil.which("help2man")
    if not help2man:
        return False
    include = out / "signpost.h2m"
    parts = ["[COMMANDS]"]
    for cmd in walk(root):
        if cmd is root or not cmd.help:
            continue
        parts += [f'.SS "signpost {cmd.key}"', _roff(cmd.summary) if cmd.summary else "", ".nf", _roff(cmd.help), ".fi", ""]
    parts += ["[SEE ALSO]", "The documentation in the docs/ folder of the source distribution: cli.md, json.md,",
              "pack-format.md, tutorial.md.", ""]
    include.write_text("\n".join(p for p in parts if p is not None), encoding="utf-8")
    r = subprocess.run([help2man, "--no-info", "--section=1",
                        "--name=judge search queries and posts against intervention packs",
                        f"--include={include}", f"--output={out / 'signpost.1'}", tool],
                       capture_output=True, text=True, timeout=120)
    include.unlink()
    if r.returncode != 0:
        raise SystemExit(f"help2man failed: {r.stderr.strip()}")
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tool", help="the built signpost executable")
    ap.add_argument("--out", required=True, type=Path, help="folder for signpost.bash, _signpost, signpost.1")
    ap.add_argument("--no-man", action="store_true", help="skip the man page")
    args = ap.parse_args()
    root = discover(str(Path(args.tool).resolve()))
    if not root.subcommands:
        print(f"cli_docs.py: found no commands in `{args.tool} --help`", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "signpost.bash").write_text(bash_completion(root), encoding="utf-8")
    (args.out / "_signpost").write_text(zsh_completion(root), encoding="utf-8")
    if not args.no_man and not man_page(str(Path(args.tool).resolve()), root, args.out):
        print("cli_docs.py: help2man not installed; no man page", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
