#!/usr/bin/env bash
# Side by side with a static file server (issue #13): the release server and nginx (Debian
# package, installed when missing) serve the very same bytes — the home page, a results page
# and an /api/v1/triage answer, saved from madoguchi first — and wrk measures both in one
# run, without and with compression. Compressed, nginx is measured twice: serving
# pre-compressed .gz files (gzip_static, the strictest static case) and compressing as it
# sends (`gzip on` at its default level 1, how nginx compresses when nothing was prepared).
# Prints requests per second, p99 and madoguchi's share of nginx's rate.
#
#   bench/static.sh              # 8 s per run
#   DURATION=4s bench/static.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; }
DURATION=${DURATION:-8s}
PORT=${PORT:-18091}
NGINX_PORT=${NGINX_PORT:-18092}
NGINX_GZIP_PORT=${NGINX_GZIP_PORT:-18094}
cargo build --release --quiet
for port in "$PORT" "$NGINX_PORT" "$NGINX_GZIP_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port is taken: stop what listens there, or set PORT / NGINX_PORT" >&2
    exit 1
  fi
done
./target/release/madoguchi serve --listen "127.0.0.1:$PORT" --api-rate 0 2>/dev/null &
pid=$!
work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as nobody and must read the files
trap 'kill $pid 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
wait_for() { for _ in $(seq 500); do curl -sf "$1" >/dev/null && return; sleep 0.01; done; echo "no answer from $1" >&2; exit 1; }
wait_for "http://127.0.0.1:$PORT/readyz"

# The same bytes for nginx.
query='q=%E3%81%82%E3%82%8B%E3%81%93%E3%81%A8%E3%81%AA%E3%81%84%E3%81%93%E3%81%A8%E6%9B%B8%E3%81%8B%E3%82%8C%E3%81%9F'
mkdir -p "$work/root/api/v1"
curl -sf "http://127.0.0.1:$PORT/" -o "$work/root/index.html"
curl -sf "http://127.0.0.1:$PORT/search?$query" -o "$work/root/search.html"
curl -sf "http://127.0.0.1:$PORT/api/v1/triage?$query" -o "$work/root/api/v1/triage.json"
for f in "$work/root/index.html" "$work/root/search.html" "$work/root/api/v1/triage.json"; do
  gzip -9 -k "$f"
done
cat > "$work/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx.pid;
error_log /dev/null;
events { worker_connections 4096; }
http {
  access_log off;
  types { text/html html; application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/root;
    gzip_static on;
    location = / { try_files /index.html =404; }
    location = /search { try_files /search.html =404; }
    location = /api/v1/triage { default_type application/json; try_files /api/v1/triage.json =404; }
  }
  server {
    listen 127.0.0.1:$NGINX_GZIP_PORT;
    root $work/root;
    gzip on;
    gzip_types application/json;
    gzip_min_length 1024;
    location = / { try_files /index.html =404; }
    location = /search { try_files /search.html =404; }
    location = /api/v1/triage { default_type application/json; try_files /api/v1/triage.json =404; }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work"
wait_for "http://127.0.0.1:$NGINX_PORT/"

run() { # url [header] → "rps p99"
  local url=$1; shift
  wrk -t2 -c64 -d"$DURATION" --latency "$@" "$url" 2>/dev/null |
    awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} END {printf "%.0f %s", rps, p99}'
}
printf "%-38s %16s %16s %7s\n" "request" "madoguchi" "nginx" "ratio"
for path in "/" "/search?$query" "/api/v1/triage?$query"; do
  for enc in "" "gzip" "gzip-on-the-fly"; do
    header=()
    [ -n "$enc" ] && header=(-H "Accept-Encoding: gzip")
    nginx_port=$NGINX_PORT
    [ "$enc" = "gzip-on-the-fly" ] && nginx_port=$NGINX_GZIP_PORT
    ours=$(run "http://127.0.0.1:$PORT$path" "${header[@]}")
    theirs=$(run "http://127.0.0.1:$nginx_port$path" "${header[@]}")
    case $enc in
      "") name="${path%%\?*}" ;;
      gzip) name="${path%%\?*} (gzip; nginx .gz files)" ;;
      *) name="${path%%\?*} (gzip; nginx gzip on)" ;;
    esac
    awk -v n="$name" -v a="$ours" -v b="$theirs" 'BEGIN {
      split(a, x, " "); split(b, y, " ");
      printf "%-38s %9d %6s %9d %6s %6.2fx\n", n, x[1], x[2], y[1], y[2], x[1] / y[1] }'
  done
done
