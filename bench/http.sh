#!/usr/bin/env bash
# HTTP throughput of the release binary with wrk, on SQLite and on PostgreSQL:
# the health check, the anonymous home page, and a signed-in page (session lookup + roles query).
# Usage: bench/http.sh [seconds-per-run]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/szpon-target}"
secs=${1:-10}
cargo build --release -q
bin="$CARGO_TARGET_DIR/release/szpon"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

run() { # backend database_url
  local name=$1 url=$2 tmp port pid jar token
  tmp=$(mktemp -d)
  port=$((18900 + RANDOM % 90))
  export SZPON_DATABASE_URL=$url SZPON_DATA_DIR=$tmp/data SZPON_BASE_URL=http://127.0.0.1:$port RUST_LOG=warn
  "$bin" migrate >/dev/null
  echo "bench password 1" | "$bin" user create --email bench@example.pl --name "Bench User" --org bench --role official --password-stdin >/dev/null
  "$bin" serve --bind 127.0.0.1:$port 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  jar=$tmp/jar
  curl -s -c "$jar" "http://127.0.0.1:$port/logowanie" >/dev/null
  token=$(awk '$6=="szpon_csrf"{print $7}' "$jar")
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=bench@example.pl" --data-urlencode "password=bench password 1" "http://127.0.0.1:$port/logowanie"
  local session
  session=$(awk '$6=="szpon_session"{print $7}' "$jar")
  [ -n "$session" ] || { echo "login failed" >&2; kill $pid; exit 1; }
  for target in "/healthz" "/" "/profil"; do
    local hdr=()
    [ "$target" = "/profil" ] && hdr=(-H "Cookie: szpon_session=$session; szpon_csrf=$token")
    [ "$target" = "/" ] && hdr=(-H "Cookie: szpon_csrf=$token")
    printf '%-9s %-9s ' "$name" "$target"
    wrk -t2 -c32 -d"${secs}s" --latency "${hdr[@]}" "http://127.0.0.1:$port$target" \
      | awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{bad=$NF} END{printf "%10s req/s  p50 %-8s p99 %-8s non-2xx %s\n", rps, p50, p99, (bad==""?0:bad)}'
  done
  kill -TERM $pid; wait $pid 2>/dev/null || true
  rm -rf "$tmp"
}

run sqlite "sqlite://$(mktemp -d)/bench.db"
db="szpon_bench_$$"
run postgres "postgres://postgres@127.0.0.1:5432/$db"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres 2>/dev/null || true
