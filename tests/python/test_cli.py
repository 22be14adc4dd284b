"""python -m signpost: scan, eval, check and lint, their output and exit codes."""

import json

import pytest

from signpost_test_support import LABELLED, MINI_PACK, run_module

PACK = str(MINI_PACK)


def scan(input, *args):
    return run_module("scan", "--pack", PACK, *args, input=input)


def test_scan_json_lines_and_plain_lines_in_order():
    lines = [
        json.dumps({"text": "boat to uk", "locale": "en", "id": "a"}),
        "fake passport",
        json.dumps({"text": "bateau pour angleterre prix", "locale": "fr", "id": 7}),
        json.dumps({"text": "hello", "mode": "post", "subject": "u1"}),
        "",
    ]
    p = scan("\n".join(lines) + "\n")
    assert p.returncode == 0, p.stderr
    out = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(out) == 5
    assert out[0]["id"] == "a" and out[0]["action"] == "redirect"
    assert "id" not in out[1] and out[1]["action"] == "interstitial"
    assert out[2]["id"] == 7 and out[2]["cards"][0]["locale"] == "fr"  # a numeric id stays a number
    assert out[3]["action"] == "none"
    assert out[4]["action"] == "none"
    assert all(o["pack"]["name"] == "py-mini" for o in out)


def test_scan_output_is_the_decision_json(engine):
    p = scan(json.dumps({"text": "boat to uk", "locale": "en", "id": "x"}) + "\n")
    assert json.loads(p.stdout) == engine.evaluate("boat to uk", locale="en").to_dict(id="x")


def test_scan_bad_lines_are_errors_and_scanning_goes_on():
    lines = [
        "{not json",
        json.dumps({"id": "n1", "locale": "en"}),
        json.dumps({"id": 5, "text": 3}),
        json.dumps({"text": "boat to uk", "mode": "tweet", "id": "m"}),
        json.dumps({"text": "boat to uk", "locale": 1}),
        json.dumps({"text": "boat to uk", "id": [1]}),
        "boat to uk",
    ]
    p = scan("\n".join(lines) + "\n")
    assert p.returncode == 1
    out = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0] == {"id": None, "action": "error", "error": "line 1: invalid JSON"}
    assert out[1] == {"id": "n1", "action": "error", "error": 'line 2: missing "text"'}
    assert out[2] == {"id": 5, "action": "error", "error": 'line 3: "text" must be a string'}
    assert out[3]["error"] == 'line 4: "mode" must be "query" or "post"' and out[3]["id"] == "m"
    assert out[4]["error"] == 'line 5: "locale" must be a string'
    assert out[5]["error"] == 'line 6: "id" must be a string or a number'
    assert out[6]["action"] == "redirect"


def test_scan_a_file_in_batches(tmp_path, engine):
    texts = ["boat to uk", "hello", "fake passport", "\u00e9 asylum helpline"] * 3000
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t, "id": str(i)}) + "\n" for i, t in enumerate(texts)),
                   encoding="utf-8")
    p = run_module("scan", "--pack", PACK, "--mode", "query", str(src))
    assert p.returncode == 0, p.stderr
    out = p.stdout.splitlines()
    assert len(out) == len(texts)
    for i in (0, 1, 2, 3, 4097, len(texts) - 1):
        assert json.loads(out[i]) == engine.evaluate(texts[i]).to_dict(id=str(i))
    assert p.stderr == ""  # no progress when stderr is not a terminal


def test_scan_invalid_utf8_plain_line():
    p = run_module("scan", "--pack", PACK, input=b"boat \xff to uk\n\xed\xa0\x80\n")
    assert p.returncode == 0
    assert [json.loads(x)["action"] for x in p.stdout.splitlines()] == ["redirect", "none"]


def test_scan_holdout_and_metrics(tmp_path):
    metrics = tmp_path / "m.json"
    p = scan(json.dumps({"text": "boat to uk", "subject": "u1"}) + "\n", "--holdout", "1", "--salt", "s",
             "--metrics-out", str(metrics))
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["holdout"] is True and d["action"] == "none"
    snap = json.loads(metrics.read_text(encoding="utf-8"))
    assert snap["evaluations"] == 1
    p = scan("x\n", "--holdout", "0.5")
    assert p.returncode == 2 and "--salt" in p.stderr


def test_scan_usage_and_pack_errors(tmp_path):
    assert scan("x\n", "--mode", "tweet").returncode == 2
    assert scan("x\n", "--bogus").returncode == 2
    p = run_module("scan", "--pack", PACK, str(tmp_path / "missing.jsonl"))
    assert p.returncode == 2 and "cannot open" in p.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("name: x\nversion: 1\nlanguages: [en]\ndefault_locale: en\nbogus: 1\n",
                                      encoding="utf-8")
    p = run_module("scan", "--pack", str(broken), input="boat\n")
    assert p.returncode == 2
    assert "pack.yaml:5:1: unknown field 'bogus'" in p.stderr
    assert p.stdout == ""


def test_scan_uses_signpost_pack_env():
    p = run_module("scan", input="boat to uk\n", env={"SIGNPOST_PACK": PACK})
    assert p.returncode == 0
    assert json.loads(p.stdout)["pack"]["name"] == "py-mini"


def test_eval_table_and_gates():
    p = run_module("eval", "--pack", PACK, str(LABELLED))
    assert p.returncode == 0, p.stderr
    assert "12 items" in p.stdout and "overall" in p.stdout
    assert "language fr" in p.stdout and "category crossing" in p.stdout
    assert "0.833" in p.stdout and "0.714" in p.stdout  # recall 5/6, precision 5/7
    p = run_module("eval", "--pack", PACK, str(LABELLED), "--min-recall", "0.8", "--min-precision", "0.7")
    assert p.returncode == 0 and "PASS" in p.stdout
    p = run_module("eval", "--pack", PACK, str(LABELLED), "--min-recall", "0.9")
    assert p.returncode == 1 and "FAIL" in p.stdout
    p = run_module("eval", "--pack", PACK, str(LABELLED), "--min-precision", "0.75")
    assert p.returncode == 1


def test_eval_by_and_errors():
    p = run_module("eval", "--pack", PACK, str(LABELLED), "--by", "category", "--show-errors")
    assert p.returncode == 0
    assert "category crossing" in p.stdout and "language" not in p.stdout
    assert "swim to uk" in p.stdout and "boat price comparison" in p.stdout


def test_eval_json_has_the_cli_shape():
    p = run_module("eval", "--pack", PACK, str(LABELLED), "--json", "--min-recall", "0.99")
    assert p.returncode == 1
    d = json.loads(p.stdout)
    assert d["items"] == 12 and d["pass"] is False
    assert d["overall"]["risky"] == 6 and d["overall"]["risky_caught"] == 5
    assert set(d["by_language"]) == {"en", "fr", "ar"}


def test_eval_json_lines_input(tmp_path):
    src = tmp_path / "l.jsonl"
    src.write_text('{"label": "R", "text": "boat to uk", "locale": "en"}\n{"label": "A", "text": "hello"}\n',
                   encoding="utf-8")
    p = run_module("eval", "--pack", PACK, str(src), "--json")
    assert p.returncode == 0
    assert json.loads(p.stdout)["overall"]["recall"] == 1.0


def test_eval_input_errors(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("R\ten\tok\nQ\ten\twhat\n", encoding="utf-8")
    p = run_module("eval", "--pack", PACK, str(bad))
    assert p.returncode == 2 and ":2:" in p.stderr
    assert run_module("eval", "--pack", PACK, str(tmp_path / "none.tsv")).returncode == 2
    assert run_module("eval", "--pack", PACK).returncode == 2
    assert run_module("eval", "--pack", PACK, str(LABELLED), "--min-recall", "2").returncode == 2


def test_check_and_lint(engine, pack_copy):
    p = run_module("check", "--pack", PACK, "--locale", "fr", "bateau pour angleterre prix")
    assert p.returncode == 0
    assert json.loads(p.stdout) == engine.evaluate("bateau pour angleterre prix", locale="fr").to_dict()
    p = run_module("lint", "--pack", PACK)
    assert p.returncode == 0 and "py-mini 1.0.0: 3 categories" in p.stdout and "0 failed" in p.stdout
    rules = pack_copy / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("no_match: [passport renewal]",
                                                               "no_match: [passport renewal, fake passport]"),
                     encoding="utf-8")
    p = run_module("lint", "--pack", str(pack_copy))
    assert p.returncode == 1 and "fake passport" in p.stdout


def test_help_and_no_command():
    assert run_module("--help").returncode == 0
    assert run_module().returncode == 2
    assert run_module("frobnicate").returncode == 2
    v = run_module("--version")
    assert v.returncode == 0 and v.stdout.startswith("signpost ")


def test_main_in_process(capsys):
    import io
    from signpost import cli

    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["scan", "--pack", PACK], stdin=io.BytesIO(b"boat to uk\n{bad\n"), stdout=out, stderr=err)
    assert code == 1
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0])["action"] == "redirect"
    assert json.loads(lines[1])["action"] == "error"


def test_check_exit_code_says_whether_it_intervenes():
    # Like grep (and the C++ tool): 0 when the decision intervenes, 1 when it is none, 2 for errors.
    assert run_module("check", "--pack", PACK, "--locale", "en", "boat to uk").returncode == 0
    p = run_module("check", "--pack", PACK, "--locale", "en", "hello there")
    assert p.returncode == 1 and json.loads(p.stdout)["action"] == "none"
    assert run_module("check", "--pack", "/nonexistent/pack", "x").returncode == 2


def test_console_script_is_installed_with_every_subcommand():
    import shutil
    import subprocess
    import sys
    from pathlib import Path
    script = Path(sys.executable).with_name("signpost")
    if not script.exists():
        script = Path(shutil.which("signpost") or "")
    if not script.is_file():
        pytest.skip("the signpost console script is not installed beside this Python")
    p = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("usage: signpost ")
    for command in ("check", "scan", "lint", "eval", "report"):
        assert command in p.stdout, command


def test_report_is_the_cpp_command(tmp_path):
    import signpost
    engine = signpost.Engine.load(MINI_PACK)
    recorder = signpost.MetricsRecorder(engine)
    for d in engine.evaluate_many(["boat to uk", "hello", "fake passport"] * 20, locale="en"):
        recorder.record(d)
    snapshot = tmp_path / "snapshot.json"
    snapshot.write_text(recorder.snapshot_json(), encoding="utf-8")
    p = run_module("report", str(snapshot), "--out", str(tmp_path / "out"), "--k", "5")
    assert p.returncode == 0, p.stderr
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "py-mini" in md and (tmp_path / "out" / "report.html").is_file()
    help_text = run_module("report", "--help")
    assert help_text.returncode == 0 and "--out DIR" in help_text.stdout
    missing = run_module("report", str(tmp_path / "missing.json"), "--out", str(tmp_path / "x"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_forwarded_commands_are_offered_only_when_built_in():
    from signpost import _core
    from signpost.cli import FORWARDED
    listed = run_module("--help").stdout
    for name, (entry, _) in FORWARDED.items():
        if hasattr(_core, entry):
            assert name in listed
            p = run_module(name, "--help")
            assert p.returncode == 0 and p.stdout, name
        else:
            p = run_module(name, "anything")
            assert p.returncode == 2 and f"signpost {name}: not in this build" in p.stderr
