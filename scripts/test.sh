#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every test: the C++ suite (ctest: unit tests, public
# headers, README quick start, the installed package used by a consumer project, the default
# pack's quality gates, the server), the threads tests under ThreadSanitizer, the Python package
# and the end-to-end tests (pytest), a 90-second soak of the server (scripts/soak.sh), then the
# clang configuration: the same suite again under AddressSanitizer and UndefinedBehaviorSanitizer
# (with libFuzzer instrumentation) and every fuzz target for 10 seconds (scripts/fuzz.sh). Each
# stage prints the time it starts (UTC). The sanitizer builds use -O1 with line tables only: less compile time
# than -O2 -g (one heavy file measured: 15.3 s -> 10.3 s), and reports still name file and line.
set -euo pipefail
cd "$(dirname "$0")/.."
stage() { echo "== $(date -u +%H:%M:%S) $*"; }
SIGNPOST_WITH_BROWSER=1 scripts/setup-debian.sh
jobs="${SIGNPOST_JOBS:-$(nproc)}"

stage "build and test (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

stage "ThreadSanitizer: threads sharing an engine, a recorder and the server's handler, reloads under load"
# Only the tests that run threads (a whole TSan suite would double the CI time for no extra cover).
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DCMAKE_UNITY_BUILD=ON -DSIGNPOST_SANITIZE=thread \
  -DSIGNPOST_BUILD_BENCH=OFF -DSIGNPOST_BUILD_TOOLS=ON -DSIGNPOST_BUILD_CLI=OFF -DSIGNPOST_INSTALL=OFF
cmake --build build-tsan -j "$jobs" --target signpost_thread_tests signpost_server_thread_tests
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
SIGNPOST_PACK="$PWD/messages/people-smuggling" build-tsan/tests/signpost_thread_tests --test-case='*thread*'
SIGNPOST_PACK="$PWD/messages/people-smuggling" build-tsan/tests/server/signpost_server_thread_tests --test-suite=threads
unset TSAN_OPTIONS

stage "Python package and end-to-end tests"
# The sdist, a wheel built from it alone, and that wheel made self-contained by auditwheel; the
# tests run against the installed wheel (tests/python/test_dist.py inspects both files).
PYTHON="$PWD/.venv/bin/python" python/tools/build-dist.sh build/python-dist >/dev/null
.venv/bin/python -m pip install -q --force-reinstall --no-deps build/python-dist/signpost-*manylinux*.whl
export SIGNPOST_DIST="$PWD/build/python-dist"
export SIGNPOST_CLI="$PWD/build/sdk/cli/signpost"
export SIGNPOST_SERVER_BIN="$PWD/build/examples/server/signpost-server"
export SIGNPOST_PACK="$PWD/messages/people-smuggling"
.venv/bin/python -m pytest -q tests/python tests/cli tests/server tests/privacy tests/docs

stage "soak: the server under wrk with reloads and idle floods (90 s)"
SIGNPOST_SERVER_BIN="$PWD/build/examples/server/signpost-server" scripts/soak.sh 90   # longer than the 60 s default: the allocator settles before the last quarter

stage "clang build: the suite under AddressSanitizer + UndefinedBehaviorSanitizer, then fuzzing (10 s per target)"
# The clang configuration of the CI: the whole project built by clang 14 with libstdc++, its unit
# tests run (the corpus quality gates are left to the release build above, the server's thread
# tests to ThreadSanitizer: each of their pack reloads costs seconds under ASan), then every fuzz target
# for 10 seconds (scripts/fuzz.sh; docs/reliability.md; the release procedure runs 600 s each).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_UNITY_BUILD=ON \
  -DSIGNPOST_FUZZ=ON -DSIGNPOST_BUILD_BENCH=OFF
cmake --build build-fuzz -j "$jobs" --target signpost_tests signpost_server_tests signpost-cli readme_quickstart fuzz_targets
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-fuzz --output-on-failure -j "$jobs" -E 'consumer_|public_headers|server_threads'
SIGNPOST_JOBS="$jobs" scripts/fuzz.sh 10
stage "done"
