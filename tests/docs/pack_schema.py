"""Validating pack YAML files against the JSON Schemas of docs/schema/ (shared by the tests)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "docs/schema"


class Yaml12Loader(yaml.SafeLoader):
    """YAML as editors (yaml-language-server) and the pack loader read it: only true/false are
    booleans (YAML 1.2), so `no`, `on`, `yes` stay words."""


Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def validators():
    """(manifest validator, pack file validator)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    docs = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in SCHEMAS.glob("*.schema.json")}
    # The schemas refer to each other by file name, as editors resolve them next to each other.
    registry = Registry().with_resources((name, Resource.from_contents(doc)) for name, doc in docs.items())
    for doc in docs.values():
        Draft202012Validator.check_schema(doc)
    return (Draft202012Validator(docs["pack.schema.json"], registry=registry),
            Draft202012Validator(docs["pack-file.schema.json"], registry=registry))


def problems(pack_dir: Path) -> list[str]:
    """Every schema problem of every YAML file of a pack, as `file: /json/pointer: message`."""
    manifest, pack_file = validators()
    out = []
    for path in sorted(pack_dir.rglob("*.yaml")):
        rel = path.relative_to(pack_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
        validator = manifest if rel == Path("pack.yaml") else pack_file
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            pointer = "/" + "/".join(str(p) for p in e.absolute_path)
            out.append(f"{rel}: {pointer}: {e.message[:200]}")
    return out
