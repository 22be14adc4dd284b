"""The package reports the library's version, and the distribution agrees."""

import re
from importlib import metadata

import signpost
from signpost import _core

from signpost_test_support import REPO


def test_version_is_the_librarys():
    assert signpost.__version__ == _core.version


def test_version_matches_the_header_in_this_checkout():
    header = (REPO / "sdk" / "include" / "signpost" / "version.hpp").read_text(encoding="utf-8")
    m = re.search(r'inline constexpr std::string_view version = "([^"]+)"', header)
    assert m, "version.hpp no longer has the line pyproject.toml reads"
    assert signpost.__version__ == m.group(1)


def test_distribution_version_matches():
    assert metadata.version("signpost") == signpost.__version__


def test_package_is_typed():
    from pathlib import Path
    root = Path(signpost.__file__).parent
    assert (root / "py.typed").is_file()
    assert (root / "_core.pyi").is_file()
