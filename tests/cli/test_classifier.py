"""Pack classifiers from outside: `signpost explain --input`, the training script's definition of the
score against the engine's, on the default pack's classifier and on one trained here."""
import importlib.util
import json
import math
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
PACK = ROOT / "messages" / "people-smuggling"
CORPUS = PACK / "corpus"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")


def load_trainer():
    spec = importlib.util.spec_from_file_location("train_classifier", ROOT / "scripts" / "train-classifier.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_classifier(path: pathlib.Path) -> dict:
    """The fields of the first classifier of a pack file, as the training script's logit() reads them."""
    (c,) = yaml.safe_load(path.read_text(encoding="utf-8"))["classifiers"][:1]
    raw = bytes.fromhex("".join(c["weights"].split()))
    nmin, nmax = c.get("ngrams", (0, 0))
    return {"features": c.get("features", "bytes"), "nmin": nmin, "nmax": nmax, "buckets": c["buckets"],
            "scale": c["scale"],
            "bias_query": c["bias"]["query"], "bias_post": c["bias"]["post"], "threshold": c["threshold"],
            "weights": [b - 256 if b > 127 else b for b in raw]}


def explain_all(pack, lines):
    proc = subprocess.run([CLI, "explain", "--pack", str(pack), "--input", "-"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def corpus_items(limit_per_file=40):
    items = []
    for p in sorted((CORPUS / "dev").glob("*.jsonl")):
        mode = "post" if p.name.startswith("posts") else "query"
        for line in p.read_text(encoding="utf-8").splitlines()[:limit_per_file]:
            it = json.loads(line)
            items.append({"text": it["text"], "locale": it["locale"], "mode": mode})
    return items


def test_explain_input_reads_lines_as_scan_does(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text('{"text": "boat to uk tonight", "locale": "en"}\nhello world\n{"text": 5}\n'
                 '{"text": "x", "locale": "not a locale!"}\n{"text": "passeur bateau", "locale": "fr", "mode": "post"}\n',
                 encoding="utf-8")
    proc = subprocess.run([CLI, "explain", "--pack", str(PACK), "--input", str(f)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["normalized"] == "boat to uk tonight" and out[0]["decision"]["action"] != "none"
    assert out[1]["decision"]["action"] == "none"
    assert out[2] == {"id": None, "line": 3, "error": '"text" must be a string'}
    assert out[3]["line"] == 4 and "locale" in out[3]["error"] and "not a locale" not in out[3]["error"]
    assert [c["id"] for c in out[4]["classifiers"]] == ["advert-text", "advert-text-unlikely-query",
                                                        "advert-text-unlikely-post",
                                                        "advert-text-very-unlikely-post",
                                                        "advert-text-very-unlikely-query", "advert-text-sure",
                                                        "advert-text-likely"]
    assert [c.get("below", False) for c in out[4]["classifiers"]] == [False, True, True, True, True, False, False]
    # The text output says which entries are levels and whether each was found, as the JSON does.
    # A post scored under the post level (found) and one scored over both levels (none found).
    found = []
    for t in ("ferry ticket from calais to dover for two adults", "passeur bateau"):
        j = json.loads(subprocess.run([CLI, "explain", "--pack", str(PACK), "--mode", "post", "--json", t],
                                      capture_output=True, text=True, timeout=120, check=True).stdout)
        text = subprocess.run([CLI, "explain", "--pack", str(PACK), "--mode", "post", t],
                              capture_output=True, text=True, timeout=120, check=True).stdout
        lines = {line.split()[0]: line for line in text.splitlines() if " probability " in line}
        for k in j["classifiers"]:
            line = lines[k["id"]]
            if k.get("below"):
                assert f"level under {k['threshold']:g}" in line, line
                assert line.endswith(", found") == k["fired"] == (k["probability"] < k["threshold"]), line
                found.append(k["fired"])
            else:
                assert f"threshold {k['threshold']:g}" in line and line.endswith(", fired") == k["fired"], line
    assert True in found and False in found
    # One TEXT or --input, not both and not neither.
    for args in (["explain", "--pack", str(PACK)], ["explain", "--pack", str(PACK), "--input", str(f), "text"]):
        bad = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2 and "exactly one TEXT argument, or --input FILE" in bad.stderr
    missing = subprocess.run([CLI, "explain", "--pack", str(PACK), "--input", str(tmp_path / "none.jsonl")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_training_script_hashes_as_the_engine():
    """The script's hashes, pinned to the values tests/unit/test_classify.cpp pins for the engine."""
    trainer = load_trainer()
    boat, uk = trainer.word_hash(b"boat"), trainer.word_hash(b"uk")
    assert boat == 0x44d8e98ccfb762d2
    assert trainer.pair_bucket(boat, uk, 1 << 18) == 112696
    assert trainer.bucket_of(b"boa", 65536) == 39155
    # Words are what lies between spaces, however many: "boat  uk " is two words and one pair.
    counts, total = trainer.word_counts(" boat  uk ", 1 << 18)
    assert total == 3 and sum(counts.values()) == 3


def test_default_pack_classifier_scores_as_its_definition():
    trainer = load_trainer()
    model = read_classifier(PACK / "classifiers" / "advert-text.yaml")
    assert len(model["weights"]) == model["buckets"] and model["features"] == "words"
    items = corpus_items()
    out = explain_all(PACK, [json.dumps(it, ensure_ascii=False) for it in items])
    cut = math.log(model["threshold"] / (1 - model["threshold"]))
    fired = 0
    for it, o in zip(items, out):
        (k,) = [c for c in o["classifiers"] if c["id"] == "advert-text"]
        p = 1 / (1 + math.exp(-trainer.logit(o["normalized"], it["mode"], model)))
        assert abs(p - k["probability"]) < 2e-6, it["text"]
        # Found only at its threshold, and only on a text in which the pack found something else.
        others = [c for c in o["concepts"] if c["via"] != "classifier"]
        assert k["fired"] == (trainer.logit(o["normalized"], it["mode"], model) >= cut and bool(others)), it["text"]
        fired += k["fired"]
    assert 0 < fired < len(items)


def train_in_copy(tmp_path, *args):
    """A copy of the default pack (without its corpus) whose advert classifier is trained again on
    the dev set with the training script's extra `args`; the copy, the classifier file, the run."""
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack, ignore=shutil.ignore_patterns("corpus"))
    out = pack / "classifiers" / "advert-text.yaml"
    files = sorted(str(p) for p in (CORPUS / "dev").glob("*.jsonl"))
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "train-classifier.py"), "--signpost", CLI, "--pack",
                           str(PACK), "--id", "advert-text", "--out", str(out), *args, *files],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return pack, out, proc


def engine_scores_as_script(pack, model, items):
    """The probabilities the engine gives `items` with `pack`, each checked against the script's."""
    trainer = load_trainer()
    probabilities = []
    for it, o in zip(items, explain_all(pack, [json.dumps(it, ensure_ascii=False) for it in items])):
        p = 1 / (1 + math.exp(-trainer.logit(o["normalized"], it["mode"], model)))
        assert abs(p - o["classifiers"][0]["probability"]) < 2e-6, it["text"]
        probabilities.append(p)
    return probabilities


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn not installed")
def test_training_script_writes_a_word_classifier_the_engine_reads(tmp_path):
    pack, out, _ = train_in_copy(tmp_path, "--buckets", "2048", "--features", "words")
    text = out.read_text(encoding="utf-8")
    assert "features: words" in text and "ngrams" not in text
    model = read_classifier(out)
    assert (model["features"], model["buckets"]) == ("words", 2048)
    items = corpus_items(10)
    probabilities = {round(p, 6) for p in engine_scores_as_script(pack, model, items)}
    assert len(probabilities) > len(items) // 2  # the words make a difference


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn not installed")
def test_training_script_writes_a_classifier_the_engine_reads(tmp_path):
    pack, out, proc = train_in_copy(tmp_path, "--buckets", "4096", "--ngrams", "2", "4", "--threshold", "0.7")
    assert "fires on" in proc.stderr
    model = read_classifier(out)
    assert (model["buckets"], model["nmin"], model["nmax"], model["threshold"]) == (4096, 2, 4, 0.7)
    assert max(abs(w) for w in model["weights"]) == 127
    # The pack loads with it (its examples are the default classifier's business, not this one's).
    check = subprocess.run([CLI, "check", "--pack", str(pack), "boat"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    engine_scores_as_script(pack, model, corpus_items(10))


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn not installed")
def test_training_script_refuses_ngrams_for_words(tmp_path):
    with pytest.raises(AssertionError, match="--ngrams is for --features bytes"):
        train_in_copy(tmp_path, "--features", "words", "--ngrams", "3", "5")
