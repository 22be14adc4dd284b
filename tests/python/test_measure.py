"""MetricsRecorder: counts by pack ids only, snapshots as dicts."""

import json

import signpost


def test_recorder_counts_decisions_and_cards(engine):
    rec = signpost.MetricsRecorder(engine)
    for text in ["boat to uk", "boat to uk", "fake passport", "hello"]:
        rec.record(engine.evaluate(text, locale="en"))
    rec.record_impression("help", "en")
    rec.record_click("dangers", "en")
    snap = rec.snapshot()
    assert snap == json.loads(rec.snapshot_json())
    assert snap["evaluations"] == 4
    text = json.dumps(snap)
    assert "boat to uk" not in text and "passport" not in text  # ids and counts only
    assert "crossing" in text and "dangers" in text


def test_prometheus_text(engine):
    rec = signpost.MetricsRecorder(engine)
    rec.record(engine.evaluate("boat to uk", locale="en"))
    prom = rec.prometheus()
    assert "signpost_" in prom
    assert "boat to uk" not in prom


def test_recorder_keeps_its_engine_alive(mini_pack):
    rec = signpost.MetricsRecorder(signpost.Engine.load(mini_pack))
    import gc
    gc.collect()
    rec.record_click("dangers", "en")
    assert rec.snapshot()["evaluations"] == 0
