#!/usr/bin/env bash
# The scale benchmark of issue 20: `slac eval` of the seed contract over one month of
# generated estates (5-minute heartbeats, the generator's faults, sessions and late
# rows), against `wc -l` of the same file in the same run. For each estate: events,
# events/s per core (one thread), the ratio to `wc -l` (default threads), the speedup
# of 2 threads over 1, and peak memory; then the memory of one estate over 92 and 368
# days (it should not grow with history), and the Release build against
# RelWithDebInfo. Not part of the tests. Usage:
#   bench/scale.sh [DEVICES...]     estates of about that many chargers (default: 1000)
#   bench/scale.sh 1000 100000      the issue's two sizes (the second is 822M events, 37.5 GB
#                                   of disk, about 40 minutes in all on 2 cores)
# Data is cached in $SLAC_BENCH_DATA (default /tmp/slac-bench); SLAC_BENCH_RUNS runs
# each (default 3), the best kept.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000)
data=${SLAC_BENCH_DATA:-/tmp/slac-bench}
runs=${SLAC_BENCH_RUNS:-3}
contract=examples/ev-charging.sla

cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-release --target slac slac-gen >/dev/null

. bench/measure.sh

# An estate of about $1 chargers (4 a site) over $2 days, generated once. slac-gen
# sorts its rows in memory, so an estate of more than 2,500 sites is generated in parts
# of 2,500 sites (seeds 11, 12, ...) written one after the other: each site's rows in
# time order, as an export per gateway would be.
estate() {
  local devices=$1 days=$2 dir=$data/scale-$1x$2
  local sites=$(((devices + 3) / 4)) group=2500
  if [ ! -f "$dir/events.csv" ]; then
    rm -rf "$dir" "$dir.part"
    mkdir -p "$dir"
    local first=1 k=0 n
    while [ "$first" -le "$sites" ]; do
      n=$((sites - first + 1 < group ? sites - first + 1 : group))
      build-release/slac-gen --sites "$n" --first-site "$first" --devices-per-site 4 --days "$days" \
        --start 2026-01-01 --heartbeat-minutes 5 --seed $((11 + k)) --out "$dir.part" >/dev/null 2>&1
      for f in sites devices events; do
        if [ "$k" -eq 0 ]; then cat "$dir.part/$f.csv"; else tail -n +2 "$dir.part/$f.csv"; fi >>"$dir/$f.csv.tmp"
      done
      rm -rf "$dir.part"
      first=$((first + n))
      k=$((k + 1))
    done
    for f in sites devices events; do mv "$dir/$f.csv.tmp" "$dir/$f.csv"; done
  fi
  echo "$dir"
}

ratio() { awk "BEGIN{printf \"%.2f\", $1 / ($2 > 0 ? $2 : 0.01)}"; }

echo "one month, 5-minute heartbeats; best of $runs runs; $(nproc) CPUs"
printf "%-9s %12s %8s %9s %9s %9s %12s %8s %8s %9s\n" devices events "GB" "wc -l s" "1 thr s" "2 thr s" \
  "events/s/core" "x wc -l" speedup "peak MiB"
for size in "${sizes[@]}"; do
  dir=$(estate "$size" 30)
  devices=$(($(wc -l <"$dir/devices.csv") - 1))
  events=$(($(wc -l <"$dir/events.csv") - 1))
  gb=$(awk "BEGIN{printf \"%.2f\", $(stat -c %s "$dir/events.csv") / 1e9}")
  cat "$dir/events.csv" >/dev/null  # warm the page cache for all
  read -r wc_s _ < <(measure wc -l "$dir/events.csv")
  read -r one_s one_kb < <(measure build-release/slac eval $contract --data "$dir" --format json --threads 1)
  read -r two_s two_kb < <(measure build-release/slac eval $contract --data "$dir" --format json --threads 2)
  per_core=$(awk "BEGIN{printf \"%.1fM\", $events / $one_s / 1e6}")
  peak=$(((one_kb > two_kb ? one_kb : two_kb) / 1024))
  printf "%-9s %12s %8s %9s %9s %9s %12s %8s %8s %9s\n" "$devices" "$events" "$gb" "$wc_s" "$one_s" "$two_s" \
    "$per_core" "$(ratio "$two_s" "$wc_s")x" "$(ratio "$one_s" "$two_s")x" "$peak"
done

echo
echo "memory against history: the same estate (about 100 chargers) over 92 and 368 days"
printf "%-6s %12s %9s %9s\n" days events "eval s" "peak MiB"
declare -A peak_of
for days in 92 368; do
  dir=$(estate 100 "$days")
  events=$(($(wc -l <"$dir/events.csv") - 1))
  read -r s kb < <(measure build-release/slac eval $contract --data "$dir" --format json)
  peak_of[$days]=$kb
  printf "%-6s %12s %9s %9s\n" "$days" "$events" "$s" "$((kb / 1024))"
done
echo "368 / 92 days: $(ratio "${peak_of[368]}" "${peak_of[92]}")x the memory"

echo
echo "Release (-O3) against RelWithDebInfo (-O2 -g), the first estate, default threads"
# The tests' build in build/ when it is one, else a build of its own.
rwd=build
if ! grep -q "CMAKE_BUILD_TYPE:STRING=RelWithDebInfo" build/CMakeCache.txt 2>/dev/null; then
  rwd=build-relwithdebinfo
  cmake -S . -B $rwd -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build $rwd --target slac >/dev/null
dir=$(estate "${sizes[0]}" 30)
read -r rel_s _ < <(measure build-release/slac eval $contract --data "$dir" --format json)
read -r rwd_s _ < <(measure $rwd/slac eval $contract --data "$dir" --format json)
echo "Release $rel_s s, RelWithDebInfo $rwd_s s: Release takes $(ratio "$rel_s" "$rwd_s")x the time"
