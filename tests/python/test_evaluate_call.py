"""Engine.evaluate's calling convention: every way of passing its arguments, what it refuses and
how, its signature as help() shows it, and the Decision it returns (the call is a C function of
its own, python/src/core/fast_evaluate.cpp, not pybind11's dispatcher)."""

from __future__ import annotations

import gc
import inspect
import pickle
import pydoc
import sys
import threading
import time

import pytest

import signpost
from signpost import _core

RISKY = "boat to uk"


@pytest.fixture()
def release_gil_bytes():
    """Sets evaluate()'s GIL threshold for one test and restores it."""
    previous = _core._set_release_gil_bytes(_core._set_release_gil_bytes(0))
    yield lambda n: _core._set_release_gil_bytes(n)
    _core._set_release_gil_bytes(previous)


def test_positional_keyword_and_default_forms_agree(engine):
    expected = engine.evaluate(RISKY, "en", "query", "")
    assert expected.action == "redirect"
    forms = [
        engine.evaluate(RISKY, "en"),
        engine.evaluate(RISKY, "en", "query"),
        engine.evaluate(RISKY, locale="en"),
        engine.evaluate(text=RISKY, locale="en"),
        engine.evaluate(locale="en", text=RISKY),
        engine.evaluate(RISKY, "en", mode="query", subject=""),
        engine.evaluate(subject="", mode="query", locale="en", text=RISKY),
        engine.evaluate(RISKY, "en", "query", subject=""),
        signpost.Engine.evaluate(engine, RISKY, "en"),
        signpost.Engine.evaluate(engine, text=RISKY, locale="en"),
    ]
    assert all(d == expected for d in forms)
    assert engine.evaluate(RISKY) == engine.evaluate(RISKY, "", "query", "")


def test_keyword_names_that_are_not_interned(engine):
    # Names built at run time are other str objects than the binding's: compared by value.
    kwargs = {"".join(["loc", "ale"]): "en", "".join(["mo", "de"]): "post", "".join(["te", "xt"]): RISKY}
    assert engine.evaluate(**kwargs) == engine.evaluate(RISKY, "en", "post")


def test_none_locale_and_subject_are_empty(engine):
    assert engine.evaluate(RISKY, None) == engine.evaluate(RISKY, "")
    assert engine.evaluate(RISKY, "en", "query", None) == engine.evaluate(RISKY, "en")


def test_mode_post_and_subject_are_used(mini_pack):
    e = signpost.Engine.load(mini_pack, holdout_rate=1.0)
    held = e.evaluate(RISKY, "en", "post", "user-1")
    assert held.holdout and held.action == "none"
    assert e.evaluate(RISKY, mode="post", subject="user-1") == held


def test_text_types(engine):
    expected = engine.evaluate(RISKY)
    for text in (RISKY.encode(), bytearray(RISKY.encode()), memoryview(RISKY.encode())):
        assert engine.evaluate(text) == expected
    assert engine.evaluate(locale="en", text=RISKY.encode()) == engine.evaluate(RISKY, "en")
    assert engine.evaluate("x\ud800y boat to uk").action == "redirect"  # lone surrogate: never raises
    assert engine.evaluate("").action == "none"


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ((42,), {}, TypeError, "text must be str or bytes, not int"),
        ((None,), {}, TypeError, "text must be str or bytes, not NoneType"),
        ((RISKY, 5), {}, TypeError, "locale must be str or bytes, not int"),
        ((RISKY,), {"mode": 1}, TypeError, "mode must be a str, not int"),
        ((RISKY,), {"mode": None}, TypeError, "mode must be a str, not NoneType"),
        ((RISKY,), {"mode": "tweet"}, ValueError, "mode must be 'query' or 'post', not 'tweet'"),
        ((RISKY,), {"subject": 3.5}, TypeError, "subject must be str or bytes, not float"),
        ((RISKY,), {"locale": "en_GB!"}, ValueError, "locale"),
        ((RISKY,), {"subject": "s" * 257}, ValueError, "subject"),
        ((), {}, TypeError, "evaluate() missing required argument 'text' (pos 1)"),
        ((), {"locale": "en"}, TypeError, "evaluate() missing required argument 'text' (pos 1)"),
        ((RISKY, "en", "query", "", "extra"), {}, TypeError, "evaluate() takes at most 4 arguments (5 given)"),
        ((RISKY,), {"language": "en"}, TypeError, "evaluate() got an unexpected keyword argument 'language'"),
        ((RISKY,), {"text": RISKY}, TypeError, "evaluate() got multiple values for argument 'text'"),
        ((RISKY, "en"), {"locale": "en"}, TypeError, "evaluate() got multiple values for argument 'locale'"),
    ],
)
def test_bad_arguments_raise_with_a_clear_message(engine, args, kwargs, error, message):
    with pytest.raises(error) as caught:
        engine.evaluate(*args, **kwargs)
    assert message in str(caught.value)


def test_bad_locale_and_subject_messages_are_the_librarys(engine):
    for field, value, check in (("locale", "en_GB!", signpost.check_locale),
                                ("subject", "s" * 257, signpost.check_subject)):
        with pytest.raises(ValueError) as caught:
            engine.evaluate(RISKY, **{field: value})
        assert str(caught.value) == check(value) != ""


def test_self_must_be_an_initialised_engine(engine):
    with pytest.raises(TypeError):
        signpost.Engine.evaluate("not an engine", RISKY)
    with pytest.raises(TypeError):
        signpost.Engine.evaluate()
    bare = signpost.Engine.__new__(signpost.Engine)  # __init__ never ran: no engine inside
    with pytest.raises(TypeError, match="not initialised"):
        bare.evaluate(RISKY)


def test_signature_and_help():
    sig = inspect.signature(signpost.Engine.evaluate)
    assert list(sig.parameters) == ["self", "text", "locale", "mode", "subject"]
    assert sig.parameters["text"].default is inspect.Parameter.empty
    assert [sig.parameters[n].default for n in ("locale", "mode", "subject")] == ["", "query", ""]
    assert all(sig.parameters[n].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
               for n in ("text", "locale", "mode", "subject"))
    shown = pydoc.render_doc(signpost.Engine.evaluate, renderer=pydoc.plaintext)
    assert "evaluate(self, /, text, locale='', mode='query', subject='')" in shown
    assert "Judge one text" in shown
    assert "evaluate(self, /, text, locale='', mode='query', subject='')" in pydoc.render_doc(
        signpost.Engine, renderer=pydoc.plaintext)


def test_bound_method_signature(engine):
    assert str(inspect.signature(engine.evaluate)) == "(text, locale='', mode='query', subject='')"


def test_the_result_is_a_full_decision(engine):
    d = engine.evaluate(RISKY, "en")
    assert type(d) is signpost.Decision
    assert d.action == "redirect" and d.intervenes and d.matches and d.cards
    assert d.pack == engine.pack
    assert pickle.loads(pickle.dumps(d)) == d
    assert d.to_dict()["action"] == "redirect"
    assert [d] == engine.evaluate_many([RISKY], locale="en")


def test_a_decision_outlives_its_engine(mini_pack):
    e = signpost.Engine.load(mini_pack)
    d = e.evaluate(RISKY, "en")
    name = e.pack.name
    del e
    gc.collect()
    assert d.pack.name == name and '"action":"redirect"' in d.to_json()


def test_a_subclass_inherits_the_call(mini_pack):
    class Mine(signpost.Engine):
        pass

    e = Mine.load(mini_pack)
    assert e.evaluate(RISKY, locale="en").action == "redirect"


def test_no_reference_is_leaked_on_success_or_error(engine):
    text, locale, mode, bad = "boat to uk " + "x" * 10, "en-" + "GB", "po" + "st", "tw" + "eet"
    before = [sys.getrefcount(o) for o in (text, locale, mode, bad)]
    for _ in range(1000):
        engine.evaluate(text, locale, mode)
        engine.evaluate(text=text, locale=locale, mode=mode)
        with pytest.raises(ValueError):
            engine.evaluate(text, locale, bad)
        with pytest.raises(TypeError):
            engine.evaluate(text, locale, mode, "", "extra")
    assert [sys.getrefcount(o) for o in (text, locale, mode, bad)] == before


@pytest.mark.parametrize("threshold", [0, 64, 1 << 30])
def test_python_threads_agree_whether_or_not_the_gil_is_released(engine, release_gil_bytes, threshold):
    release_gil_bytes(threshold)
    texts = [RISKY, "fake passport", "asylum helpline", "cheap flights", "boat to uk " + "word " * 40] * 20
    expected = [engine.evaluate(t, "en") for t in texts]
    results, errors = {}, []

    def work(k):
        try:
            results[k] = [engine.evaluate(t, "en") for t in texts]
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(results[k] == expected for k in range(4))


def gil_released_during(engine, text) -> bool:
    """Whether another Python thread ran while evaluate(text) was in the engine."""
    ticks = []
    started, stop = threading.Event(), threading.Event()

    def count():
        started.set()
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0)  # lets the main thread take the GIL back between ticks

    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)  # no forced switch: only a released GIL lets the counter run
    try:
        t = threading.Thread(target=count)
        t.start()
        started.wait()
        before = len(ticks)
        engine.evaluate(text)
        during = len(ticks) - before
        stop.set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    return during > 0


def test_a_long_text_releases_the_gil_and_a_short_one_keeps_it(engine, release_gil_bytes):
    release_gil_bytes(1024)
    long_text = "boat to uk " + "lorem ipsum dolor " * 50_000  # about 900 KB: milliseconds of work
    assert gil_released_during(engine, long_text)
    release_gil_bytes(1 << 30)
    assert not gil_released_during(engine, long_text)
