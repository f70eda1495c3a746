#!/usr/bin/env bash
# Load benchmark (issue #7): starts the release server on the embedded data, then runs wrk
# against the home page, a results page, /api/v1/triage and the stylesheet, at 64 and 256
# connections for 30 s each, and prints requests per second, p50/p99 latency, errors and the
# server's resident memory before and after. Also measures start-up (spawn → /healthz).
#
#   bench/load.sh            # 30 s per run
#   DURATION=5s bench/load.sh
#
# The API rate limit is turned off (--api-rate 0): one load generator on one address would
# otherwise be throttled by design. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
DURATION=${DURATION:-30s}
PORT=${PORT:-18090}
cargo build --release --quiet
BASE="http://127.0.0.1:$PORT"

start_ns=$(date +%s%N)
./target/release/madoguchi serve --listen "127.0.0.1:$PORT" --api-rate 0 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "$BASE/healthz" >/dev/null; do sleep 0.002; done
ready_ns=$(date +%s%N)
echo "start-up: $(( (ready_ns - start_ns) / 1000000 )) ms from spawn to /healthz answering"

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }
echo "resident memory before: $(rss)"

css=$(curl -s "$BASE/" | grep -o '/static/style-[0-9a-f]*\.css' | head -1)
search="/search?q=%E3%83%8D%E3%83%83%E3%83%88%E3%81%A7%E6%82%AA%E5%8F%A3%E3%82%92%E6%9B%B8%E3%81%8B%E3%82%8C%E3%81%9F"
triage="/api/v1/triage?q=%E3%83%8D%E3%83%83%E3%83%88%E3%81%A7%E6%82%AA%E5%8F%A3%E3%82%92%E6%9B%B8%E3%81%8B%E3%82%8C%E3%81%9F"

printf '%-8s %-18s %12s %10s %10s %8s\n' conns target req/s p50 p99 errors
for conns in 64 256; do
  for target in "home|/" "results|$search" "api-triage|$triage" "static-css|$css"; do
    name=${target%%|*}; path=${target#*|}
    out=$(wrk -t2 -c"$conns" -d"$DURATION" --latency "$BASE$path")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
    sock=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out"); sock=${sock:-0}
    printf '%-8s %-18s %12s %10s %10s %8s\n' "$conns" "$name" "$rps" "$p50" "$p99" "$((non2xx + sock))"
  done
done
echo "resident memory after: $(rss)"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT
