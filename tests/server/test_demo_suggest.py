"""Live suggestions in the demo's search box (static/suggest.js, POST /v1/suggest), end to end.

Without a browser: the script is served as JavaScript under the strict Content-Security-Policy, the
pages reference it as a file (nothing inline), and the search form works without it. With
Chromium (headless, driven over the DevTools protocol on a pipe, `--remote-debugging-pipe`): typing
into the box shows the suggestions the pack lets through and never a risky one, as a listbox with
its ARIA roles; a screenshot goes to artifacts/server/demo-suggest-en.png (look at it).

Environment as for test_e2e.py (SIGNPOST_SERVER_BIN, SIGNPOST_PACK, SIGNPOST_ARTIFACTS)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from server_process import BIN, ROOT, Server

ARTIFACTS = Path(os.environ.get("SIGNPOST_ARTIFACTS", ROOT / "artifacts/server"))

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"server binary not built: {BIN}")

# Risky searches of the script's list (the development query set): never shown in the box.
RISKY = {"boat to england from france price", "boat to britain discount for groups", "boat to uk telegram channel",
         "children go free channel crossing"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("suggest"), admin=False)
    yield s
    s.stop()


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers, r.read().decode("utf-8")


# ---- without a browser ------------------------------------------------------------------------


def test_the_script_is_served_as_javascript(server):
    status, headers, body = get(server.url + "/static/suggest.js")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "/v1/suggest" in body and '"listbox"' in body and '"combobox"' in body
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.parametrize("path", ["/", "/?hl=fa", "/search?q=boat+hire&hl=en"])
def test_pages_reference_the_script_as_a_file_and_keep_the_plain_form(server, path):
    _, _, page = get(server.url + path)
    assert page.count("<script") == 1
    assert '<script src="/static/suggest.js" defer></script>' in page
    # Without script the box is the plain GET form to /search.
    assert '<form class="search" role="search" action="/search" method="get">' in page
    assert '<input id="q" name="q" type="search"' in page


def test_the_suggest_route_the_script_calls_filters_risky_completions(server):
    body = json.dumps({"query": {"text": "boat", "locale": "en"},
                       "suggestions": ["boat to england from france price", "boat hire thames"]}).encode()
    req = urllib.request.Request(server.url + "/v1/suggest", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert json.loads(r.read()) == {"suggestions": ["boat hire thames"], "removed": 1}


# ---- in a browser -----------------------------------------------------------------------------


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4, messages ended
    by NUL), one page attached."""

    def __init__(self, width: int = 1100, height: int = 800):
        chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                        None)
        if not chromium:
            pytest.skip("chromium not installed")
        self.profile = tempfile.mkdtemp(prefix="signpost-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def pipes_as_3_and_4():
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
             "about:blank"],
            preexec_fn=pipes_as_3_and_4, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._next = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, session: bool = False, timeout: float = 60, **params):
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            o = self._read(deadline)
            if o.get("id") == self._next:
                if "error" in o:
                    raise RuntimeError(f"{method}: {o['error']}")
                return o.get("result", {})
            self.events.append(o)

    def goto(self, url: str):
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for(lambda: any(e.get("method") == "Page.loadEventFired" for e in self.events) or None,
                      poll=lambda: self.call("Runtime.evaluate", session=True, expression="1"))

    def js(self, expression: str):
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def wait_for(self, check, timeout: float = 20, poll=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = check()
            if got is not None:
                return got
            if poll:
                poll()
            time.sleep(0.05)
        raise TimeoutError("condition not met")

    def type(self, text: str):
        self.call("Input.insertText", session=True, text=text)

    def screenshot(self, path: Path):
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


# The listbox as the page shows it: whether it is open, its options, the combobox's state.
STATE = """(() => {
  const q = document.getElementById('q'), list = document.getElementById('q-suggestions');
  return JSON.stringify({
    role: q.getAttribute('role'), expanded: q.getAttribute('aria-expanded'),
    controls: q.getAttribute('aria-controls'), listRole: list && list.getAttribute('role'),
    open: !!list && !list.hidden,
    options: list ? Array.from(list.querySelectorAll('[role="option"]')).map(o => o.textContent) : [],
    answered: list ? (list.dataset.answered ?? null) : null,
    calls: performance.getEntriesByType('resource').filter(e => e.name.endsWith('/v1/suggest')).length,
  });
})()"""


def state(browser: Browser) -> dict:
    return json.loads(browser.js(STATE))


def type_and_settle(browser: Browser, text: str) -> dict:
    """Types into an empty box and waits until the list answers that text (debounce, one call, the
    list drawn: the script then marks the list with data-answered)."""
    browser.js("(() => { const q = document.getElementById('q'); q.value = ''; q.focus(); })()")
    calls = state(browser)["calls"]
    browser.type(text)
    s = browser.wait_for(lambda: (lambda s: s if s["answered"] == text else None)(state(browser)))
    assert s["calls"] == calls + 1  # debounced: one call for the whole word, typed at once
    return s


def test_typing_shows_benign_suggestions_and_never_risky_ones(server, browser):
    browser.goto(server.url + "/?hl=en")
    s = state(browser)
    assert s["role"] == "combobox" and s["controls"] == "q-suggestions" and s["listRole"] == "listbox"
    assert s["expanded"] == "false" and not s["open"]

    s = type_and_settle(browser, "boat")
    assert "boat hire thames" in s["options"]
    assert not RISKY & set(s["options"]), s["options"]
    assert s["open"] and s["expanded"] == "true"
    browser.screenshot(ARTIFACTS / "demo-suggest-en.png")

    s = type_and_settle(browser, "children")
    assert s["options"] == ["children free entry zoo"], s["options"]

    # Every candidate for a risky prefix is risky: the box stays closed.
    s = type_and_settle(browser, "boat to")
    assert s["options"] == [] and not s["open"] and s["expanded"] == "false"


def test_suggestions_on_a_right_to_left_page(server, browser):
    browser.goto(server.url + "/?hl=fa")
    # "انگلیس" (England) starts a word of a news search and of a smuggling one: only the news is offered.
    s = type_and_settle(browser, "انگلیس")
    assert s["options"] == ["اخبار پناهجویان انگلیس"], s["options"]
    assert browser.js("getComputedStyle(document.querySelector('#q-suggestions li')).direction") == "rtl"
    browser.screenshot(ARTIFACTS / "demo-suggest-fa.png")


def test_picking_a_suggestion_with_the_keyboard_searches_for_it(server, browser):
    browser.goto(server.url + "/?hl=en")
    s = type_and_settle(browser, "boat")
    assert s["options"]
    first = s["options"][0]
    for key, code in (("ArrowDown", 40), ("Enter", 13)):
        for kind in ("keyDown", "keyUp"):
            browser.call("Input.dispatchKeyEvent", session=True, type=kind, key=key, code=key,
                         windowsVirtualKeyCode=code)
    browser.wait_for(lambda: True if (browser.js("location.pathname") or "") == "/search" else None)
    browser.wait_for(lambda: True if browser.js("document.readyState") == "complete" else None)
    assert browser.js("new URLSearchParams(location.search).get('q')") == first
