"""Engine.filter_suggestions: typeahead suggestions that are safe to show."""
import pytest


def test_drops_suggestions_that_redirect_alone_or_completed(engine):
    suggestions = ["boat to uk", "boat tours", "uk", "recipes"]
    assert engine.filter_suggestions("boat to", suggestions, locale="en") == ["boat tours", "recipes"]
    assert engine.filter_suggestions("", suggestions) == ["boat tours", "uk", "recipes"]


def test_returns_the_same_objects_in_order(engine):
    class S(str):
        pass

    given = [S("weather"), S("news"), S("boat to uk")]
    kept = engine.filter_suggestions("the", given, locale="en")
    assert kept == ["weather", "news"]
    assert all(a is b for a, b in zip(kept, given))
    assert engine.filter_suggestions("boat", iter(["recipes"])) == ["recipes"]
    assert engine.filter_suggestions("boat", []) == []


def test_bad_arguments_raise_type_error(engine):
    with pytest.raises(TypeError):
        engine.filter_suggestions("boat", [3])
    with pytest.raises(TypeError):
        engine.filter_suggestions(None, ["x"])
