#!/usr/bin/env bash
# Benchmark of reading events from PostgreSQL: the 10M-event estate of bench/run.sh
# loaded into a throwaway server (scripts/pg-server.sh), then, best of 3 each, in the
# same run:
#   - floor:  the time PostgreSQL itself needs to copy the events table out
#             (`COPY events TO STDOUT` through psql into /dev/null);
#   - query:  the same for slac's own COPY query (times as epoch ms, declared signals);
#   - pg:     `slac eval` of the seed contract with --data postgresql://... (SLAC_TIMING:
#             the load alone, and the whole run);
#   - csv:    the same from the CSV folder;
#   - month:  `slac eval --from 2026-03-01 --to 2026-04-01` (the last of the 90 days),
#             without an index, with an (entity, signal, time) index, and with a
#             (time) index too: the history the month needs, against all of it
#             (docs/data.md).
# Target: slac's load from PostgreSQL within 1.5x of the floor. Exits with 1 when it is
# not. Not part of the tests. Usage:
#   bench/postgres.sh [SIZE]     SIZE: 1M or 10M (default 10M)
# Data is cached in $SLAC_BENCH_DATA (default /tmp/slac-bench); SLAC and SLAC_GEN name
# the binaries (default: a Release build in build-release/).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-10M}
data=${SLAC_BENCH_DATA:-/tmp/slac-bench}
runs=${SLAC_BENCH_RUNS:-3}
case $size in
  1M) sites=10 per=4 ;;
  10M) sites=100 per=4 ;;
  *) echo "unknown size $size" >&2; exit 2 ;;
esac

if [ -z "${SLAC:-}" ] || [ -z "${SLAC_GEN:-}" ]; then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-release --target slac slac-gen >/dev/null
fi
slac=${SLAC:-build-release/slac}
gen=${SLAC_GEN:-build-release/slac-gen}
scripts/install-postgres.sh

dir=$data/$size
if [ ! -f "$dir/events.csv" ]; then
  "$gen" --sites $sites --devices-per-site $per --days 90 --start 2026-01-01 --seed 7 --out "$dir"
fi

top=$(mktemp -d /tmp/slac-pgbench.XXXXXX)
chmod 755 "$top"
trap 'scripts/pg-server.sh stop "$top/s"; rm -rf "$top"' EXIT
uri=$(scripts/pg-server.sh start "$top/s")
echo "loading $(($(wc -l <"$dir/events.csv") - 1)) events into PostgreSQL ..." >&2
# The inventory's columns as text, as the CSV header names them.
columns() { head -1 "$1" | tr -d '\r' | sed 's/[^,]*/"&" text/g'; }
psql "$uri" -q -X -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE sites ($(columns "$dir/sites.csv"));
CREATE TABLE devices ($(columns "$dir/devices.csv"));
CREATE TABLE events (time timestamptz NOT NULL, entity text NOT NULL, signal text NOT NULL, value text);
\copy sites FROM '$dir/sites.csv' WITH (FORMAT csv, HEADER)
\copy devices FROM '$dir/devices.csv' WITH (FORMAT csv, HEADER)
\copy events FROM '$dir/events.csv' WITH (FORMAT csv, HEADER)
VACUUM ANALYZE;
SQL

. bench/best.sh
# Best of $runs of the load time that SLAC_TIMING prints.
best_load() {
  local b=""
  for _ in $(seq "$runs"); do
    local t
    t=$(SLAC_TIMING=1 "$@" 2>&1 >/dev/null | sed -n 's/^load \([0-9.]*\)s.*/\1/p')
    if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
  done
  echo "$b"
}

contract=examples/ev-charging.sla
signals=$(sed -n 's/^ *\(site \)\{0,1\}signal \([a-z_]*\).*/\2/p' "$contract" | sed "s/.*/'&'/" | paste -sd, -)
floor=$(best psql "$uri" -X -q -c "COPY events TO STDOUT")
query=$(best psql "$uri" -X -q -c "COPY (SELECT time, entity, signal, value FROM events WHERE signal IN ($signals)) TO STDOUT (FORMAT binary)")
pg_load=$(best_load "$slac" eval "$contract" --data "$uri" --format json)
pg_all=$(best "$slac" eval "$contract" --data "$uri" --format json)
csv_load=$(best_load "$slac" eval "$contract" --data "$dir" --format json)
csv_all=$(best "$slac" eval "$contract" --data "$dir" --format json)

# The last month of the 90 days: all of the history without the index, the history it
# needs with it (docs/data.md, What is read).
month=(--from 2026-03-01 --to 2026-04-01)
month_all=$(best_load "$slac" eval "$contract" --data "$uri" --format json "${month[@]}")
psql "$uri" -q -X -c "CREATE INDEX ON events (entity, signal, time)" -c "ANALYZE events"
month_cut=$(best_load "$slac" eval "$contract" --data "$uri" --format json "${month[@]}")
psql "$uri" -q -X -c "CREATE INDEX ON events (time)" -c "ANALYZE events"
month_time=$(best_load "$slac" eval "$contract" --data "$uri" --format json "${month[@]}")

ratio=$(awk "BEGIN{printf \"%.2f\", $pg_load / $floor}")
printf "%-40s %8s\n" "what" "seconds"
printf "%-40s %8s\n" "floor: COPY events TO STDOUT (psql)" "$floor"
printf "%-40s %8s\n" "slac's COPY query (psql)" "$query"
printf "%-40s %8s\n" "slac eval --data postgresql: load" "$pg_load"
printf "%-40s %8s\n" "slac eval --data postgresql: whole" "$pg_all"
printf "%-40s %8s\n" "slac eval --data DIR (CSV): load" "$csv_load"
printf "%-40s %8s\n" "slac eval --data DIR (CSV): whole" "$csv_all"
printf "%-40s %8s\n" "last month, no index: load" "$month_all"
printf "%-40s %8s\n" "last month, (entity, signal, time): load" "$month_cut"
printf "%-40s %8s\n" "last month, and (time): load" "$month_time"
echo "load from PostgreSQL / floor: ${ratio}x (target: at most 1.5x)"
awk "BEGIN{exit !($ratio <= 1.5)}"
