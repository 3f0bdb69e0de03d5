#!/usr/bin/env bash
# Benchmark of `slac whatif`: a 15-value target sweep against one `slac eval` of the same
# SLA on the same data, in the same run (best of 3 each). The sweep judges one
# evaluation 15 times; the target must not cost 15 evaluations.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-10M}
data=${SLAC_BENCH_DATA:-/tmp/slac-bench}/$size
[ -f "$data/events.csv" ] || bench/run.sh "$size" >/dev/null
cmake --build build-release --target slac >/dev/null
best() {
  local best=""
  for _ in 1 2 3; do
    local start end t
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    t=$(awk "BEGIN{print $end - $start}")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}
eval_s=$(best build-release/slac eval examples/ev-charging.sla --data "$data" --sla availability --format json)
sweep_s=$(best build-release/slac whatif examples/ev-charging.sla --data "$data" --sla availability \
  --sweep target=85%..99%/1% --format json)
printf "%-28s %8.2f s\n" "eval" "$eval_s" "whatif, 15 targets" "$sweep_s"
awk "BEGIN{printf \"%-28s %8.2fx\n\", \"ratio\", $sweep_s / $eval_s}"
