"""The distributions of python/tools/build-dist.sh: an sdist that builds on its own, and a wheel that
needs nothing from the system beyond glibc and libstdc++ and works in a fresh virtual environment.

Run when $SIGNPOST_DIST names the folder the script wrote (the CI does); skipped otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from signpost_test_support import REPO

DIST = os.environ.get("SIGNPOST_DIST")
pytestmark = pytest.mark.skipif(not DIST, reason="set SIGNPOST_DIST to the output of python/tools/build-dist.sh")

# What a manylinux wheel may take from the system (the C and C++ runtimes).
# glibc, the C++ runtime, and zlib: libarchive needs libz.so.1, which every manylinux policy lists
# among the libraries a wheel may take from the system (auditwheel never vendors it).
SYSTEM_LIBS = re.compile(r"^(libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s|ld-linux-x86-64|libz)\.so(\.\d+)*$")


def _one(pattern: str) -> Path:
    found = sorted(Path(DIST).glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def wheel() -> Path:
    return _one("signpost-*manylinux*.whl")


@pytest.fixture(scope="module")
def sdist() -> Path:
    return _one("signpost-*.tar.gz")


def _dynamic(path: Path) -> tuple[list[str], list[str]]:
    """(DT_NEEDED entries, RUNPATH/RPATH entries) of an ELF file, read with binutils' readelf."""
    out = subprocess.run(["readelf", "--dynamic", "--wide", str(path)], capture_output=True, text=True,
                         check=True).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    paths = re.findall(r"\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[([^\]]+)\]", out)
    return needed, paths


def test_sdist_carries_the_cpp_sources_and_the_default_pack(sdist: Path) -> None:
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
    for needed in ("pyproject.toml", "CMakeLists.txt", "cpp/CMakeLists.txt",
                   "cpp/cmake/SignpostDependencies.cmake", "cpp/sdk/CMakeLists.txt",
                   "cpp/sdk/include/signpost/version.hpp", "cpp/sdk/src/engine.cpp",
                   "cpp/messages/people-smuggling/pack.yaml", "src/signpost/__init__.py"):
        assert needed in members, needed
    links = [name for name, m in members.items() if m.issym() or m.islnk()]
    assert links == [], f"the sdist must store files, not links: {links}"
    # Every source file of the libraries is there (runtime and tools), not only the ones named above.
    sources = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "sdk").rglob("*.[ch]pp"))
    assert any(s.startswith("sdk/tools/") for s in sources) or not (REPO / "sdk" / "tools").exists()
    missing = [s for s in sources if f"cpp/{s}" not in members]
    assert missing == []


def test_wheel_extension_needs_only_glibc_and_libstdcxx(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path)
    [ext] = list((tmp_path / "signpost").glob("_core*.so"))
    vendored = {p.name: p for p in (tmp_path / "signpost.libs").glob("*.so*")}
    assert any(name.startswith("libicuuc") for name in vendored), sorted(vendored)
    assert (tmp_path / "signpost" / "packs" / "people-smuggling" / "pack.yaml").is_file()
    # The extension and every library the wheel carries: each need is the system's C/C++ runtime
    # or a library in signpost.libs/, found through an $ORIGIN-relative run path.
    for elf in [ext, *vendored.values()]:
        needed, paths = _dynamic(elf)
        for lib in needed:
            if SYSTEM_LIBS.match(lib):
                continue
            assert lib in vendored, f"{elf.name} needs {lib}, neither a system runtime nor in the wheel"
            assert any(p.startswith("$ORIGIN") for entry in paths for p in entry.split(":")), (elf.name, paths)
    needed, _ = _dynamic(ext)
    # The system's own sonames (libicuuc.so.72, ...) are gone: only the wheel's renamed copies remain.
    assert not any(re.match(r"lib(icu\w+|yaml-cpp|hs|fmt|boost_json)\.so", lib) for lib in needed), needed


def test_wheel_installs_into_a_fresh_venv_and_uses_only_its_own_libraries(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    probe = (
        "import pickle, signpost\n"
        "e = signpost.Engine.load()\n"
        "d = e.evaluate('boat to uk tonight, price per person', locale='en')\n"
        "assert d.action != 'none', d\n"
        "assert str(signpost.default_pack_path()).startswith(signpost.__file__.rsplit('/', 1)[0]), "
        "signpost.default_pack_path()\n"
        "libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if '.so' in l})\n"
        "print('\\n'.join(libs))\n"
    )
    # Run outside the checkout, so nothing but the installed package can be imported.
    env = {k: v for k, v in os.environ.items() if k not in ("SIGNPOST_PACK", "PYTHONPATH", "LD_LIBRARY_PATH")}
    out = subprocess.run([str(py), "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    mapped = out.stdout.split()
    for lib in mapped:
        name = Path(lib).name
        if re.search(r"(icu|yaml-cpp|libhs|libfmt|boost)", name):
            assert "/signpost.libs/" in lib, f"{lib} was loaded from the system, not from the wheel"
    # The console script is installed and answers like the C++ tool (exit 0: it intervenes).
    check = subprocess.run([str(venv / "bin" / "signpost"), "check", "--locale", "en", "boat to uk price per person"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr
    assert '"action":"' in check.stdout


def test_building_wrote_nothing_into_the_checkout() -> None:
    """The sdist is built from the checkout and the wheel in a temporary folder: python/ stays as
    checked out (so a read-only checkout installs too)."""
    out = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--ignored", "--", "python"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    # Untracked (??) or ignored (!!) files: what a build would have left behind.
    stray = [line for line in out.stdout.splitlines()
             if line[:2] in ("??", "!!") and "__pycache__" not in line]
    assert stray == []
