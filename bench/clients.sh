#!/usr/bin/env bash
# 10,000 slow clients, then 10,000 idle keep-alive connections, against the release server
# (issue #13): /healthz and a search must keep answering within 100 ms, memory must stay
# under 64 MB, and SIGTERM must end the process within the grace period. The clients come
# from one address, so the per-address cap is turned off for the run, and the connection
# cap is raised above the number of clients (both are flags of `serve`).
#
#   bench/clients.sh                  # 10,000 clients, 20 s a phase
#   CLIENTS=2000 SECONDS_PER_PHASE=10 bench/clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-10000}
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-20}
PORT=${PORT:-18093}
cargo build --release --quiet
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "port $PORT is taken: stop what listens there, or set PORT" >&2
  exit 1
fi
ulimit -n "$(ulimit -Hn)"
./target/release/madoguchi serve --listen "127.0.0.1:$PORT" \
  --max-connections $((CLIENTS + 2000)) --max-connections-per-address 0 \
  --shutdown-grace 10 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 500); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.01; done
echo "madoguchi pid $pid, RSS at rest $(awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' /proc/$pid/status)"
python3 bench/clients.py "$pid" "$PORT" "$CLIENTS" "$SECONDS_PER_PHASE"
