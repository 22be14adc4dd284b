"""Packs as bytes: what makes an :class:`~signpost.Engine` travel to another process or machine.

A pack is the set of its ``*.yaml`` files (hidden names skipped, folder links not followed: the
files the C++ loader reads). In memory it is a ``{relative path: bytes}`` map; on the wire it is a
canonical tar of those files (sorted names, fixed metadata, so the same pack gives the same bytes).
Reading a folder checks the files against the loaded engine's pack hash, so the bytes that travel
are the ones that were compiled.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import tarfile
import tempfile
from pathlib import Path
from typing import Dict, Mapping

from ._errors import ConfigError, Problem

# The C++ loader's limits (sdk/src/pack/loader.hpp), checked before anything is written.
MAX_PACK_FILES = 1000
MAX_FILE_BYTES = 4 << 20

PackFiles = Dict[str, bytes]


def _archive_error(message: str) -> ConfigError:
    return ConfigError(f"<archive>:0:0: {message}", [Problem("<archive>", 0, 0, message)])


def read_pack_files(folder: os.PathLike) -> PackFiles:
    """The pack files under ``folder``, as the C++ loader lists them."""
    root = Path(folder)
    files: PackFiles = {}
    pending = [""]
    while pending:
        rel_dir = pending.pop()
        with os.scandir(root / rel_dir if rel_dir else root) as entries:
            for entry in entries:
                name = entry.name
                if not name or name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=True):
                    if not entry.is_symlink():
                        pending.append(f"{rel_dir}{name}/")
                    continue
                if len(name) <= 5 or not name.endswith(".yaml") or not entry.is_file(follow_symlinks=True):
                    continue
                if len(files) >= MAX_PACK_FILES:
                    raise _archive_error(f"more than {MAX_PACK_FILES} files")
                with open(entry.path, "rb") as f:
                    data = f.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    raise _archive_error(f"{rel_dir}{name}: file larger than 4 MiB")
                files[rel_dir + name] = data
    return files


def _order(files: Mapping[str, bytes]):
    # Byte order of the UTF-8 names: the order of the C++ loader and of its hash.
    return sorted(files, key=lambda name: name.encode("utf-8", "surrogateescape"))


def pack_hash(files: Mapping[str, bytes]) -> str:
    """The pack hash the C++ loader computes (``PackInfo.hash``) for these files."""
    h = hashlib.sha256()
    for name in _order(files):
        h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(files[name] + b"\0")
    return "sha256:" + h.hexdigest()


def to_tar(files: Mapping[str, bytes]) -> bytes:
    """A canonical tar of the files: names in byte order, mode 0644, owner 0, time 0."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in _order(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    return out.getvalue()


def _member_name(raw: str) -> str:
    # The checks and wording of the library's archive reader (sdk/src/archive/).
    name = raw
    while name.startswith("./"):
        name = name[2:]
    name = name.rstrip("/")
    shown = f"archive member '{name[:100]}'"
    if name.startswith("/"):
        raise _archive_error(f"{shown}: absolute path (outside the pack)")
    parts = name.split("/")
    if ".." in parts:
        raise _archive_error(f"{shown}: path goes up ('..', outside the pack)")
    if not name or any(p in ("", ".") for p in parts) or "\0" in name or "\\" in name:
        raise _archive_error(f"{shown}: bad name")
    return posixpath.join(*parts)


def from_tar(data: bytes) -> PackFiles:
    """The pack files of a tar (optionally gzip-compressed). Refuses links, devices, unsafe names,
    oversized members and too many files, each with a clear :class:`ConfigError`; never writes."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"a pack archive is bytes, not {type(data).__name__}")
    try:
        tar = tarfile.open(fileobj=io.BytesIO(bytes(data)), mode="r:*")
    except (tarfile.TarError, EOFError, OSError) as e:
        raise _archive_error(f"not a tar archive: {e}") from None
    files: PackFiles = {}
    try:
        with tar:
            for member in tar:
                if member.isdir() and member.name.strip("./") == "":
                    continue  # the archive's root folder
                name = _member_name(member.name)
                shown = f"archive member '{name[:100]}'"
                if member.isdir():
                    continue
                if member.islnk():
                    raise _archive_error(f"{shown}: hard link (only regular files are allowed)")
                if member.issym():
                    raise _archive_error(f"{shown}: symbolic link (only regular files are allowed)")
                if not member.isfile():
                    raise _archive_error(f"{shown}: not a regular file (device, FIFO or socket)")
                if member.size > MAX_FILE_BYTES:
                    raise _archive_error(f"{shown}: larger than 4 MiB")
                if name in files:
                    raise _archive_error(f"{shown}: appears twice")
                if len(files) >= MAX_PACK_FILES:
                    raise _archive_error(f"more than {MAX_PACK_FILES} files")
                f = tar.extractfile(member)
                files[name] = f.read() if f is not None else b""
    except (tarfile.TarError, EOFError, OSError) as e:
        raise _archive_error(f"truncated or damaged archive: {e}") from None
    if not files:
        raise _archive_error("empty archive")
    return files


def load_files(load, files: Mapping[str, bytes]):
    """``load(folder)`` on the files written to a private temporary folder, removed afterwards;
    file names in a :class:`ConfigError` are given relative to the archive."""
    with tempfile.TemporaryDirectory(prefix="signpost-pack-") as tmp:
        for name, data in files.items():
            if name.split("/")[-1].startswith("."):
                continue
            path = Path(tmp, *name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            return load(tmp)
        except ConfigError as e:
            prefix = tmp.rstrip("/") + "/"

            def rel(file: str) -> str:
                if file.rstrip("/") == tmp.rstrip("/"):
                    return "<archive>"
                return "<archive>/" + file[len(prefix):] if file.startswith(prefix) else file

            problems = [Problem(rel(p.file), p.line, p.column, p.message) for p in e.problems]
            raise ConfigError("\n".join(str(p) for p in problems), problems) from None
