#!/usr/bin/env bash
# Soak test of signpost-server: the built server under wrk at 64 connections for SECONDS (default
# 60) with a mix of requests (scripts/soak.lua: risky, benign, invalid UTF-8, a body near the
# limit, redirect, search, /go), while pack reloads alternate between good and broken every few
# seconds through the admin listener, and floods of connections that never send a byte (more than
# the connection limit) come and go. See docs/reliability.md.
#
#   scripts/soak.sh            # 60 s, as in CI
#   scripts/soak.sh 600        # the 10-minute figure of docs/reliability.md
#   SOAK_RSS_LOG=rss.txt scripts/soak.sh   # also keep the memory samples (scripts/soak_memory.py)
#
# Fails (exit 1) on: any response to the wrk mix other than 2xx or 302, any wrk socket error
# (connect, read, write, timeout), a good reload not answered 204 or a broken one not answered
# 500, the pack changing on a broken reload, /healthz failing, the server not stopping cleanly,
# or resident memory setting a new high in the last quarter of the run more than 5% above its peak
# from a quarter to three quarters of the run (the first quarter is the warm-up), from the
# kernel's peak resident set (VmHWM) read and reset once a second, so no reload's brief peak is
# missed. scripts/soak_memory.py gives the verdict and says why those windows.
#
# Environment: SIGNPOST_SERVER_BIN (default build/examples/server/signpost-server), SIGNPOST_PACK
# (default messages/people-smuggling), SOAK_CONNECTIONS (64), SOAK_RELOAD_EVERY (3 s),
# SOAK_FLOOD (connections per flood, default 1100 against the limit of 1024), SOAK_FLOOD_EVERY
# (10 s), SOAK_MAX_GROWTH (0.05). Needs wrk, curl and python3.
# Each flood opens three quarters of its connections, then the rest 1.5 s later, when the first
# wave has been idle long enough (limits::evict_idle_after) to be closed to make room.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
bin="${SIGNPOST_SERVER_BIN:-$root/build/examples/server/signpost-server}"
pack_src="${SIGNPOST_PACK:-$root/messages/people-smuggling}"
connections="${SOAK_CONNECTIONS:-64}"
reload_every="${SOAK_RELOAD_EVERY:-3}"
flood="${SOAK_FLOOD:-1100}"
flood_every="${SOAK_FLOOD_EVERY:-10}"
max_growth="${SOAK_MAX_GROWTH:-0.05}"

[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 20 ]] || { echo "soak.sh: SECONDS must be a number >= 20" >&2; exit 2; }
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool not found (apt-get install -y wrk curl python3)" >&2; exit 2; }
done
[[ -x "$bin" ]] || { echo "soak.sh: no server binary at $bin (build the signpost-server target)" >&2; exit 2; }

# The flood and the server each need more descriptors than the usual soft limit of 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt $((flood + connections + 64)) ]]; then
  echo "soak.sh: ulimit -n is $(ulimit -n); lowering the flood to fit" >&2
  flood=$(( $(ulimit -n) - connections - 64 ))
fi

work="$(mktemp -d)"
server_pid=""
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$pack_src" "$work/pack"
token="soak-admin-token-$(date +%s)-$RANDOM$RANDOM"
echo "$token" > "$work/token"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port="$(free_port)"
admin_port="$(free_port)"
"$bin" --pack "$work/pack" --listen "127.0.0.1:$port" --admin-token-file "$work/token" \
  --admin-listen "127.0.0.1:$admin_port" --log-format off 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 200); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "soak.sh: the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"
echo "== soak: ${seconds}s, wrk at $connections connections, reloads every ${reload_every}s, floods of $flood idle connections every ${flood_every}s"

# Resident memory, once a second: "elapsed_seconds rss_kib peak_kib", where peak_kib is the peak
# resident set since the previous sample (VmHWM, reset after each reading through clear_refs), so
# the few tenths of a second a reload holds two packs are never missed. Without a resettable peak
# (clear_refs not writable) only rss_kib is kept.
(
  start=$(date +%s)
  resettable=0
  echo 5 2>/dev/null > "/proc/$server_pid/clear_refs" && resettable=1
  while kill -0 "$server_pid" 2>/dev/null; do
    read -r rss hwm < <(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r, h }' "/proc/$server_pid/status" 2>/dev/null || true)
    if [[ -n "${rss:-}" ]]; then
      if (( resettable )); then
        echo 5 2>/dev/null > "/proc/$server_pid/clear_refs" || true
        echo "$(( $(date +%s) - start )) $rss $hwm" >> "$work/rss"
      else
        echo "$(( $(date +%s) - start )) $rss" >> "$work/rss"
      fi
    fi
    sleep 1
  done
) &
pids+=($!)

# Reloads: good (204) and broken (500, the pack being served does not change), alternately.
(
  n=0
  end=$(( $(date +%s) + seconds - 2 ))
  while [[ $(date +%s) -lt $end ]]; do
    sleep "$reload_every"
    n=$((n + 1))
    if (( n % 2 == 0 )); then
      printf 'rules:\n  - id: Not An Id\n    category: nowhere\n' > "$work/pack/rules/zz-broken.yaml"
      want=500
    else
      rm -f "$work/pack/rules/zz-broken.yaml"
      want=204
    fi
    before=$(curl -fsS "$base/healthz" || echo healthz-failed)
    got=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
          -H 'Content-Length: 0' "http://127.0.0.1:$admin_port/admin/reload" || echo 000)
    after=$(curl -fsS "$base/healthz" || echo healthz-failed)
    echo "reload $n: want $want got $got" >> "$work/reloads"
    [[ "$got" == "$want" ]] || echo "reload $n: expected $want, got $got" >> "$work/failures"
    [[ "$before" != healthz-failed && "$after" != healthz-failed ]] || echo "reload $n: /healthz failed" >> "$work/failures"
    if [[ $want == 500 && "$before" != healthz-failed && "$before" != "$after" ]]; then
      echo "reload $n: a broken pack changed what is served" >> "$work/failures"
    fi
  done
) &
pids+=($!)

# Floods of connections that send nothing, held past the header timeout, more than the limit.
(
  python3 - "$port" "$flood" "$flood_every" "$seconds" >> "$work/floods" 2>&1 <<'EOF'
import socket, sys, time
port, count, every, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
end = time.monotonic() + seconds - 8
time.sleep(every / 2)
while time.monotonic() < end:
    held = []
    for wave in (count - count // 4, count // 4):
        for _ in range(wave):
            try:
                held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                pass
        # The second wave finds the server at its limit with the first one idle for 1.5 s: the
        # server closes idle ones (idle at least 1 s) to make room.
        time.sleep(1.5)
    print(f"flood: opened {len(held)}", flush=True)
    time.sleep(4.5)  # the server closes the rest at its header timeout (5 s)
    for s in held:
        s.close()
    time.sleep(max(0.0, every - 6))
EOF
) &
pids+=($!)

wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$root/scripts/soak.lua" "$base" > "$work/wrk" 2>&1 || true
for p in "${pids[@]:1}"; do wait "$p" 2>/dev/null || true; done

cat "$work/wrk"
metrics=$(curl -fsS "$base/metrics" || true)
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""

[[ -z "${SOAK_RSS_LOG:-}" ]] || cp "$work/rss" "$SOAK_RSS_LOG"
fail=0
failed() { echo "soak.sh: FAIL: $*" >&2; fail=1; }
[[ $status -eq 0 ]] || failed "the server exited with status $status on SIGTERM"
grep -q '^soak-lua: requests=[1-9]' "$work/wrk" || failed "wrk made no requests"
grep -q '^soak-lua: .* unexpected=0$' "$work/wrk" || failed "unexpected statuses: $(grep '^soak-lua' "$work/wrk")"
! grep -q 'Non-2xx or 3xx responses' "$work/wrk" || failed "$(grep 'Non-2xx' "$work/wrk")"
! grep -q 'Socket errors' "$work/wrk" || failed "$(grep 'Socket errors' "$work/wrk")"
[[ ! -s "$work/failures" ]] || failed "reloads: $(tr '\n' ';' < "$work/failures")"
reloads=$(grep -c . "$work/reloads" || true)
floods=$(grep -c '^flood: opened' "$work/floods" || true)
echo "reloads: $reloads ($(grep -c 'want 204' "$work/reloads" || true) good, $(grep -c 'want 500' "$work/reloads" || true) broken); floods: $floods ($(grep '^flood' "$work/floods" | sort | uniq -c | tr -s ' \n' ' '))"
echo "$metrics" | grep -E '^signpost_server_(connections_(evicted|rejected|timed_out)_total|reloads_total)' || true
(( reloads >= 2 )) || failed "fewer than 2 reloads were made"

# Memory: a new high in the last quarter (scripts/soak_memory.py).
python3 "$root/scripts/soak_memory.py" "$work/rss" "$seconds" "$max_growth" || failed "resident memory (above)"

if (( fail )); then exit 1; fi
echo "soak.sh: PASS"
