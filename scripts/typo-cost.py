#!/usr/bin/env python3
"""What one-edit typo tolerance costs and brings, for a pack and labelled files.

For each min_length, copies the pack, turns on `typos: 1` with that `min_length` on a set of
lexicons, and runs `signpost eval` on every labelled file given, and on a copy of each in which the
risky (R) items have one typo (the two middle letters of their longest ASCII word swapped). Prints
one table: risky items caught, benign items flagged, help items warned.

  scripts/typo-cost.py --signpost build/sdk/cli/signpost --pack messages/people-smuggling \\
      [--lexicons rules|all] FILE.jsonl|FILE.tsv ...

--lexicons rules (default): the lexicons rules name in any / all / near and that no context and no
`none` names; positive: every lexicon a rule names in any / all / near, even if a context or a
`none` also names it; all: every lexicon (stance and context lexicons at one edit cancel true
detections).
Needs PyYAML. Prints only counts, never the items.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml


def pack_lexicon_roles(pack):
    """Lexicon ids named positively by rules, and those named by contexts or `none`."""
    positive, stance = set(), set()
    for root, _, files in os.walk(pack):
        for name in files:
            if not name.endswith(".yaml") or name == "pack.yaml" or "/corpus" in root:
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                doc = yaml.safe_load(f) or {}
            for rule in doc.get("rules", []) or []:
                for key in ("any", "all"):
                    positive.update(rule.get(key, []) or [])
                for group in rule.get("near", []) or []:
                    positive.update(group.get("of", []) or [])
                stance.update(rule.get("none", []) or [])
            for ctx in doc.get("contexts", []) or []:
                for key in ("any", "all", "none"):
                    stance.update(ctx.get(key, []) or [])
                for group in ctx.get("near", []) or []:
                    stance.update(group.get("of", []) or [])
    return positive, stance


def with_typos(pack, out, lexicons, min_length):
    """Copies the pack to `out`, adding typos: 1 and min_length to the chosen lexicons."""
    shutil.copytree(pack, out, ignore=shutil.ignore_patterns("corpus"))
    pattern = re.compile(r"^(\s*)- id: ([a-z0-9][a-z0-9_.-]*)\s*$")
    for root, _, files in os.walk(out):
        for name in files:
            if not name.endswith(".yaml"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            in_lexicons, changed, result = False, False, []
            for line in lines:
                if re.match(r"^lexicons:\s*$", line):
                    in_lexicons = True
                elif re.match(r"^[a-z]", line):
                    in_lexicons = False
                result.append(line)
                m = pattern.match(line)
                if in_lexicons and m and m.group(2) in lexicons:
                    indent = m.group(1) + "  "
                    result += [f"{indent}typos: 1", f"{indent}min_length: {min_length}"]
                    changed = True
            if changed:
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(result))


def read_items(path):
    items = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            if path.endswith(".jsonl"):
                d = json.loads(line)
                items.append({"label": d["label"], "locale": d.get("locale", ""), "text": d["text"]})
            else:
                label, locale, text = line.rstrip("\n").split("\t", 2)
                items.append({"label": label, "locale": locale, "text": text})
    return items


def typoed(text):
    """The two middle letters of the longest ASCII word (6 letters or more) swapped, else None."""
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) >= 6]
    if not words:
        return None
    w = max(words, key=len)
    k = len(w) // 2
    return text.replace(w, w[: k - 1] + w[k] + w[k - 1] + w[k + 1 :], 1)


def evaluate(signpost, pack, path, mode):
    out = subprocess.run([signpost, "eval", "--pack", pack, "--mode", mode, "--json", path],
                         capture_output=True, text=True, check=False)
    if out.returncode == 2:
        sys.exit(f"signpost eval failed on {path}:\n{out.stderr}")
    o = json.loads(out.stdout)["overall"]
    return o["risky_caught"], o["risky"], o["benign_flagged"], o["benign"], o["help_warned"], o["help"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--signpost", required=True)
    ap.add_argument("--pack", required=True)
    ap.add_argument("--lexicons", choices=["rules", "positive", "all"], default="rules")
    ap.add_argument("--min-lengths", default="0,8,7,6,5,4", help="0 = typos off")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()

    positive, stance = pack_lexicon_roles(a.pack)
    if a.lexicons == "rules":
        chosen = positive - stance
    elif a.lexicons == "positive":
        chosen = positive
    else:
        chosen = positive | stance | {"*"}
    with tempfile.TemporaryDirectory() as tmp:
        sets = []
        for path in a.files:
            mode = "post" if os.path.basename(path).startswith(("posts", "dev-posts")) else "query"
            items = read_items(path)
            typo_path = os.path.join(tmp, "typo-" + os.path.basename(path).replace(".tsv", ".jsonl"))
            with open(typo_path, "w", encoding="utf-8") as f:
                for it in items:
                    t = typoed(it["text"]) if it["label"] == "R" else None
                    if t:
                        f.write(json.dumps({"label": "R", "locale": it["locale"], "text": t}, ensure_ascii=False) + "\n")
            sets.append((os.path.basename(path), path, typo_path, mode))
        print(f"lexicons with typos: {a.lexicons} ({'all' if '*' in chosen else len(chosen)})")
        print("min_length | R caught | A flagged | H warned | typo'd R caught")
        for n in [int(x) for x in a.min_lengths.split(",")]:
            pack = a.pack
            if n:
                pack = os.path.join(tmp, f"pack-{n}")
                lexicons = chosen
                if "*" in chosen:
                    lexicons = set()
                    for root, _, files in os.walk(a.pack):
                        for name in files:
                            if name.endswith(".yaml"):
                                with open(os.path.join(root, name), encoding="utf-8") as f:
                                    for lex in (yaml.safe_load(f) or {}).get("lexicons", []) or []:
                                        lexicons.add(lex["id"])
                with_typos(a.pack, pack, lexicons, n)
            tot = [0] * 8
            for _, path, typo_path, mode in sets:
                r = evaluate(a.signpost, pack, path, mode)
                t = evaluate(a.signpost, pack, typo_path, mode)
                tot = [x + y for x, y in zip(tot, list(r) + list(t[:2]))]
            label = "off" if n == 0 else str(n)
            print(f"{label:>10} | {tot[0]}/{tot[1]} | {tot[2]}/{tot[3]} | {tot[4]}/{tot[5]} | {tot[6]}/{tot[7]}")


if __name__ == "__main__":
    main()
