#!/usr/bin/env bash
# Publish-to-visible across replicas (issue #14): two release servers on one PostgreSQL
# database; a change is imported and approved from the command line (a third process, like a
# reviewer on another machine), and the time from the approval's commit (the `review`
# command's exit) to the new number on each replica's public page is measured, ROUNDS times.
#
#   bench/replicas.sh                       # PostgreSQL at 127.0.0.1:5432, user postgres
#   POSTGRES=postgres://user@host:5432 ROUNDS=20 bench/replicas.sh
set -euo pipefail
cd "$(dirname "$0")/.."
POSTGRES=${POSTGRES:-postgres://postgres@127.0.0.1:5432}
ROUNDS=${ROUNDS:-10}
cargo build --release --quiet
bin=./target/release/madoguchi
name="madoguchi_bench_$$"
psql "$POSTGRES/postgres" -qc "CREATE DATABASE $name"
export MADOGUCHI_DATABASE="$POSTGRES/$name"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$POSTGRES/postgres" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "bench-editor-pw" | $bin staff add editor --role editor >/dev/null 2>&1
echo "bench-reviewer-pw" | $bin staff add reviewer --role reviewer >/dev/null 2>&1
for port in 18101 18102; do
  RUST_LOG=warn $bin serve --listen "127.0.0.1:$port" --api-rate 0 2>/dev/null &
  pids+=($!)
done
for port in 18101 18102; do
  for _ in $(seq 500); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.01; done
done
$bin export --format toml "$work/data" >/dev/null 2>&1
file="$work/data/windows/childline.toml"
previous="0120-99-7777"
for round in $(seq "$ROUNDS"); do
  number="0120-99-$((7800 + round))"
  sed -i "s/$previous/$number/" "$file"
  previous=$number
  out=$($bin import "$work/data" --as editor --reason "bench $round")
  id=$(echo "$out" | sed -n 's/^proposal \([0-9]*\):.*/\1/p')
  $bin review "$id" --approve --as reviewer --reason "bench" >/dev/null
  python3 - "$number" <<'PY'
import sys, time, urllib.request
number, start = sys.argv[1], time.monotonic()
seen = {}
while len(seen) < 2 and time.monotonic() - start < 10:
    for port in (18101, 18102):
        if port in seen:
            continue
        body = urllib.request.urlopen(f"http://127.0.0.1:{port}/windows/childline").read().decode()
        if number in body:
            seen[port] = (time.monotonic() - start) * 1000
    time.sleep(0.002)
print(" ".join(f"{seen.get(p, float('nan')):.0f}" for p in (18101, 18102)))
PY
done | awk '{ for (i = 1; i <= NF; i++) { v[++n] = $i; if ($i > max) max = $i } print "round " NR ": replica A " $1 " ms, replica B " $2 " ms" }
  END { asort(v); printf "publish-to-visible over %d observations: median %s ms, max %s ms\n", n, v[int((n + 1) / 2)], max }'
