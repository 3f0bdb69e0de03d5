#!/usr/bin/env bash
# The p_meet backtests: generated half-years of 30 car parks with known failure and
# repair behaviour, and slac-backtest comparing p_meet, each day at 06:00, 13:00 or
# 20:00 UTC in turn, with what happened by the end of each window.
#   1. failures every ~6 days per charger, repairs faster in business hours; the SLA
#      counts business hours (bench/backtest.sla);
#   2. failures every ~10 days, repairs only in business hours (a Friday-evening
#      failure lasts the weekend); a weekly SLA counting every hour
#      (bench/backtest-247.sla).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release --target slac-gen slac-backtest >/dev/null
root=${SLAC_BENCH_DATA:-/tmp/slac-bench}
if [ ! -f "$root/backtest/events.csv" ]; then
  build-release/slac-gen --sites 30 --devices-per-site 3 --days 182 --start 2026-01-01 --heartbeat-minutes 15 \
    --fault-days 6 --sessions 0 --seed 11 --out "$root/backtest"
fi
if [ ! -f "$root/backtest-247/events.csv" ]; then
  build-release/slac-gen --sites 30 --devices-per-site 3 --days 182 --start 2026-01-01 --heartbeat-minutes 15 \
    --fault-days 10 --sessions 0 --seed 12 --repairs business-hours --out "$root/backtest-247"
fi
echo "== 1. business-hours SLA, repairs faster in business hours"
build-release/slac-backtest bench/backtest.sla "$root/backtest"
echo
echo "== 2. weekly round-the-clock SLA, repairs only in business hours"
build-release/slac-backtest bench/backtest-247.sla "$root/backtest-247"
