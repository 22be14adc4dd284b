"""The `signpost` command-line contract: check, scan, lint, eval, explain, exit codes and error lines."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("SIGNPOST_CLI", str(ROOT / "build" / "sdk" / "cli" / "signpost"))
FIXTURE = ROOT / "tests" / "data" / "packs" / "engine"

pytestmark = pytest.mark.skipif(not os.path.exists(CLI), reason="signpost CLI not built (set SIGNPOST_CLI)")


def run(*args, input=None):
    return subprocess.run([CLI, *map(str, args)], input=input, capture_output=True, text=True, timeout=120)


def lines(out):
    return [json.loads(l) for l in out.splitlines() if l.strip()]


def test_check_prints_one_decision_with_the_contract_fields():
    r = run("check", "--pack", FIXTURE, "--locale", "en", "boat to uk")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["action"] == "redirect"
    assert d["category"] == "crossing"
    assert d["score"] == 0.6
    assert d["matches"] == [{"rule": "boat-to-uk", "category": "crossing", "start": 0, "end": 10}]
    assert [c["id"] for c in d["cards"]] == ["dangers", "report"]
    assert set(d["cards"][0]) == {"id", "locale", "title", "body", "url", "cta", "dir"}
    assert d["holdout"] is False
    assert d["pack"]["name"] == "engine-test"
    assert d["pack"]["hash"].startswith("sha256:")


def test_check_with_post_mode_and_rtl_cards():
    r = run("check", "--pack", FIXTURE, "--mode", "post", "--locale", "ar", "قارب إلى بريطانيا")
    d = json.loads(r.stdout)
    assert d["cards"][0]["dir"] == "rtl"
    assert d["cards"][0]["locale"] == "ar"


def test_check_exits_like_grep():
    # 0 when the text gets an intervention, 1 when it gets none (docs/contracts.md).
    assert run("check", "--pack", FIXTURE, "--locale", "en", "boat to uk").returncode == 0
    r = run("check", "--pack", FIXTURE, "--locale", "en", "weather in paris")
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["action"] == "none"


def test_pack_folder_without_manifest_is_one_error(tmp_path):
    # A folder that is not a pack (say /tmp) gives one clear problem, not one per unrelated file.
    for i in range(5):
        (tmp_path / f"other{i}.yaml").write_text("key: [unclosed\n")
    r = run("check", "--pack", tmp_path, "x")
    assert r.returncode == 2
    problems = [l for l in r.stderr.splitlines() if ":0:0:" in l or ".yaml:" in l]
    assert problems == [f"{tmp_path}:0:0: missing pack.yaml"], r.stderr


def test_check_usage_errors_exit_2():
    assert run("check", "--pack", FIXTURE).returncode == 2
    assert run("check", "--pack", FIXTURE, "--mode", "bogus", "x").returncode == 2
    assert run("check", "--pack", FIXTURE, "--nope", "x").returncode == 2
    assert run("frobnicate").returncode == 2
    assert run().returncode == 2


@pytest.mark.parametrize("cmd", ["check", "scan", "lint", "eval", "explain", "report"])
def test_every_command_has_help(cmd):
    r = run(cmd, "--help")
    assert r.returncode == 0
    assert r.stdout.startswith("usage: signpost " + cmd)


def test_scan_json_lines_in_order_with_ids_echoed_and_plain_lines():
    inp = "\n".join([
        json.dumps({"id": "a", "text": "boat to uk", "locale": "en"}),
        "hello there",
        json.dumps({"id": 7, "text": "fake passport"}),
        json.dumps({"text": "bateau angleterre", "locale": "fr", "mode": "post"}),
    ]) + "\n"
    r = run("scan", "--pack", FIXTURE, "-", input=inp)
    assert r.returncode == 0, r.stderr
    out = lines(r.stdout)
    assert len(out) == 4
    assert out[0]["id"] == "a" and out[0]["action"] == "redirect"
    assert "id" not in out[1] and out[1]["action"] == "none"
    assert out[2]["id"] == 7 and out[2]["action"] == "interstitial"
    assert out[3]["action"] == "redirect" and out[3]["cards"][0]["locale"] == "fr"


def test_scan_bad_lines_give_error_objects_and_scanning_goes_on():
    inp = "\n".join([
        '{"id": "x", "text": 5}',
        "{not json",
        '{"id": "y"}',
        '{"id": "z", "text": "boat to uk", "mode": "sideways"}',
        '{"id": "ok", "text": "boat to uk"}',
    ]) + "\n"
    r = run("scan", "--pack", FIXTURE, input=inp)
    assert r.returncode == 1
    out = lines(r.stdout)
    assert len(out) == 5
    assert out[0] == {"id": "x", "action": "error", "error": 'line 1: "text" must be a string'}
    assert out[1] == {"id": None, "action": "error", "error": "line 2: invalid JSON"}
    assert out[2] == {"id": "y", "action": "error", "error": 'line 3: missing "text"'}
    assert out[3]["action"] == "error" and out[3]["error"].startswith("line 4: ")
    assert out[4]["id"] == "ok" and out[4]["action"] == "redirect"


def test_scan_reads_a_file_and_keeps_progress_out_of_stdout(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text("".join(json.dumps({"id": i, "text": "boat to uk" if i % 2 else "weather"}) + "\n" for i in range(2000)))
    r = run("scan", "--pack", FIXTURE, f)
    assert r.returncode == 0
    out = lines(r.stdout)
    assert [o["id"] for o in out] == list(range(2000))
    assert all(o["action"] == ("redirect" if o["id"] % 2 else "none") for o in out)


def test_scan_missing_file_is_a_usage_error(tmp_path):
    r = run("scan", "--pack", FIXTURE, tmp_path / "absent.jsonl")
    assert r.returncode == 2
    assert "cannot open" in r.stderr


def copy_pack(tmp_path):
    dst = tmp_path / "pack"
    shutil.copytree(FIXTURE, dst)
    return dst


def test_pack_errors_are_listed_as_file_line_col_and_exit_2(tmp_path):
    pack = copy_pack(tmp_path)
    (pack / "rules" / "bad.yaml").write_text(
        "rules:\n  - id: r1\n    category: nowhere\n    any: [boat]\n  - id: r2\n    category: crossing\n    regex: 'a+'\n")
    empty = tmp_path / "empty.tsv"
    empty.write_text("")
    for cmd in (["lint"], ["check", "x"], ["scan", "-"], ["eval", empty]):
        r = run(cmd[0], "--pack", pack, *cmd[1:], input="")
        assert r.returncode == 2, cmd
        errors = [l for l in r.stderr.splitlines() if l.startswith(str(pack))]
        assert len(errors) == 2, r.stderr
        assert errors[0].startswith(f"{pack}/rules/bad.yaml:3:15: ")
        assert errors[1].startswith(f"{pack}/rules/bad.yaml:7:12: bad regex: unbounded repeat")


def test_lint_clean_pack_exit_0_and_failing_example_exit_1(tmp_path):
    r = run("lint", "--pack", FIXTURE)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 failed" in r.stdout
    pack = copy_pack(tmp_path)
    (pack / "rules" / "extra.yaml").write_text(
        "rules:\n  - id: wrong\n    category: documents\n    all: [fake, passport]\n"
        "    examples:\n      no_match: [fake passport]\n")
    r = run("lint", "--pack", pack)
    assert r.returncode == 1
    assert f"{pack}/rules/extra.yaml:6:18: rule 'wrong': expected no_match: \"fake passport\"" in r.stdout


def test_eval_tsv_counts_labels_as_the_contract_says(tmp_path):
    f = tmp_path / "set.tsv"
    f.write_text("# label\tlocale\ttext\n"
                 "R\ten\tboat to uk\n"
                 "R\ten\tnothing here\n"
                 "A\ten\tweather\n"
                 "A\ten\tfake passport\n"
                 "H\ten\tfake passport\n")
    r = run("eval", "--pack", FIXTURE, "--json", f)
    assert r.returncode == 0
    o = json.loads(r.stdout)["overall"]
    assert o["recall"] == 0.5
    # one true positive, one wrong A (interstitial) and one wrong H (interstitial)
    assert o["precision"] == pytest.approx(1 / 3)
    r = run("eval", "--pack", FIXTURE, "--min-recall", "0.5", "--min-precision", "0.3", f)
    assert r.returncode == 0 and "PASS" in r.stdout
    r = run("eval", "--pack", FIXTURE, "--min-recall", "0.9", f)
    assert r.returncode == 1 and "FAIL" in r.stdout


def test_eval_json_lines_and_bad_input(tmp_path):
    f = tmp_path / "set.jsonl"
    f.write_text(json.dumps({"label": "R", "text": "boat to uk", "locale": "en"}) + "\n")
    r = run("eval", "--pack", FIXTURE, "--json", f)
    assert json.loads(r.stdout)["overall"]["recall"] == 1.0
    g = tmp_path / "bad.tsv"
    g.write_text("X\ten\tboat\n")
    r = run("eval", "--pack", FIXTURE, g)
    assert r.returncode == 2
    assert "line 1: label must be R, A or H" in r.stderr


def test_default_pack_is_found_without_flags():
    r = run("check", "boat to uk tonight price")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pack"]["name"] == "people-smuggling"


def test_scan_echoes_number_ids_exactly_as_given():
    ids = ["1e400", "0e400", "-0", "12345678901234567890123", "0.1", "1.50", "7"]
    inp = "".join('{"id": %s, "text": "boat to uk"}\n' % i for i in ids)
    r = run("scan", "--pack", FIXTURE, input=inp)
    assert r.returncode == 0, r.stderr
    got = [line.split(",", 1)[0] for line in r.stdout.splitlines()]
    assert got == ['{"id":%s' % i for i in ids]
    assert all(json.loads(line)["action"] == "redirect" for line in r.stdout.splitlines())


def test_scan_a_byte_order_mark_before_a_json_line_is_dropped():
    r = run("scan", "--pack", FIXTURE, input='\ufeff{"id": "a", "text": "boat to uk"}\n\ufeffboat to uk\n')
    assert r.returncode == 0, r.stderr
    first, second = lines(r.stdout)
    assert first["id"] == "a" and first["action"] == "redirect"
    assert second["action"] == "redirect" and second["matches"][0]["start"] == 0


def test_scan_accepts_invalid_utf8_inside_json_strings_as_the_server_does():
    inp = b'{"id": "a", "text": "boat to uk \xff\xfe"}\n{"id": "b\xc3", "text": "x"}\n'
    r = subprocess.run([CLI, "scan", "--pack", str(FIXTURE)], input=inp, capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = [json.loads(l) for l in r.stdout.decode("utf-8").splitlines()]
    assert out[0]["id"] == "a" and out[0]["action"] == "redirect"
    assert out[1]["id"] == "b\ufffd" and out[1]["action"] == "none"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [
    ["check", "--pack", FIXTURE, "boat to uk"],
    ["scan", "--pack", FIXTURE, "-"],
    ["lint", "--pack", FIXTURE],
])
def test_output_that_cannot_be_written_is_an_error(args):
    with open("/dev/full", "w") as full:
        r = subprocess.run([CLI, *map(str, args)], input="boat to uk\n", stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=120)
    assert r.returncode == 2
    assert "cannot write the output" in r.stderr


def test_lint_lines_escape_control_characters_from_example_texts(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(FIXTURE, pack)
    rules = pack / "rules" / "rules.yaml"
    # A failing example whose text holds a newline and a terminal escape sequence.
    marker = "no_match: [ferry boat to uk,"
    text = rules.read_text()
    assert marker in text
    rules.write_text(text.replace(marker, 'no_match: ["boat to uk\\nfake.yaml:1:1: forged \\e[31mred", ferry boat to uk,'))
    r = run("lint", "--pack", pack)
    assert r.returncode == 1, r.stdout + r.stderr
    failing = [l for l in r.stdout.splitlines() if "expected no_match" in l]
    assert len(failing) == 1
    assert "\\x0Afake.yaml:1:1: forged \\x1B[31mred" in failing[0]
    assert "\x1b" not in r.stdout


def test_explain_says_why_in_text_and_json():
    r = run("explain", "--pack", FIXTURE, "--locale", "en", "ferry boat to uk")
    assert r.returncode == 0, r.stderr
    assert "rules that nearly fired:\n  boat-to-uk -> crossing (weight 0.6)\n      none: [ferry] found\n" in r.stdout
    assert r.stdout.rstrip().endswith("decision: none")
    r = run("explain", "--pack", FIXTURE, "--locale", "en", "--json", "boat to uk t.me/crossing tonight 1400€")
    assert r.returncode == 0, r.stderr
    x = json.loads(r.stdout)
    concepts = {(c["concept"], c["via"], c["text"]) for c in x["concepts"]}
    assert ("@handle", "entity", "t.me/crossing") in concepts
    assert ("@money", "entity", "1400€") in concepts
    assert ("@date", "entity", "tonight") in concepts
    assert [f["id"] for f in x["fired"]] == ["boat-to-uk", "contact-when"]
    check = json.loads(run("check", "--pack", FIXTURE, "--locale", "en", "boat to uk t.me/crossing tonight 1400€").stdout)
    assert x["decision"] == check


def test_explain_usage_and_pack_errors_exit_2(tmp_path):
    assert run("explain", "--pack", FIXTURE).returncode == 2
    assert run("explain", "--pack", FIXTURE, "--mode", "bogus", "x").returncode == 2
    r = run("explain", "--pack", tmp_path, "x")
    assert r.returncode == 2
    assert "missing pack.yaml" in r.stderr or "not a pack folder" in r.stderr
