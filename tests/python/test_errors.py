"""ConfigError: a ValueError with the file, line and column of every problem of a broken pack."""

import pickle

import pytest

import signpost


def test_missing_folder(tmp_path):
    with pytest.raises(signpost.ConfigError) as info:
        signpost.Engine.load(tmp_path / "nowhere")
    assert isinstance(info.value, ValueError)
    assert info.value.problems


def test_missing_manifest(tmp_path):
    (tmp_path / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    with pytest.raises(signpost.ConfigError) as info:
        signpost.Engine.load(tmp_path)
    e = info.value
    assert "missing pack.yaml" in str(e)
    assert any("missing pack.yaml" in p.message for p in e.problems)


def test_yaml_syntax_error_has_a_position(pack_copy):
    (pack_copy / "rules.yaml").write_text("rules:\n  - id: x\n    all: [boat\n", encoding="utf-8")
    with pytest.raises(signpost.ConfigError) as info:
        signpost.Engine.load(pack_copy)
    e = info.value
    assert e.file.endswith("rules.yaml")
    assert e.line >= 2 and e.column >= 1
    assert "YAML syntax error" in str(e)
    assert str(e).startswith(f"{e.file}:{e.line}:{e.column}: ")


def test_every_problem_is_reported(pack_copy):
    rules = pack_copy / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("all: [boat, uk]", "all: [boat, nowhere]").replace("all: [fake, passport]",
                                                                           "all: [fake, elsewhere]")
    rules.write_text(text, encoding="utf-8")
    cats = pack_copy / "categories.yaml"
    cats.write_text(cats.read_text(encoding="utf-8").replace("action: interstitial", "action: shout"),
                    encoding="utf-8")
    with pytest.raises(signpost.ConfigError) as info:
        signpost.Engine.load(pack_copy)
    e = info.value
    messages = [p.message for p in e.problems]
    assert "unknown lexicon 'nowhere'" in messages
    assert "unknown lexicon 'elsewhere'" in messages
    assert "invalid action 'shout'" in messages
    # Each problem is a (file, line, column, message) tuple, and str(e) is the C++ what(): one a line.
    for p in e.problems:
        file, line, column, message = p
        assert line > 0 and column > 0 and message
        assert f"{file}:{line}:{column}: {message}" in str(e)
    assert len(str(e).splitlines()) == len(e.problems)
    assert (e.file, e.line, e.column) == tuple(e.problems[0][:3])


def test_problem_positions_point_at_the_node(pack_copy):
    rules = pack_copy / "rules.yaml"
    lines = rules.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if "all: [fake, passport]" in line:
            lines[i] = line.replace("passport", "pasport")
            target = i + 1
            column = line.index("passport") + 1
    rules.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(signpost.ConfigError) as info:
        signpost.Engine.load(pack_copy)
    (p,) = info.value.problems
    assert p.message == "unknown lexicon 'pasport'"
    assert p.file.endswith("rules.yaml")
    assert p.line == target
    assert p.column == column


def test_config_error_survives_pickling(pack_copy):
    (pack_copy / "pack.yaml").unlink()
    with pytest.raises(signpost.ConfigError) as info:
        signpost.Engine.load(pack_copy)
    again = pickle.loads(pickle.dumps(info.value))
    assert str(again) == str(info.value)
    assert again.problems == info.value.problems
    assert (again.file, again.line, again.column) == (info.value.file, info.value.line, info.value.column)


def test_config_error_can_be_raised_by_hosts():
    e = signpost.ConfigError("a.yaml:1:2: bad", [("a.yaml", 1, 2, "bad")])
    assert (e.file, e.line, e.column) == ("a.yaml", 1, 2)
    assert e.problems[0].message == "bad"
    assert str(e.problems[0]) == "a.yaml:1:2: bad"
