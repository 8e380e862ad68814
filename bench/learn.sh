#!/usr/bin/env bash
# Learning throughput of the release binary on SQLite (issue 4 goals):
#  1. a unit page of the demo course for a signed-in, enrolled learner (wrk -t2 -c64);
#  2. problem submissions (grade + persist + course grade recompute) to a multiple-choice
#     problem, each request a different learner so every one is a real attempt (wrk + Lua);
#  3. formula grading alone, in process (`szpon capa grade` over many lines).
# Usage: bench/learn.sh [seconds-per-run] [sqlite|postgres]   (needs wrk; SQLite by default)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/szpon-target}"
secs=${1:-10}
backend=${2:-sqlite}
cargo build --release -q
bin="$CARGO_TARGET_DIR/release/szpon"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

tmp=$(mktemp -d)
port=$((18800 + RANDOM % 90))
base="http://127.0.0.1:$port"
# 200 anonymous learners come from one address: lift the per-IP limit on new learner ids.
if [ "$backend" = postgres ]; then
  pgdb="szpon_bench_learn_$$"
  url="postgres://postgres@127.0.0.1:5432/$pgdb"
else
  url="sqlite://$tmp/bench.db"
fi
export SZPON_DATABASE_URL="$url" SZPON_DATA_DIR=$tmp/data SZPON_BASE_URL=$base RUST_LOG=warn SZPON_RATE_REGISTER_PER_IP=100000
"$bin" migrate >/dev/null
key=$("$bin" import ../shared/olx/demo.tar.gz --json --visibility public | sed -E 's/.*"course_key":"([^"]+)".*/\1/')
echo "bench password 1" | "$bin" user create --email bench@example.pl --name "Bench User" --password-stdin >/dev/null
"$bin" serve --bind 127.0.0.1:$port --no-demo 2>/dev/null &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; sleep 0.5; rm -rf "$tmp"; [ -z "${pgdb:-}" ] || psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" postgres 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.1; done
jar=$tmp/jar
curl -s -c "$jar" "$base/logowanie" >/dev/null
token=$(awk '$6=="szpon_csrf"{print $7}' "$jar")
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf_token=$token" \
  --data-urlencode "email=bench@example.pl" --data-urlencode "password=bench password 1" "$base/logowanie"
session=$(awk '$6=="szpon_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "login failed" >&2; exit 1; }
cookie="szpon_session=$session; szpon_csrf=$token"

# The first unit with a problem in it (it also has html around it).
unit=""
for u in $(curl -s -b "$cookie" "$base/kursy/$key/nauka" | grep -o "/nauka/[0-9a-f]*" | sed "s|^|/kursy/$key|"); do
  if curl -s -b "$cookie" "$base$u" | grep -q "capa-form"; then unit=$u; break; fi
done
[ -n "$unit" ] || { echo "no unit with a problem found" >&2; curl -s -i -b "$cookie" "$base/kursy/$key/nauka" | head -20 >&2; exit 1; }
curl -s -o /dev/null -w "unit page %{http_code} %{size_download} bytes: $unit\n" -b "$cookie" "$base$unit"
printf 'unit page (signed in)         '
wrk -t2 -c64 -d"${secs}s" --latency -H "Cookie: $cookie" "$base$unit" \
  | awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{bad=$NF} END{printf "%10s req/s  p50 %-8s p99 %-8s non-2xx %s\n", rps, p50, p99, (bad==""?0:bad)}'

# The same page once the learner has answered its problem (rendered with their state).
p1=$(curl -s -b "$cookie" "$base$unit" | grep -o "/problem/[0-9a-f]*" | head -1)
curl -s -o /dev/null -b "$cookie" -H "Origin: $base" --data "csrf_token=$token&action=check&input_${p1##*/}_2_1=choice_0" "$base/kursy/$key$p1"
printf 'unit page (answered problem)  '
wrk -t2 -c64 -d"${secs}s" --latency -H "Cookie: $cookie" "$base$unit" \
  | awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{bad=$NF} END{printf "%10s req/s  p50 %-8s p99 %-8s non-2xx %s\n", rps, p50, p99, (bad==""?0:bad)}'

# Problem submissions by 200 anonymous learners (a cookie each, taken in turn): every request
# grades, stores the answer and recomputes that learner's course grade in one transaction.
problem=$(curl -s -b "$cookie" "$base$unit" | grep -o "/problem/[0-9a-f]*" | head -1 | sed "s|^|/kursy/$key|")
pid_=${problem##*/}
: > "$tmp/learners"
for i in $(seq 200); do
  curl -s -c "$tmp/l$i" -b "szpon_csrf=$token" -H "Origin: $base" -o /dev/null \
    --data "csrf_token=$token" "$base/kursy/$key/bez-konta"
  awk '$6=="szpon_learner"{print $7}' "$tmp/l$i" >> "$tmp/learners"
done
{
  echo 'local learners = {'
  sed 's/.*/  "&",/' "$tmp/learners"
  echo '}'
  cat <<LUA
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$base"
wrk.body = "csrf_token=$token&action=check&input_${pid_}_2_1=choice_0"
request = function()
  n = n + 1
  local h = wrk.headers
  h["Cookie"] = "szpon_csrf=$token; szpon_learner=" .. learners[(n % #learners) + 1]
  return wrk.format(nil, nil, h)
end
LUA
} > "$tmp/submit.lua"
printf 'problem submit (200 learners) '
wrk -t2 -c16 -d"${secs}s" --latency -s "$tmp/submit.lua" "$base$problem" \
  | awk '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} /Non-2xx/{bad=$NF} END{printf "%10s req/s  p50 %-8s p99 %-8s non-2xx %s\n", rps, p50, p99, (bad==""?0:bad)}'
curl -s -b "szpon_csrf=$token; szpon_learner=$(head -1 "$tmp/learners")" -H "Accept: application/json" -H "Origin: $base" \
  --data "csrf_token=$token&action=check&input_${pid_}_2_1=choice_0" "$base$problem" | grep -o '"attempts":[0-9]*,"earned":[0-9.]*' || true

# Formula grading in process: 20,000 lines through `szpon capa grade`.
python3 - "$tmp/formula.jsonl" <<'PY'
import json, sys
xml = ('<problem><formularesponse type="ci" samples="x,y@1,1:10,10#20" answer="x^2+2*x*y+y^2">'
       '<responseparam type="tolerance" default="0.00001"/><textline/></formularesponse></problem>')
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write(json.dumps({"xml": xml, "answers": {"1_2_1": "(x+y)^2" if i % 2 else "x^2+y^2"}, "seed": 1, "problem_id": "1"}) + "\n")
PY
start=$(date +%s%N)
"$bin" capa grade < "$tmp/formula.jsonl" > "$tmp/formula.out"
end=$(date +%s%N)
lines=$(wc -l < "$tmp/formula.out")
awk -v n="$lines" -v ns=$((end-start)) 'BEGIN{printf "formula grading               %d problems in %.0f ms: %.3f ms each (parse + 20 samples + JSON)\n", n, ns/1e6, ns/1e6/n}'
grep -c '"correct"' "$tmp/formula.out" | xargs echo "  correct answers:"
