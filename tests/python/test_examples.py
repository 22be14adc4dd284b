"""The examples in examples/python run and say what they should."""

import subprocess
import sys

from signpost_test_support import LABELLED, MINI_PACK, REPO

EXAMPLES = REPO / "examples" / "python"


def run(script, *args):
    return subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)], capture_output=True,
                          text=True, timeout=120)


def test_scan_report(tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"text": "boat to uk", "locale": "en"}\n'
                       '{"text": "bateau pour angleterre prix", "locale": "fr"}\n'
                       '{"text": "fake passport", "locale": "en"}\n'
                       '{"text": "hello", "locale": "en"}\n'
                       "asylum helpline\n", encoding="utf-8")
    p = run("scan_report.py", "--pack", MINI_PACK, queries)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("5 texts from")
    en = next(line for line in lines if line.startswith("en "))
    assert en.split()[:3] == ["en", "3", "2"]
    assert "crossing (1)" in en and "documents (1)" in en
    assert next(line for line in lines if line.startswith("fr ")).split()[:3] == ["fr", "1", "1"]
    assert next(line for line in lines if line.startswith("- ")).split()[:3] == ["-", "1", "1"]
    assert next(line for line in lines if line.startswith("all ")).split()[:3] == ["all", "5", "4"]


def test_scan_report_reads_labelled_tsv():
    p = run("scan_report.py", "--pack", MINI_PACK, LABELLED)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("12 texts")


def test_compare_packs(pack_copy):
    # The new version weakens the price rule: one risky item is missed, one false alarm goes away.
    rules = pack_copy / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  - id: crossing-price\n    category: crossing\n    weight: 0.6",
                                  "  - id: crossing-price\n    category: crossing\n    weight: 0.3"),
                     encoding="utf-8")
    assert "weight: 0.3" in rules.read_text(encoding="utf-8")
    p = run("compare_packs.py", MINI_PACK, pack_copy, LABELLED)
    assert p.returncode == 1, p.stdout + p.stderr  # something broke
    out = p.stdout
    assert "overall" in out
    fixed = out.split("fixed (1):")[1].split("broken")[0]
    assert "boat price comparison" in fixed and "redirect (crossing) -> none" in fixed
    broken = out.split("broken (1):")[1]
    assert "dinghy cost" in broken


def test_compare_identical_packs():
    p = run("compare_packs.py", MINI_PACK, MINI_PACK, LABELLED)
    assert p.returncode == 0
    assert "no item changed" in p.stdout


def test_notebook_tour(tmp_path):
    import pytest
    pytest.importorskip("pandas")
    p = run("notebook_tour.py", "--pack", MINI_PACK, "--data", LABELLED, "--out", tmp_path)
    assert p.returncode == 0, p.stderr
    assert "decisions from 2 worker processes, identical to evaluate_frame's" in p.stdout
    assert "overall" in p.stdout
    page = (tmp_path / "tour.html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in page and 'lang="ar"' in page  # the Arabic query's cards
    assert "<table" in page  # the eval report
