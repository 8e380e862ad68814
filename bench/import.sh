#!/usr/bin/env bash
# Import benchmark: the Open edX demo course (../shared/olx/demo.tar.gz, 800 files, 16 MB)
# imported by the release binary into a fresh SQLite database (and data dir) each run.
# Goal (issue 3): under 0.3 s wall, under 100 MB peak memory.
# Usage: bench/import.sh [runs]   (needs hyperfine and GNU time: apt-get install hyperfine time)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/szpon-target}"
runs=${1:-10}
cargo build --release -q
bin="$CARGO_TARGET_DIR/release/szpon"
demo="$(cd ../shared/olx && pwd)/demo.tar.gz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RUST_LOG=warn

echo "== szpon import demo.tar.gz --json into a fresh SQLite database (includes process start and migrations)"
hyperfine --runs "$runs" --warmup 1 \
  --prepare "rm -rf $work/data" \
  "SZPON_DATA_DIR=$work/data $bin import $demo --json"

echo "== the same with the migrations already applied (import work only)"
hyperfine --runs "$runs" --warmup 1 \
  --prepare "rm -rf $work/data && SZPON_DATA_DIR=$work/data $bin migrate >/dev/null" \
  "SZPON_DATA_DIR=$work/data $bin import $demo --json"

echo "== peak memory (maximum resident set size)"
rm -rf "$work/data"
SZPON_DATA_DIR=$work/data /usr/bin/time -f "max RSS %M KiB, wall %e s" "$bin" import "$demo" --json >/dev/null
