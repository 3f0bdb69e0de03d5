# Sourced by the benchmark scripts: `best CMD...` prints the best (minimum) wall time,
# in seconds, of $runs runs of a command, its output discarded.
best() {
  local b=""
  for _ in $(seq "$runs"); do
    local t0 t1 t
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    t=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
    if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
  done
  echo "$b"
}
