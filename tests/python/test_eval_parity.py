"""`signpost eval --json` (C++) and signpost.analysis (Python) agree on every table, on every
locale of the default pack: plain tags, tags with a region, and odd case.

Needs the `signpost` binary: set SIGNPOST_CLI to its path (for instance build/sdk/cli/signpost);
skipped otherwise."""

import json
import os
import subprocess

import pytest

from signpost_test_support import EVAL_DATA, run_module

CLI = os.environ.get("SIGNPOST_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="set SIGNPOST_CLI to the signpost binary")

# Each dev-set locale is written three ways: as is, with a region, and in odd case.
VARIANTS = {
    "en": ["en", "EN-gb", "en_US"],
    "fr": ["fr", "fr-BE", "FR"],
    "ar": ["ar", "ar-IQ", "AR_sy"],
    "fa": ["fa", "fa-IR", "FA-af"],
    "ckb": ["ckb", "ckb-IQ", "CKB"],
    "kmr": ["kmr", "kmr-Latn-TR", "KMR"],
    "ps": ["ps", "ps-AF", "Ps"],
    "sq": ["sq", "sq-AL", "SQ"],
    "tr": ["tr", "tr-TR", "Tr"],
    "vi": ["vi", "vi-VN", "VI"],
}


def _rewritten(tmp_path, name):
    out = []
    for n, line in enumerate((EVAL_DATA / name).read_text(encoding="utf-8").splitlines()):
        if not line or line.startswith("#") or line.startswith("label"):
            continue
        label, locale, text = line.split("\t", 2)
        variants = VARIANTS.get(locale, [locale])
        out.append(f"{label}\t{variants[n % len(variants)]}\t{text}")
    out.append("A\t\tplain text without a locale")
    path = tmp_path / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("name,mode", [("dev-queries.tsv", "query"), ("dev-posts.tsv", "post")])
def test_eval_tables_agree_on_every_pack_locale(tmp_path, name, mode):
    data = _rewritten(tmp_path, name)
    c = subprocess.run([CLI, "eval", "--mode", mode, "--json", str(data)], capture_output=True, timeout=120,
                       env={k: v for k, v in os.environ.items() if k != "SIGNPOST_PACK"})
    py = run_module("eval", "--mode", mode, "--json", str(data))
    assert c.returncode == py.returncode, (c.stderr, py.stderr)
    c_out, py_out = json.loads(c.stdout), json.loads(py.stdout)
    for key in ("items", "pass", "overall", "by_category", "by_language"):
        assert c_out[key] == py_out[key], key
    # Regions and case fold into the language: one row per pack language (and "-" for no locale).
    assert set(c_out["by_language"]) <= set(VARIANTS) | {"-"}
    assert "-" in c_out["by_language"]
