"""The demo pages in a real browser, in every language of the pack, with no missing glyph.

For each language the home page and a search page are rendered by headless Chromium to
artifacts/server/demo-<lang>-{home,search}.png (look at them), and every character of the page
text is checked against the fonts fontconfig picks for that language, in fontconfig's own order
(the order a browser falls back in), with fontTools reading each font's character map. A character
no picked font covers would render as an empty box: the test names it, its language and its page.

Needs chromium, fontconfig (fc-match) and fontTools (scripts/requirements-dev.txt); the fonts come
from scripts/setup-debian.sh (fonts-noto-core, fonts-noto-color-emoji). Environment as for
test_e2e.py (SIGNPOST_SERVER_BIN, SIGNPOST_PACK, SIGNPOST_ARTIFACTS).
"""

from __future__ import annotations

import functools
import html.parser
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from server_process import BIN, ROOT, Server

ARTIFACTS = Path(os.environ.get("SIGNPOST_ARTIFACTS", ROOT / "artifacts/server"))

LANGUAGES = ["en", "fr", "ar", "fa", "ckb", "kmr", "ps", "sq", "vi", "tr"]
RTL = {"ar", "fa", "ckb", "ps"}
# The first family the stylesheet asks for, by script (site.css); emoji have their own font.
PRIMARY = {"ar": "Noto Naskh Arabic", "fa": "Noto Naskh Arabic", "ckb": "Noto Naskh Arabic", "ps": "Noto Naskh Arabic"}
EMOJI_FAMILY = "Noto Color Emoji"

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"server binary not built: {BIN}")


# ---- the server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("demo"), admin=False)
    yield s
    s.stop()


def page_of(server: Server, path: str) -> str:
    status, _, body = server.get(path)
    assert status == 200, path
    return body.decode("utf-8")


# ---- text and fonts -----------------------------------------------------------------------------


class _Text(html.parser.HTMLParser):
    """The text a page shows (body only), with the lang in force for each run of text."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.runs: list[tuple[str, str]] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in ("meta", "link", "input", "br", "img"):
            return
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_body and data.strip():
            self.runs.append((self.stack[-1][1] if self.stack else "", data))


def page_text(page: str) -> list[tuple[str, str]]:
    p = _Text()
    p.feed(page)
    return p.runs


def _drawn(ch: str) -> bool:
    """Whether a character needs a glyph (not a space, a control, a joiner or a variation selector)."""
    cat = unicodedata.category(ch)
    return not (cat.startswith("Z") or cat in ("Cc", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F)


def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF


@functools.lru_cache(maxsize=None)
def fallback_fonts(family: str, lang: str) -> tuple[str, ...]:
    """The font files fontconfig offers for a family and language, best first."""
    out = subprocess.run(["fc-match", "-s", "--format=%{file}\\n", f"{family}:lang={lang}"],
                         capture_output=True, text=True, check=True).stdout
    return tuple(dict.fromkeys(line for line in out.splitlines() if line))


@functools.lru_cache(maxsize=None)
def cmap_of(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    font = TTFont(path, lazy=True, fontNumber=0)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def font_for(ch: str, lang: str) -> str | None:
    """The first font fontconfig picks for this language that has a glyph for ch, or None."""
    family = EMOJI_FAMILY if _is_emoji(ch) else PRIMARY.get(lang, "Noto Sans")
    for path in fallback_fonts(family, lang or "en"):
        if ord(ch) in cmap_of(path):
            return path
    return None


def missing_glyphs(runs: list[tuple[str, str]]) -> dict[str, str]:
    """Characters no picked font covers, with the language they were in."""
    missing: dict[str, str] = {}
    for lang, text in runs:
        for ch in set(text):
            if _drawn(ch) and ch not in missing and font_for(ch, lang.split("-")[0]) is None:
                missing[ch] = lang
    return missing


def _need_tools():
    pytest.importorskip("fontTools")
    if not shutil.which("fc-match"):
        pytest.skip("fontconfig (fc-match) not installed")


def test_the_glyph_check_finds_a_missing_glyph():
    """The check itself: a private-use character and an unassigned one have no glyph anywhere."""
    _need_tools()
    assert set(missing_glyphs([("en", "ok \ue000\u0378")])) == {"\ue000", "\u0378"}
    assert missing_glyphs([("ps", "پښتو ګ ځ ډ ړ ۍ"), ("vi", "Tiếng Việt"), ("", "🚤🇬🇧")]) == {}


# ---- every language, in a browser ---------------------------------------------------------------


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def screenshot(url: str, shot: Path, profile: Path):
    chromium = _chromium()
    if not chromium:
        pytest.skip("chromium not installed")
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}", f"--screenshot={shot}", "--window-size=1100,1500", url]
    r = subprocess.run(args, capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10000


def search_link(home: str, lang: str) -> str:
    """The home page's example query in this language."""
    class Links(html.parser.HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href", "")
            if tag == "a" and href.startswith("/search?") and parse_qs(urlsplit(href).query).get("hl") == [lang]:
                self.found.append(href)

    p = Links()
    p.found = []
    p.feed(home)
    assert p.found, f"the home page has no example query in {lang}"
    return p.found[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_renders_with_its_own_chrome_and_no_missing_glyph(server, tmp_path, lang):
    _need_tools()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    direction = "rtl" if lang in RTL else "ltr"
    home = page_of(server, f"/?hl={lang}")
    search_path = search_link(home, lang)
    search = page_of(server, search_path)
    for name, path, page in (("home", f"/?hl={lang}", home), ("search", search_path, search)):
        assert f'<html lang="{lang}" dir="{direction}">' in page
        if lang != "en":
            assert '<span lang="en"' not in page  # no English chrome left in the page
        missing = missing_glyphs(page_text(page))
        assert not missing, f"{name} page in {lang}: no font has " + ", ".join(
            f"U+{ord(c):04X} {unicodedata.name(c, '?')} ({l or 'no lang'})" for c, l in sorted(missing.items()))
        screenshot(server.url + path, ARTIFACTS / f"demo-{lang}-{name}.png", tmp_path / "profile")
    assert 'class="answer answer-' in search  # each example query is answered with cards


@pytest.mark.parametrize("name,query,hl,kind", [
    ("help", "how to claim asylum in the uk", "en", "help"),
    ("help-ps", "په انګلستان کې پناه غوښتنه", "ps", "help"),
    ("interstitial", "meeting point calais tonight", "en", "interstitial"),
    ("redirect", "small boat to uk this weekend", "en", "redirect"),
    ("distress", "our boat is sinking please help", "en", "distress"),
    ("distress-ar", "ساعدونا البلم عم يغرق", "ar", "distress"),
])
def test_each_kind_of_answer_looks_its_own(server, tmp_path, name, query, hl, kind):
    from urllib.parse import quote
    path = f"/search?q={quote(query)}&hl={hl}"
    page = page_of(server, path)
    if kind == "distress" and "<code dir=\"ltr\">distress</code>" not in page:
        pytest.skip("the pack has no distress category for this query yet (tests/server/test_pages.cpp "
                    "checks the distress page from a decision built by hand)")
    assert f'class="answer answer-{kind}"' in page
    others = {"help", "interstitial", "redirect", "distress"} - {kind}
    assert not any(f"answer-{o}" in page for o in others)
    if kind == "help":
        assert "<details" not in page  # help is offered, the results are never held back
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot(server.url + path, ARTIFACTS / f"demo-answer-{name}.png", tmp_path / "profile")
