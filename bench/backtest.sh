#!/usr/bin/env bash
# The p_meet backtests: generated histories of 30 car parks (about 90 chargers) with
# known failure and repair behaviour, and slac-backtest comparing p_meet, each day at
# 06:00, 13:00 or 20:00 UTC in turn, with what happened by the end of each window.
# Each scenario stresses one weak spot of a failure/repair model (docs/status.md):
#   1. business hours: failures every ~6 days per charger, repairs faster in business
#      hours; 97% of business hours per charger-month (bench/backtest.sla);
#   2. repairs only in business hours (a Friday-evening failure lasts the weekend),
#      failures every ~10 days; 90% of every hour per charger-week
#      (bench/backtest-247.sla);
#   3. little history: T from the 8th day of 40 (0 to 3 failures behind each charger,
#      every ~15 days); 97% per charger-week (bench/backtest-few.sla);
#   4. repairs not yet seen: failures every ~40 days, repairs only in business hours,
#      T from the 8th day of 40 (most chargers, and at first the whole estate, have
#      never been seen repaired); bench/backtest-247.sla;
#   5. clustered failures: a bad week every ~6 weeks per car park in which chargers
#      fail five times as often; bench/backtest-247.sla.
# Usage: bench/backtest.sh [SCENARIO...] (numbers; default all). Each prints a
# reliability table, Brier scores and a `targets:` line; SLAC_BENCH_DATA picks where
# the generated data is kept (default /tmp/slac-bench), SLAC_BENCH_BUILD the build
# directory (default build-release, configured as Release here), SLAC_BENCH_SITES the
# number of car parks (default 30; the test of the script's output uses 3).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SLAC_BENCH_BUILD:-build-release}
if [ "$build" = build-release ]; then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target slac-gen slac-backtest >/dev/null
root=${SLAC_BENCH_DATA:-/tmp/slac-bench}
sites=${SLAC_BENCH_SITES:-30}
[ "$sites" = 30 ] || root="$root/sites-$sites"
common=(--sites "$sites" --devices-per-site 3 --start 2026-01-01 --heartbeat-minutes 15 --sessions 0)
gen() {  # NAME ARGS...
  local name=$1
  shift
  if [ ! -f "$root/$name/events.csv" ]; then
    "$build/slac-gen" "${common[@]}" "$@" --out "$root/$name" >/dev/null
  fi
}
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(1 2 3 4 5)
for n in "${scenarios[@]}"; do
  case $n in
    1) echo "== 1. business-hours SLA, repairs faster in business hours"
       gen backtest --days 182 --fault-days 6 --seed 11
       "$build/slac-backtest" bench/backtest.sla "$root/backtest" ;;
    2) echo "== 2. weekly round-the-clock SLA, repairs only in business hours"
       gen backtest-247 --days 182 --fault-days 10 --seed 12 --repairs business-hours
       "$build/slac-backtest" bench/backtest-247.sla "$root/backtest-247" ;;
    3) echo "== 3. little history: 0 to 3 failures behind each charger"
       gen backtest-few --days 40 --fault-days 15 --seed 13
       "$build/slac-backtest" bench/backtest-few.sla "$root/backtest-few" --from-day 8 ;;
    4) echo "== 4. repairs not yet seen: rare failures, repairs only in business hours"
       gen backtest-norepair --days 40 --fault-days 40 --seed 14 --repairs business-hours
       "$build/slac-backtest" bench/backtest-247.sla "$root/backtest-norepair" --from-day 8 ;;
    5) echo "== 5. clustered failures: a bad week every ~6 weeks per car park"
       gen backtest-clustered --days 182 --fault-days 10 --seed 15 --bad-weeks 6
       "$build/slac-backtest" bench/backtest-247.sla "$root/backtest-clustered" ;;
    *) echo "no scenario $n (1-5)" >&2; exit 2 ;;
  esac
  echo
done
