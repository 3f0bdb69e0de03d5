#!/usr/bin/env bash
# Scale benchmark of `slac report`: an estate of 1,000 sites (about 3,000 chargers)
# judged in 12 monthly windows (2026), the bundled example's SLA (acme-retail.sla,
# `--sla availability`) on data made by slac-gen with the example's settings. Reports:
#   - `slac report` against `slac eval --format json` on the same data (best of 3 each),
#   - the size of the HTML file (limit: under 10 MB),
#   - headless Chromium's time from navigation to `load` and a forced layout
#     (bench/report-layout.mjs, median of 3), against a plain HTML table with as many
#     cells, without styles, measured in the same run (limit: under 2 s); and, for
#     information (no limit), with JavaScript off, when no heat-map row is paged out.
# Exits with 1 when a limit is exceeded. Not part of the tests. Usage:
#   bench/report.sh
# Data is cached in $SLAC_BENCH_DATA (default /tmp/slac-bench); the report and the
# baseline page are written to $SLAC_BENCH_OUT (default /tmp/slac-bench/report-out).
# SLAC and SLAC_GEN name the binaries (default: a Release build in build-release/);
# the browser comes from scripts/install-browser.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${SLAC_BENCH_DATA:-/tmp/slac-bench}
out=${SLAC_BENCH_OUT:-$data/report-out}
runs=${SLAC_BENCH_RUNS:-3}

if [ -z "${SLAC:-}" ] || [ -z "${SLAC_GEN:-}" ]; then
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-release --target slac slac-gen >/dev/null
fi
slac=${SLAC:-build-release/slac}
gen=${SLAC_GEN:-build-release/slac-gen}
[ -d tests/browser/node_modules/playwright-core ] || scripts/install-browser.sh

dir=$data/report-1000x12
if [ ! -f "$dir/events.csv" ]; then
  "$gen" --sites 1000 --devices-per-site 3 --days 365 --start 2026-01-01 \
    --heartbeat-minutes 60 --seed 3 --fault-days 7 --sessions 0.7 --whole-seconds --out "$dir"
fi
mkdir -p "$out"
args=(examples/acme-retail.sla --data "$dir" --sla availability --from 2026-01-01 --to 2027-01-01)

. bench/best.sh

cat "$dir/events.csv" >/dev/null  # warm the page cache for both
events=$(($(wc -l <"$dir/events.csv") - 1))
"$slac" eval "${args[@]}" --format json >"$out/eval.json"
read -r windows groups < <(node -e '
  const e = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const r = e.results.filter((x) => x.sla === "availability");
  console.log(new Set(r.map((x) => x.window.start)).size, new Set(r.map((x) => x.group)).size);' "$out/eval.json")
eval_s=$(best "$slac" eval "${args[@]}" --format json)
report_s=$(best "$slac" report "${args[@]}" -o "$out/report.html")
bytes=$(stat -c %s "$out/report.html")
layout=$(node bench/report-layout.mjs "$out/report.html" "$out" "$runs")
read -r cells report_l nojs_l base_l < <(node -e '
  const r = JSON.parse(process.argv[1]);
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(r.cells, med(r.report_s).toFixed(3), med(r.report_nojs_s).toFixed(3), med(r.baseline_s).toFixed(3));' "$layout")

status=0
size_ok=ok layout_ok=ok nojs_ok=""
[ "$bytes" -lt 10000000 ] || { size_ok=OVER; status=1; }
awk "BEGIN{exit !($report_l < 2)}" || { layout_ok=OVER; status=1; }
awk "BEGIN{exit !($nojs_l < 2)}" || nojs_ok="(over)"
mb=$(awk "BEGIN{printf \"%.2f\", $bytes / 1000000}")
echo "estate: $groups sites x $windows monthly windows, $events events ($dir)"
printf "%-44s %10s %10s %8s %8s\n" "" measured baseline ratio limit
printf "%-44s %9ss %9ss %7sx\n" "slac report (baseline: slac eval --format json)" "$report_s" "$eval_s" \
  "$(awk "BEGIN{printf \"%.2f\", $report_s / ($eval_s > 0 ? $eval_s : 0.001)}")"
printf "%-44s %8sMB %10s %8s %8s  %s\n" "report HTML size" "$mb" "" "" "10 MB" "$size_ok"
printf "%-44s %9ss %9ss %7sx %8s  %s\n" "Chromium load + layout (median of $runs)" "$report_l" "$base_l" \
  "$(awk "BEGIN{printf \"%.1f\", $report_l / ($base_l > 0 ? $base_l : 0.001)}")" "2 s" "$layout_ok"
printf "%-44s %9ss %9ss %7sx %8s  %s\n" "  the same, JavaScript off (no paging)" "$nojs_l" "$base_l" \
  "$(awk "BEGIN{printf \"%.1f\", $nojs_l / ($base_l > 0 ? $base_l : 0.001)}")" "-" "$nojs_ok"
echo "(the layout baseline: a plain table of the same $cells cells, no styles; $out)"
[ "$windows" -eq 12 ] || { echo "expected 12 monthly windows, eval judged $windows" >&2; status=1; }
exit $status
