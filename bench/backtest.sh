#!/usr/bin/env bash
# The p_meet backtest: a generated half-year of 30 car parks (known failure and repair
# behaviour: failures every ~6 days per charger, repairs faster in business hours), and
# slac-backtest comparing p_meet, at noon each day, with what happened.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release --target slac-gen slac-backtest >/dev/null
data=${SLAC_BENCH_DATA:-/tmp/slac-bench}/backtest
if [ ! -f "$data/events.csv" ]; then
  build-release/slac-gen --sites 30 --devices-per-site 3 --days 182 --start 2026-01-01 --heartbeat-minutes 15 \
    --fault-days 6 --sessions 0 --seed 11 --out "$data"
fi
build-release/slac-backtest bench/backtest.sla "$data"
