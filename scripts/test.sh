#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every test: the C++ suite (ctest: unit tests, public
# headers, README quick start, the installed package used by a consumer project, the default
# pack's quality gates, the server), the same suite again under AddressSanitizer and
# UndefinedBehaviorSanitizer, then the Python package and the end-to-end tests (pytest), then the
# clang build with its tests and every fuzz target for 30 s (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SIGNPOST_WITH_BROWSER=1 scripts/setup-debian.sh
jobs="${SIGNPOST_JOBS:-$(nproc)}"

echo "== build and test (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSIGNPOST_SANITIZE=ON -DSIGNPOST_BUILD_BENCH=OFF
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -E 'consumer_|server_load'

echo "== Python package and end-to-end tests"
.venv/bin/python -m pip install -q ./python
export SIGNPOST_CLI="$PWD/build/sdk/cli/signpost"
export SIGNPOST_SERVER_BIN="$PWD/build/examples/server/signpost-server"
export SIGNPOST_PACK="$PWD/messages/people-smuggling"
.venv/bin/python -m pytest -q tests/python tests/cli tests/server tests/privacy

echo "== clang build, tests and fuzzing (libFuzzer + ASan + UBSan, 30 s per target)"
# The clang configuration of the CI: the whole project built by clang 14 with libstdc++, its unit
# tests run, then every fuzz target for 30 seconds (scripts/fuzz.sh; docs/reliability.md).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DSIGNPOST_FUZZ=ON -DSIGNPOST_BUILD_BENCH=OFF
cmake --build build-fuzz -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-fuzz --output-on-failure -j "$jobs" -E 'consumer_|server_load|public_headers'
SIGNPOST_JOBS="$jobs" scripts/fuzz.sh 30
