# Sourced by the benchmarks: `measure CMD...` prints the best (minimum) wall time in
# seconds of $runs runs of a command (default 3), and the peak RSS in KiB of those runs.
measure() {
  local best="" peak=0
  for _ in $(seq "${runs:-3}"); do
    local report out t m
    report=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$report" "$@" >/dev/null 2>/dev/null
    out=$(tail -n 1 "$report")
    rm -f "$report"
    t=${out% *}
    m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    [ "$m" -gt "$peak" ] && peak=$m
  done
  echo "$best $peak"
}
