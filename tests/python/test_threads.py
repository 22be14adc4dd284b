"""One engine shared by many threads; evaluate_many against evaluate."""

import os
import signal
import threading

import pytest

import signpost

TEXTS = [
    "boat to uk", "fake passport", "asylum helpline", "cheap flights to london", "boat to uk news",
    "bateau pour angleterre prix", "قارب إلى بريطانيا", "dinghy cost", "helpline boat to uk",
    "ferry boat to uk", "", "🚤 🇬🇧", "ééé ☂ asylum helpline", "boat\x00to uk", "x" * 5000 + " boat to uk",
]
LOCALES = ["en", "en", "en", "en", "en", "fr", "ar", "", "en", "en", "", "", "fr", "en", "en"]


def dicts(decisions):
    return [d.to_dict() for d in decisions]


def test_evaluate_many_equals_evaluate(engine):
    many = engine.evaluate_many(TEXTS * 20, threads=0)
    one_by_one = [engine.evaluate(t) for t in TEXTS * 20]
    assert many == one_by_one
    assert dicts(many) == dicts(one_by_one)


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_thread_counts_agree(engine, threads):
    texts = TEXTS * 50
    assert engine.evaluate_many(texts, threads=threads) == engine.evaluate_many(texts, threads=1)


def test_per_item_locales_modes_and_subjects(engine):
    texts = TEXTS * 4
    locales = LOCALES * 4
    modes = ["query", "post"] * (len(texts) // 2)
    subjects = [f"user-{i}" for i in range(len(texts))]
    many = engine.evaluate_many(texts, locale=locales, mode=modes, threads=2, subjects=subjects)
    expected = [engine.evaluate(t, locale=l, mode=m, subject=s)
                for t, l, m, s in zip(texts, locales, modes, subjects)]
    assert many == expected


def test_one_locale_for_all(engine):
    many = engine.evaluate_many(["bateau pour angleterre prix"] * 40, locale="fr")
    assert {d.locale for d in many} == {"fr"}
    assert {c.locale for d in many for c in d.cards} == {"fr"}


def test_any_iterable_and_empty(engine):
    assert engine.evaluate_many([]) == []
    gen = (t for t in TEXTS)
    assert engine.evaluate_many(gen) == [engine.evaluate(t) for t in TEXTS]
    assert engine.evaluate_many(tuple(TEXTS), threads=2) == [engine.evaluate(t) for t in TEXTS]


def test_bad_arguments(engine):
    with pytest.raises(TypeError, match="not a single text"):
        engine.evaluate_many("boat to uk")
    with pytest.raises(ValueError, match="locale has 1 items for 2 texts"):
        engine.evaluate_many(["a", "b"], locale=["en"])
    with pytest.raises(ValueError):
        engine.evaluate_many(["a"], threads=-1)
    with pytest.raises(ValueError, match="mode"):
        engine.evaluate_many(["a", "b"], mode="tweet")  # one mode for all: a usage error
    with pytest.raises(TypeError):
        engine.evaluate_many(["a", "b"], locale=3)


def test_python_threads_sharing_one_engine_agree_with_one_thread(engine):
    texts = TEXTS * 40
    expected = dicts(engine.evaluate(t, locale=l) for t, l in zip(texts, LOCALES * 40))
    results = {}
    errors = []
    barrier = threading.Barrier(8)

    def worker(k):
        try:
            barrier.wait()
            got = []
            for _ in range(5):
                got = dicts(engine.evaluate(t, locale=l) for t, l in zip(texts, LOCALES * 40))
            results[k] = got
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 8
    for got in results.values():
        assert got == expected


def test_python_threads_each_running_evaluate_many(engine):
    texts = TEXTS * 100
    expected = engine.evaluate_many(texts, threads=1)
    out = [None] * 4

    def worker(k):
        out[k] = engine.evaluate_many(texts, threads=2)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(o == expected for o in out)


def test_available_cores():
    assert signpost.available_cores() >= 1


def test_small_batches_repeatedly(engine):
    # The worker pool is reused from call to call; small batches stay correct.
    for n in (1, 15, 16, 17, 33, 100):
        texts = (TEXTS * 10)[:n]
        for _ in range(20):
            assert engine.evaluate_many(texts, threads=2) == [engine.evaluate(t) for t in texts]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_evaluate_many_in_a_forked_child(engine):
    texts = TEXTS * 10
    expected = engine.evaluate_many(texts, threads=2)  # the parent's worker threads exist now
    pid = os.fork()
    if pid == 0:  # the child has none of them, and must not wait for them
        code = 3
        try:
            signal.alarm(60)
            code = 0 if engine.evaluate_many(texts, threads=2) == expected else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


@pytest.mark.parametrize("where", [0, 100, 2999])
def test_a_bad_item_in_a_big_batch_is_an_error_decision_and_the_rest_is_judged(engine, where):
    texts = (TEXTS * 200)[:3000]
    expected = engine.evaluate_many(texts, threads=1)
    for bad_value, why in ((42, "text must be str or bytes, not int"), (None, "text is missing (None)"),
                           (float("nan"), "text is missing (NaN)")):
        bad = list(texts)
        bad[where] = bad_value
        got = engine.evaluate_many(bad, threads=2)
        assert got[where].action == "error" and got[where].error == f"item {where}: {why}"
        assert not got[where].intervenes and got[where].category is None and got[where].matches == []
        assert got[:where] + got[where + 1:] == expected[:where] + expected[where + 1:]
    modes = ["query"] * 3000
    modes[where] = "tweet"
    got = engine.evaluate_many(texts, mode=modes, threads=2)
    assert got[where].error == f"item {where}: mode must be 'query' or 'post'"
    assert got[:where] + got[where + 1:] == expected[:where] + expected[where + 1:]
    locales = [""] * 3000
    locales[where] = 7
    got = engine.evaluate_many(texts, locale=locales, threads=2)
    assert got[where].error == f"item {where}: locale must be str, not int"
    assert engine.evaluate_many(texts, threads=2) == expected
