#!/usr/bin/env bash
# Benchmark of `slac eval` on the SPEC's seed contract over generated estates of about
# 1M and 10M events, against `wc -l` of the same file in the same run (a baseline of
# simply reading it), with the peak memory. Not part of the tests. Usage:
#   bench/run.sh [SIZES...]      SIZES from: 1M 10M (default: both)
# Data is cached in $SLAC_BENCH_DATA (default /tmp/slac-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1M 10M)
data=${SLAC_BENCH_DATA:-/tmp/slac-bench}
runs=${SLAC_BENCH_RUNS:-3}

cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release --target slac slac-gen >/dev/null

. bench/measure.sh

printf "%-6s %12s %10s %10s %8s %12s\n" size events "wc -l s" "eval s" ratio "peak MiB"
for size in "${sizes[@]}"; do
  case $size in
    1M) sites=10 per=4 ;;
    10M) sites=100 per=4 ;;
    *) echo "unknown size $size" >&2; exit 2 ;;
  esac
  dir=$data/$size
  if [ ! -f "$dir/events.csv" ]; then
    build-release/slac-gen --sites $sites --devices-per-site $per --days 90 --start 2026-01-01 --seed 7 --out "$dir"
  fi
  events=$(($(wc -l <"$dir/events.csv") - 1))
  cat "$dir/events.csv" >/dev/null  # warm the page cache for both
  read -r wc_s _ < <(measure wc -l "$dir/events.csv")
  read -r eval_s eval_kb < <(measure build-release/slac eval examples/ev-charging.sla --data "$dir" --format json)
  ratio=$(awk "BEGIN{printf \"%.1f\", $eval_s / ($wc_s > 0 ? $wc_s : 0.01)}")
  printf "%-6s %12s %10s %10s %8s %12s\n" "$size" "$events" "$wc_s" "$eval_s" "${ratio}x" "$((eval_kb / 1024))"
done
