#!/usr/bin/env bash
# The hosts' paths, each beside its reference in the same run (docs/performance.md, "Hosts"):
#
#   1. the Python binding's single evaluate() call beside the C++ Engine::evaluate on the same
#      texts and pack (signpost-bench --profile texts), and evaluate_many on 1 and 2 threads;
#   2. `signpost scan --threads 1` beside `--threads 2` on the same file (wall and CPU time, and
#      the outputs compared byte for byte), with the fixed cost of loading the pack (the same
#      command on an empty input), two single-threaded scans at once (the machine's capacity for
#      the same job) and SHA-256 on 1 and 2 threads as the machine's ceiling;
#   3. signpost-server POST /v1/evaluate beside nginx serving a fixed body (bench/server/run.sh),
#      when the server is built and wrk and nginx are installed.
#
# Not a test: it prints figures and never fails on them. Each part is skipped, with a note, when
# what it needs is missing.
#
#   scripts/bench-hosts.sh                      # every part
#   PARTS="python scan" scripts/bench-hosts.sh
#
# Environment:
#   BUILD        the CMake build folder (default build): bench/signpost-bench, sdk/cli/signpost,
#                examples/server/signpost-server
#   PYTHON       a Python that can `import signpost` (default python3); PYTHONPATH is kept
#   PACK         the pack (default messages/people-smuggling)
#   TEXTS        texts for the single-call comparison (default tests/data/eval/dev-queries.tsv)
#   PASSES       passes over TEXTS for each single-call figure (default 200 for C++, 20 for Python;
#                each figure is the median over passes of the mean per call)
#   SCAN_LINES   lines of the scan input (default 200000: the texts repeated, as JSON lines)
#   ROUNDS, DURATION: passed to bench/server/run.sh (defaults 3 and 8s here)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD:-$root/build}"
python="${PYTHON:-python3}"
pack="${PACK:-$root/messages/people-smuggling}"
texts="${TEXTS:-$root/tests/data/eval/dev-queries.tsv}"
parts="${PARTS:-python scan server}"
scan_lines="${SCAN_LINES:-200000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "# bench-hosts $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ " $parts " == *" python "* ]]; then
  echo "## Python binding vs C++, same texts, same pack"
  bench="$build/bench/signpost-bench"
  if [[ ! -x "$bench" ]]; then
    echo "skipped: no $bench (build the signpost-bench target)"
  elif ! "$python" -c 'import signpost' 2>/dev/null; then
    echo "skipped: $python cannot import signpost (pip install ./python, or set PYTHON / PYTHONPATH)"
  else
    # C++ first and last, Python between: the load of the moment is shared.
    cpp() {
      "$bench" --profile texts --texts "$texts" --default-pack "$pack" --sizes 1000 --passes "${PASSES:-200}" 2>&1 |
        sed -n 's/.*median over passes \([0-9][0-9]*\) ns per call.*/\1/p'
    }
    c1="$(cpp)"
    "$python" "$root/bench/python/single_call.py" --texts "$texts" --pack "$pack" --passes "${PASSES:-20}" | tee "$work/py.txt"
    c2="$(cpp)"
    ev="$(sed -n 's/^evaluate_ns //p' "$work/py.txt")"
    loop="$(sed -n 's/^loop_ns //p' "$work/py.txt")"
    echo "cpp_evaluate_ns $c1 $c2"
    gil="$(sed -n 's/^evaluate_gil_ns //p' "$work/py.txt")"
    awk -v ev="$ev" -v gil="$gil" -v loop="$loop" -v a="$c1" -v b="$c2" 'BEGIN {
      c = (a + b) / 2
      printf "python_minus_cpp_ns %.0f (of which the Python loop itself: %.0f)\n", ev - c, loop
      if (gil != "") printf "python_minus_cpp_ns_gil_released %.0f (the GIL released on every call)\n", gil - c
    }'
  fi
fi

if [[ " $parts " == *" scan "* ]]; then
  echo "## signpost scan --threads 1 vs 2"
  cli="$build/sdk/cli/signpost"
  if [[ ! -x "$cli" ]]; then
    echo "skipped: no $cli (build the signpost-cli target)"
  else
    "$python" - "$texts" "$scan_lines" > "$work/in.jsonl" <<'PY'
import json, sys
pairs = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line and not line.startswith("#"):
        cols = line.split("\t")
        pairs.append((cols[-2] if len(cols) >= 2 else "", cols[-1]))
for i in range(int(sys.argv[2])):
    loc, t = pairs[i % len(pairs)]
    print(json.dumps({"id": i, "text": t, "locale": loc}, ensure_ascii=False))
PY
    : > "$work/empty.jsonl"
    # Each round: the fixed cost (loading the pack, on one thread, for an empty input), then 1 and
    # 2 threads, then the machine's own 2-thread ratio on a CPU-bound job (SHA-256 in Python,
    # which releases the GIL): the ceiling of the scan's ratio at this moment.
    for round in 1 2 3; do
      for n in 0 1 2; do
        input="$work/in.jsonl"; threads="$n"
        if [[ "$n" == 0 ]]; then input="$work/empty.jsonl"; threads=1; fi
        /usr/bin/time -f "threads $n round $round: wall %e s, cpu %U+%S s" \
          "$cli" scan --pack "$pack" --threads "$threads" --quiet "$input" > "$work/out-$n.jsonl"
      done 2>&1 | tee "$work/round.txt" | sed 's/^threads 0 /empty input (pack load) /'
      awk '/^threads/ { wall[$2] = $6 }
           END { if (wall[1] > wall[0] && wall[2] > wall[0])
                   printf "round: 2 threads vs 1 %.2fx overall, %.2fx without the pack load\n",
                          wall[1] / wall[2], (wall[1] - wall[0]) / (wall[2] - wall[0]) }' "$work/round.txt"
      # The machine's capacity for this very job: two --threads 1 processes at once. If they take
      # twice as long as one, no second core was free and no 2-thread figure can show a speed-up.
      start=$(date +%s%N)
      "$cli" scan --pack "$pack" --threads 1 --quiet "$work/in.jsonl" > /dev/null &
      "$cli" scan --pack "$pack" --threads 1 --quiet "$work/in.jsonl" > /dev/null
      wait
      awk -v ns=$(( $(date +%s%N) - start )) '/^threads 1 / { one = $6 }
           END { printf "round: two --threads 1 processes at once: %.2f s (%.2fx the time of one; 1.00x = two free cores)\n",
                        ns / 1e9, ns / 1e9 / one }' "$work/round.txt"
      "$python" - <<'PY'
import hashlib, time
from concurrent.futures import ThreadPoolExecutor
data = b"x" * (1 << 20)
def job(_):
    for _ in range(48):
        hashlib.sha256(data).digest()
def run(threads):
    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as ex:
        list(ex.map(job, range(2)))
    return time.perf_counter() - t0
print(f"round: SHA-256 2 threads vs 1 {run(1) / run(2):.2f}x (the machine's ceiling now)")
PY
    done
    if cmp -s "$work/out-1.jsonl" "$work/out-2.jsonl"; then echo "outputs identical ($(wc -l < "$work/out-1.jsonl") lines)"
    else echo "OUTPUTS DIFFER"; fi
  fi
fi

if [[ " $parts " == *" server "* ]]; then
  echo "## signpost-server vs nginx"
  if [[ ! -x "$build/examples/server/signpost-server" ]]; then
    echo "skipped: no $build/examples/server/signpost-server (build the signpost-server target)"
  elif ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    echo "skipped: needs wrk and nginx"
  else
    SIGNPOST_SERVER_BIN="$build/examples/server/signpost-server" SIGNPOST_PACK="$pack" \
      ROUNDS="${ROUNDS:-3}" DURATION="${DURATION:-8s}" "$root/bench/server/run.sh"
  fi
fi
