#!/usr/bin/env bash
# Instructions signpost-server spends per POST /v1/evaluate request, by stage, counted with
# callgrind: the same count on every run whatever the machine's load (docs/performance.md, Server).
# Not a test: it prints figures and never fails on them.
#
#   bench/server/instructions.sh                 # 2,000 requests after 200 to warm up
#   REQUESTS=5000 bench/server/instructions.sh
#
# The server runs under valgrind on one I/O thread; a client sends the bench's request
# (bench/server/evaluate.lua) on one keep-alive connection, one at a time. Counters are zeroed
# after the warm-up and dumped after the measured requests, so start-up and the pack's load are
# not counted.
#
# Environment:
#   SIGNPOST_SERVER_BIN  server binary (default build/examples/server/signpost-server)
#   SIGNPOST_PACK        pack to serve (default messages/people-smuggling)
#   REQUESTS, WARMUP     measured and warm-up requests (default 2000 and 200)
# Needs valgrind (callgrind_control, callgrind_annotate), curl and python3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${SIGNPOST_SERVER_BIN:-$root/build/examples/server/signpost-server}"
pack="${SIGNPOST_PACK:-$root/messages/people-smuggling}"
requests="${REQUESTS:-2000}"
warmup="${WARMUP:-200}"
script="$root/bench/server/evaluate.lua"

for tool in valgrind callgrind_control callgrind_annotate curl python3; do
  command -v "$tool" >/dev/null || { echo "instructions.sh: $tool not found (apt-get install -y valgrind curl)" >&2; exit 2; }
done
[[ -x "$bin" ]] || { echo "instructions.sh: no server binary at $bin (build the signpost-server target)" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
  "$bin" --pack "$pack" --listen "127.0.0.1:$port" --threads 1 --log-format off 2>"$work/server.log" &
pid=$!
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

body="$(python3 -c 'import re,sys; print(re.search(r"wrk.body = (.*)", open(sys.argv[1]).read()).group(1).strip("\x27"))' "$script")"

# One keep-alive connection, one request at a time; every answer must be 200.
client() {  # COUNT
  python3 - "$port" "$1" "$body" <<'PY'
import socket, sys
port, count, body = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode()
req = (b"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
       b"Content-Length: %d\r\n\r\n" % len(body)) + body
with socket.create_connection(("127.0.0.1", port)) as s:
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b""
    for _ in range(count):
        s.sendall(req)
        while b"\r\n\r\n" not in buf:
            buf += s.recv(65536)
        head, buf = buf.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 200"), head[:40]
        length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:"))
        while len(buf) < length:
            buf += s.recv(65536)
        buf = buf[length:]
PY
}

client "$warmup"
callgrind_control -z "$pid" >/dev/null 2>&1
client "$requests"
callgrind_control -d "$pid" >/dev/null 2>&1
kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
pid=""

dump="$(ls "$work"/cg.out.* | head -1)"
callgrind_annotate --inclusive=yes "$dump" >"$work/annotated.txt" 2>/dev/null
python3 - "$work/annotated.txt" "$requests" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
n = int(sys.argv[2])
total = int(re.search(r"^\s*([\d,]+).*PROGRAM TOTALS", text, re.M).group(1).replace(",", ""))

def inclusive(fragment):
    # The first (largest) inclusive count of a function whose name contains `fragment`.
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+) \([ \d.]+%\)\s+(.*)$", line)
        if m and fragment in m.group(2) and "'2" not in m.group(2):
            return int(m.group(1).replace(",", ""))
    return 0

stages = [
    ("Engine::evaluate (the engine)", inclusive("signpost::Engine::evaluate(")),
    # The free writer (signpost::append_json), or the engine's (Engine::append_json) in builds
    # that render the pack's cards at load; a build calls one or the other per request.
    ("decision JSON (append_json)",
     inclusive("signpost::append_json(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&, signpost::Decision const&")
     + inclusive("signpost::Engine::append_json(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&, signpost::Decision const&")),
]
own = total - sum(v for _, v in stages)
print(f"signpost-server, {n} POST /v1/evaluate requests, instructions per request (callgrind, inclusive):")
print()
print("| stage | instructions |")
print("| --- | ---: |")
for name, v in stages:
    print(f"| {name} | {v / n:,.0f} |")
print(f"| the server's own work (all the rest) | {own / n:,.0f} |")
print(f"| **total** | **{total / n:,.0f}** |")
print()
print("Within the server's own work:")
print()
print("| function (inclusive) | instructions |")
print("| --- | ---: |")
for name, fragment in (
    ("Beast's parser (basic_parser::put)", "basic_parser<true>::put(boost::asio::const_buffer"),
    ("framing checks (check_header_block)", "signpost::server::check_header_block("),
    ("JSON request (parse_body, Boost.JSON)", "parse_body("),
    ("flood guard (ServerFloodGuard::guard)", "ServerFloodGuard::guard(signpost::Decision&)"),
    ("decision counters (MetricsRecorder::record)", "MetricsRecorder::record(signpost::Decision const&)"),
    ("response serialization (serialize)", "signpost::server::serialize("),
    ("queueing and writing the response (Session::enqueue)", "Session::enqueue("),
):
    print(f"| {name} | {inclusive(fragment) / n:,.0f} |")
PY
