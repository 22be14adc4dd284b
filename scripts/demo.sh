#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds signpost and runs the demo redirect server on the
# default pack. Open the printed address in a browser. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSIGNPOST_BUILD_TESTS=OFF -DSIGNPOST_BUILD_BENCH=OFF
cmake --build build --target signpost-server signpost-cli
listen="${SIGNPOST_LISTEN:-127.0.0.1:8080}"
echo
echo "signpost demo: open http://${listen}/ (try http://${listen}/search?q=boat+to+uk+price&hl=en)"
echo
exec build/examples/server/signpost-server --pack messages/people-smuggling --listen "$listen"
