"""The documentation stands alone: every relative link resolves inside the repository, and no page
points at a file outside the checkout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([*ROOT.glob("*.md"), *ROOT.glob("docs/**/*.md"), *ROOT.glob("messages/**/*.md"),
                *ROOT.glob("examples/**/*.md"), *ROOT.glob("python/*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)")
# "/work/" as a path of its own, not inside a web address ("https://example.org/work/...").
OUTSIDE = re.compile(r"(\.\./)+shared/|shared/design/|shared/eval/|(?<![\w.-])/work/")


def _rel(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_relative_links_resolve_inside_the_repository(page):
    text = page.read_text(encoding="utf-8")
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"{_rel(page)}: {target} leaves the repository"
        assert path.exists(), f"{_rel(page)}: {target} does not exist"


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_no_page_points_outside_the_checkout(page):
    for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        assert not OUTSIDE.search(line), f"{_rel(page)}:{n}: {line.strip()}"


def test_json_md_does_not_repeat_cli_md():
    """A section lives in one page: no second-level heading of docs/json.md is also one of cli.md."""
    headings = lambda p: {h.strip().lower() for h in re.findall(r"^## (.+)$", (ROOT / p).read_text(), re.M)}
    assert not headings("docs/json.md") & headings("docs/cli.md")
