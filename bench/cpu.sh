#!/usr/bin/env bash
# The server's CPU time per request under wrk (2 threads, 64 connections): less sensitive
# than requests per second to what else runs on the machine, so two builds can be compared
# (A/B) in one sitting. Prints µs of CPU (user + system) per request and the rate.
#
#   bench/cpu.sh ./target/release/madoguchi '/search?q=%E6%82%AA%E5%8F%A3'
#   bench/cpu.sh /tmp/old-madoguchi '/api/v1/triage?q=...' -H 'Accept-Encoding: gzip'
set -euo pipefail
bin=$1
path=$2
shift 2
PORT=${PORT:-18095}
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
  echo "port $PORT is taken: stop what listens there, or set PORT" >&2
  exit 1
fi
"$bin" serve --listen "127.0.0.1:$PORT" --api-rate 0 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 500); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.01; done
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # utime + stime, in clock ticks
wrk -t2 -c64 -d1s "http://127.0.0.1:$PORT$path" "$@" >/dev/null # warm up
before=$(cpu)
out=$(wrk -t2 -c64 -d"${DURATION:-4s}" "http://127.0.0.1:$PORT$path" "$@")
after=$(cpu)
echo "$out" | awk -v a="$before" -v b="$after" -v hz="$(getconf CLK_TCK)" '
  /requests in/ {n = $1} /Requests\/sec/ {rps = $2}
  END {printf "%.1f us/request  %d req/s\n", (b - a) / hz * 1e6 / n, rps}'
