#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang, ASan + UBSan, build-fuzz/) and runs each for
# SECONDS (default 30) from its committed seed corpus and dictionary, SIGNPOST_JOBS targets at a
# time (default: the number of CPUs). Fails on any crash, leak, timeout, out-of-memory or
# invariant failure; the input that did it is saved in
# build-fuzz/fuzz-out/<target>/ (crash-*, leak-*, timeout-*, oom-*) and its log is printed.
#
#   scripts/fuzz.sh [SECONDS]              every target
#   FUZZ_TARGETS="fuzz_evaluate" scripts/fuzz.sh 600
#
# The corpus grown by a run stays in build-fuzz/fuzz-out/<target>/corpus (never in the repo; add a
# new seed to tests/fuzz/corpus/ by hand when it covers something the seeds do not). The release
# procedure (docs/reliability.md, "Fuzzing") runs it for at least 600 seconds per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
jobs="${SIGNPOST_JOBS:-$(nproc)}"
build=build-fuzz
root="$PWD"
cxx="${SIGNPOST_FUZZ_CXX:-clang++-14}"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" -DSIGNPOST_FUZZ=ON \
  -DSIGNPOST_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_targets

targets="${FUZZ_TARGETS:-$(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')}"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
# One libFuzzer process is one thread: SIGNPOST_JOBS targets run at once, then their results are
# read in the targets' order.
run_target() {
  local t="$1" bin="$build/tests/fuzz/$1" out="$build/fuzz-out/$1"
  rm -rf "$out"
  mkdir -p "$out/corpus"
  local dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=(-dict="$root/tests/fuzz/dict/$t.dict")
  # -timeout: one input taking longer is a hang; -rss_limit_mb: a runaway allocation is a failure.
  local rc=0
  (cd "$out" && "$root/$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix=./ "${dict[@]}" corpus "$root/tests/fuzz/corpus/$t") >"$out/log" 2>&1 || rc=$?
  echo "$rc" >"$out/status"
}
list=()
for t in $targets; do
  if [ -x "$build/tests/fuzz/$t" ]; then list+=("$t"); else echo "$t: not built"; failed+=("$t"); fi
done
for ((i = 0; i < ${#list[@]}; i += jobs)); do
  for t in "${list[@]:i:jobs}"; do run_target "$t" & done
  wait
done
printf '%-20s %10s %8s %8s %8s %s\n' target runs exec/s cov ft result
for t in "${list[@]}"; do
  out="$build/fuzz-out/$t"
  status=$(cat "$out/status" 2>/dev/null || echo 1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$out/log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$out/log" | tail -1 | cut -d' ' -f2)
  if [ "$status" -ne 0 ] || ls "$out" | grep -qE '^(crash|leak|timeout|oom|slow-unit)-'; then
    result=FAIL
    failed+=("$t")
  else
    result=ok
  fi
  printf '%-20s %10s %8s %8s %8s %s\n' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$result"
  if [ "$result" = FAIL ]; then
    echo "---- $out/log (last 60 lines)"
    tail -n 60 "$out/log"
    echo "----"
  fi
done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "fuzzing failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: every target ran ${seconds}s without a finding"
