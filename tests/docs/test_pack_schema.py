"""docs/schema/: the JSON Schemas of pack files accept the default pack and refuse broken files."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pack_schema import ROOT, problems

pytest.importorskip("jsonschema")

DEFAULT_PACK = ROOT / "messages/people-smuggling"


def test_the_default_pack_is_valid():
    assert problems(DEFAULT_PACK) == []


def test_the_yaml_language_server_hint_is_documented():
    text = (ROOT / "docs/pack-format.md").read_text(encoding="utf-8") + (ROOT / "docs/tutorial.md").read_text(
        encoding="utf-8")
    assert "# yaml-language-server: $schema=" in text
    assert "docs/schema/pack-file.schema.json" in text and "docs/schema/pack.schema.json" in text


BROKEN = {
    "rule with a misspelt field": """
        rules:
          - id: boat-uk
            category: crossing_offers
            wieght: 0.6
            any: [boat]
    """,
    "rule without a positive condition": """
        rules:
          - id: boat-uk
            category: crossing_offers
            none: [ferry]
    """,
    "id with capitals": """
        lexicons:
          - id: Boat
            terms: {en: [boat]}
    """,
    "term under a bad language tag": """
        lexicons:
          - id: boat
            terms: {EN_gb: [boat]}
    """,
    "lexicon with neither terms nor include": """
        lexicons:
          - id: boat
            description: nothing to match
    """,
    "lexicon with an empty include": """
        lexicons:
          - id: boat
            include: []
    """,
    "category named none": """
        categories:
          - id: none
            action: redirect
    """,
    "unknown action": """
        categories:
          - id: offers
            action: block
    """,
    "card title over 60 characters": """
        locale: en
        cards:
          - id: dangers
            title: A title that goes on and on and on well past the sixty character limit
            body: Body.
            url: https://www.example.org/
    """,
    "card over plain http": """
        locale: en
        cards:
          - id: dangers
            title: Title
            body: Body.
            url: http://www.example.org/
    """,
    "cards without a locale": """
        cards:
          - id: dangers
            title: Title
            body: Body.
            url: https://www.example.org/
    """,
    "unknown entity": """
        rules:
          - id: boat-uk
            category: crossing_offers
            all: [boat, "@price"]
    """,
    "typos of 2": """
        lexicons:
          - id: smuggler
            typos: 2
            terms: {en: [smuggler]}
    """,
    "max_action that is not an action": """
        categories:
          - id: distress
            action: annotate
            max_action: none
    """,
    "near with one lexicon": """
        rules:
          - id: boat-uk
            category: crossing_offers
            near: [{of: [boat], within: 3}]
    """,
    "classifier of words with ngrams": """
        classifiers:
          - id: advert
            features: words
            ngrams: [3, 5]
            buckets: 256
            scale: 1
            bias: {query: 0, post: 0}
            threshold: 0.5
            weights: "00"
    """,
    "classifier of bytes without ngrams": """
        classifiers:
          - id: advert
            buckets: 256
            scale: 1
            bias: {query: 0, post: 0}
            threshold: 0.5
            weights: "00"
    """,
    "classifier with unknown features": """
        classifiers:
          - id: advert
            features: sentences
            buckets: 256
            scale: 1
            bias: {query: 0, post: 0}
            threshold: 0.5
            weights: "00"
    """,
}


def manifest_only(tmp_path: Path) -> Path:
    """A pack folder holding the default pack's manifest alone. The schemas judge each file on its
    own (test_the_default_pack_is_valid covers the rest of the default pack), so a file added here
    is judged exactly as it would be beside the default pack's files, in a fraction of the time."""
    pack = tmp_path / "pack"
    pack.mkdir()
    shutil.copy(DEFAULT_PACK / "pack.yaml", pack / "pack.yaml")
    return pack


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_refused(tmp_path, name):
    pack = manifest_only(tmp_path)
    (pack / "broken.yaml").write_text(textwrap.dedent(BROKEN[name]), encoding="utf-8")
    found = problems(pack)
    assert found and all(p.startswith("broken.yaml: ") for p in found), found


def test_entities_typos_includes_priority_and_caps_are_accepted(tmp_path):
    pack = manifest_only(tmp_path)
    (pack / "features.yaml").write_text(textwrap.dedent("""
        lexicons:
          - id: smuggler-typo
            typos: 1
            min_length: 6
            terms: {en: [smuggler]}
          - id: smuggler-any
            include: [smuggler-typo]
        rules:
          - id: offer-shape
            category: crossing_offers
            all: [smuggler-typo, "@money"]
            any: ["@phone", "@handle"]
            near: [{of: [smuggler-typo, "@date"], within: 4}]
        categories:
          - id: distress-test
            action: annotate
            priority: 10
            max_action: annotate
    """), encoding="utf-8")
    assert problems(pack) == []


def test_words_yaml_1_1_calls_booleans_stay_words(tmp_path):
    pack = manifest_only(tmp_path)
    (pack / "words.yaml").write_text("lexicons:\n  - id: words\n    terms: {en: [no, on, yes, off]}\n", encoding="utf-8")
    assert problems(pack) == []


def test_a_broken_manifest_is_refused(tmp_path):
    pack = manifest_only(tmp_path)
    (pack / "pack.yaml").write_text("name: Pack\nversion: 1\nlanguages: [en]\n", encoding="utf-8")
    found = problems(pack)
    assert any("default_locale" in p for p in found) and any("/name" in p for p in found), found
