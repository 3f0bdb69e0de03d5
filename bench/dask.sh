#!/usr/bin/env bash
# slac.dask.evaluate on a LocalCluster of 1 and of 2 worker processes against `slac
# eval` (the CLI) and Contract.evaluate (one process, from the same DataFrames), in the
# same run, over a generated estate (default the 10M-event estate of bench/run.sh):
# the overhead of the distributed path and its scaling with workers. Checks that every
# result is the CLI's JSON, byte for byte. Not part of the tests. Usage:
#   bench/dask.sh [SIZE]          SIZE: 1M or 10M (default 10M)
# Data is cached in $SLAC_BENCH_DATA (default /tmp/slac-bench); SLAC_BENCH_RUNS runs
# each (default 3), the best kept. Uses the build in build/ (its Python package) and
# Debian's python3 with python3-dask and python3-distributed.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-10M}
data=${SLAC_BENCH_DATA:-/tmp/slac-bench}
case $size in
  1M) sites=10 ;;
  10M) sites=100 ;;
  *) echo "unknown size $size" >&2; exit 2 ;;
esac
dir=$data/$size
if [ ! -f "$dir/events.csv" ]; then
  build/slac-gen --sites $sites --devices-per-site 4 --days 90 --start 2026-01-01 --seed 7 --out "$dir" >/dev/null
fi
PYTHONPATH=build/python /usr/bin/python3 bench/dask_bench.py examples/ev-charging.sla "$dir" "${SLAC_BENCH_RUNS:-3}"
