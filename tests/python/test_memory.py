"""A million calls do not grow the process: nothing leaks per call (decisions, matches, cards,
texts encoded for the engine, released and re-taken GIL)."""

import os
import time

import pytest

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc/self/statm")
def test_no_memory_growth_over_a_million_calls(engine):
    # Cheap short texts, some matching (matches and cards are built), one with a lone surrogate
    # (encoded on every call), one as bytes.
    texts = ["boat to uk", "hello", "asylum helpline", "x\ud800y", b"fake passport", "ok", "cost", "uk"]
    evaluate = engine.evaluate

    def run(n):
        for i in range(n // len(texts)):
            for t in texts:
                d = evaluate(t)
            if i % 4096 == 0:
                d.matches, d.cards, d.action, d.category

    run(100_000)  # warm up: allocator pools, per-thread scratch, interned strings
    before = rss_bytes()
    start = time.monotonic()
    run(1_000_000)
    elapsed = time.monotonic() - start
    grown = rss_bytes() - before
    # A leak of even 8 bytes a call would be 8 MB here.
    assert grown < 4 * 1024 * 1024, f"RSS grew by {grown / 1e6:.1f} MB over 1,000,000 calls"
    assert elapsed < 60


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc/self/statm")
def test_no_memory_growth_in_batches_and_dicts(engine):
    texts = ["boat to uk", "hello", "fake passport", "\ud800"] * 250
    for i in range(60):
        for d in engine.evaluate_many(texts, threads=2):
            if i % 2:
                d.to_dict()
        if i == 9:
            before = rss_bytes()
    grown = rss_bytes() - before
    assert grown < 4 * 1024 * 1024, f"RSS grew by {grown / 1e6:.1f} MB over 50,000 batched calls"
