#!/usr/bin/env bash
# Load benchmark of signpost-server's POST /v1/evaluate beside nginx serving the same JSON body
# as a fixed response, on the same machine in the same run. Not a test: it prints figures and a
# ratio, and never fails on them.
#
#   bench/server/run.sh                      # 10 s per target, 64 connections
#   DURATION=30s CONNECTIONS=64 bench/server/run.sh
#
# Environment:
#   SIGNPOST_SERVER_BIN  server binary (default build/examples/server/signpost-server)
#   SIGNPOST_PACK        pack to serve (default messages/people-smuggling)
#   DURATION             wrk duration per target and round (default 10s); WARMUP (default 2s)
#   ROUNDS               rounds, alternating nginx and signpost-server (default 3); the best round
#                        of each is reported, which filters out bursts of load from other processes
#   CONNECTIONS          concurrent connections (default 64)
#   WRK_THREADS          wrk threads (default 2)
#   SERVER_THREADS       signpost-server --threads and nginx worker_processes (default: nproc)
# Besides req/s and latency, it reports the CPU time (user and system, from /proc) the answering
# processes spent per request: a figure that depends much less on the machine's load than req/s.
# Needs wrk, nginx, curl and python3 (Debian: apt-get install -y wrk nginx curl).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${SIGNPOST_SERVER_BIN:-$root/build/examples/server/signpost-server}"
pack="${SIGNPOST_PACK:-$root/messages/people-smuggling}"
duration="${DURATION:-10s}"
rounds="${ROUNDS:-3}"
warmup="${WARMUP:-2s}"
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
server_threads="${SERVER_THREADS:-$(nproc)}"
script="$root/bench/server/evaluate.lua"

for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (apt-get install -y wrk nginx curl)" >&2; exit 2; }
done
[[ -x "$bin" ]] || { echo "run.sh: no server binary at $bin (build the signpost-server target)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
nginx_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_for() {  # URL
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "run.sh: $1 did not come up" >&2
  exit 1
}

# signpost-server, quiet (request logs off) so both sides do the same work per request.
server_port="$(free_port)"
"$bin" --pack "$pack" --listen "127.0.0.1:$server_port" --threads "$server_threads" --log-format off \
  2>"$work/server.log" &
server_pid=$!
wait_for "http://127.0.0.1:$server_port/healthz"

# The exact bytes the server answers, served by nginx as a fixed response.
body_text="$(python3 -c 'import re,sys; print(re.search(r"wrk.body = (.*)", open(sys.argv[1]).read()).group(1).strip("\x27"))' "$script")"
curl -fsS -X POST -H 'Content-Type: application/json' --data "$body_text" \
  "http://127.0.0.1:$server_port/v1/evaluate" >"$work/decision.json"
python3 - "$work/decision.json" "$work/return.conf" <<'PY'
import sys
body = open(sys.argv[1], encoding="utf-8").read().rstrip("\n")
assert "$" not in body, "the body would need nginx variable escaping"
escaped = body.replace("\\", "\\\\").replace('"', '\\"')
open(sys.argv[2], "w", encoding="utf-8").write(f'return 200 "{escaped}\\n";\n')
PY

nginx_port="$(free_port)"
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes $server_threads;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location = /v1/evaluate {
      default_type application/json;
      include $work/return.conf;
    }
    location = /healthz { return 200 "ok\n"; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
wait_for "http://127.0.0.1:$nginx_port/healthz"

# CPU ticks (user, system) of the processes that answer: the server, or nginx's workers.
cpu_ticks() {  # PID...
  local u=0 s=0 a b
  for p in "$@"; do
    read -r a b < <(awk '{print $14, $15}' "/proc/$p/stat")
    u=$((u + a)); s=$((s + b))
  done
  echo "$u $s"
}

run_wrk() {  # NAME PORT ROUND PID...
  local name="$1" port="$2" round="$3"
  shift 3
  wrk -t"$wrk_threads" -c"$connections" -d"$warmup" -s "$script" "http://127.0.0.1:$port/v1/evaluate" >/dev/null
  local before after
  before="$(cpu_ticks "$@")"
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s "$script" "http://127.0.0.1:$port/v1/evaluate" \
    >"$work/$name.$round.txt"
  after="$(cpu_ticks "$@")"
  echo "$before $after $(getconf CLK_TCK)" >"$work/$name.$round.cpu"
}

echo "signpost-server $("$bin" --version | awk '{print $2}') vs $(nginx -v 2>&1 | sed 's/.*: //'), $connections connections," \
  "$duration x $rounds rounds each, $(nproc) cores, server threads/nginx workers: $server_threads," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
mapfile -t nginx_workers < <(pgrep -P "$nginx_pid")
for round in $(seq 1 "$rounds"); do
  run_wrk nginx "$nginx_port" "$round" "${nginx_workers[@]}"
  run_wrk signpost "$server_port" "$round" "$server_pid"
done

python3 - "$work" "$rounds" <<'PY'
import re, sys
work, rounds = sys.argv[1], int(sys.argv[2])

def parse_file(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def lat(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    total = int(re.search(r"(\d+) requests in", text).group(1))
    # CPU time of the answering processes over the measured run, per request.
    u0, s0, u1, s1, hz = map(int, open(path[:-4] + ".cpu").read().split())
    user = (u1 - u0) / hz / total * 1e6 if total else 0.0
    system = (s1 - s0) / hz / total * 1e6 if total else 0.0
    return dict(rps=rps, p50=lat(50), p99=lat(99), errors=errors, total=total, user=user, system=system)

def parse(name):
    runs = [parse_file(f"{work}/{name}.{r}.txt") for r in range(1, rounds + 1)]
    print(f"{name}: req/s per round: " + ", ".join(f"{r['rps']:.0f}" for r in runs))
    best = max(runs, key=lambda r: r["rps"])
    best["errors"] = sum(r["errors"] for r in runs)  # errors count over every round
    best["runs"] = runs
    return best

n, s = parse("nginx"), parse("signpost")
# Rounds run back to back, so a round of each shares the machine's load of the moment: the median
# of the per-round ratios is the steadier figure on a shared machine.
paired = sorted(b["rps"] / a["rps"] for a, b in zip(n["runs"], s["runs"]))
median = paired[len(paired) // 2] if len(paired) % 2 else (paired[len(paired) // 2 - 1] + paired[len(paired) // 2]) / 2
print("per-round ratios: " + ", ".join(f"{r:.2f}" for r in paired) + f" (median {median:.2f})")
print()
print(f"| target | requests | req/s | p50 (ms) | p99 (ms) | errors | CPU µs per request (user + system, median of rounds) |")
print(f"| --- | ---: | ---: | ---: | ---: | ---: | --- |")
def med(values):
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2

for name, r in (("nginx, fixed JSON body", n), ("signpost-server POST /v1/evaluate", s)):
    user = r["cpu_user"] = med(x["user"] for x in r["runs"])
    system = r["cpu_system"] = med(x["system"] for x in r["runs"])
    print(f"| {name} | {r['total']} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
          f"{user:.2f} + {system:.2f} = {user + system:.2f} |")
ratio = s["rps"] / n["rps"]
print()
print(f"CPU per request: signpost-server {s['cpu_user'] + s['cpu_system']:.2f} µs, nginx "
      f"{n['cpu_user'] + n['cpu_system']:.2f} µs (nginx/signpost "
      f"{(n['cpu_user'] + n['cpu_system']) / (s['cpu_user'] + s['cpu_system']):.2f})")
print(f"ratio signpost/nginx req/s, best rounds: {ratio:.2f}; median of rounds: {median:.2f} "
      f"(goal >= 0.75 with 0 errors, issue 12: {'met' if median >= 0.75 and s['errors'] == 0 else 'not met'})")
PY
