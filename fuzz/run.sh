#!/usr/bin/env bash
# Build the libFuzzer targets with clang and run each one for SECONDS (default 600)
# on a corpus seeded from the repository's own contracts and data.
#   fuzz/run.sh [SECONDS] [TARGET...]
# TARGET: the fast ones check ingest ingest_jsonl time, the whole-pipeline ones
# contract data jsonl (default: all). Each fast target shares its seeds with its
# whole-pipeline sibling (check: contract, ingest: data, ingest_jsonl: jsonl).
# Crashes land in build-fuzz/crashes/TARGET/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(check ingest ingest_jsonl time contract data jsonl)
cxx=$(command -v clang++ || command -v clang++-14 || true)
[[ -n $cxx ]] || { echo "fuzz/run.sh: needs clang (apt-get install -y clang)" >&2; exit 1; }
# Two builds: build-fuzz-fast (UBSan, edge coverage only) runs the fast targets, which
# search; build-fuzz (ASan and UBSan, comparison tracing) runs the whole-pipeline ones
# and replays every input the fast ones keep.
fast=()
for t in "${targets[@]}"; do
  case $t in check | ingest | ingest_jsonl | time) fast+=("$t") ;; esac
done
cmake -S . -B build-fuzz -G Ninja -DSLAC_FUZZ=ON -DSLAC_PYTHON=OFF -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build-fuzz "${targets[@]/#/fuzz_}"
if [[ ${#fast[@]} -gt 0 ]]; then
  cmake -S . -B build-fuzz-fast -G Ninja -DSLAC_FUZZ=ON -DSLAC_FUZZ_FAST=ON -DSLAC_PYTHON=OFF \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C build-fuzz-fast "${fast[@]/#/fuzz_}"
fi

seed() {  # seed TARGET FILES...: copy files into the corpus, data files behind an options byte
  local dir=build-fuzz/corpus/$1 prefix=$2
  shift 2
  mkdir -p "$dir"
  for f in "$@"; do
    [[ -f $f ]] || continue
    # A temporary name of this run's own: runs of several targets may seed at once.
    { printf '%b' "$prefix"; head -c 65536 "$f"; } >"$dir/.seed.$$"
    mv "$dir/.seed.$$" "$dir/seed-$(cksum <"$dir/.seed.$$" | cut -d' ' -f1)"
  done
}
seed contract '' tests/check/*.sla tests/whatif/*.sla stdlib-contracts/*.sla examples/*.sla \
  docs/tutorial/*.sla tests/eval/*/contract.sla
seed data '\x00' tests/eval/*/events.csv
seed data '\x09' tests/eval/*/events.csv
mkdir -p build-fuzz/corpus/jsonl
for f in tests/eval/*/events.csv; do  # the same events as JSON Lines
  awk -F, 'NR > 1 { printf "{\"time\":\"%s\",\"entity\":\"%s\",\"signal\":\"%s\"%s}\n", $1, $2, $3,
                   ($4 == "" ? "" : ",\"value\":\"" $4 "\"") }' "$f" | { printf '\x00'; head -c 65536; } \
    >"build-fuzz/corpus/jsonl/seed-$(cksum <"$f" | cut -d' ' -f1)"
done
printf '\x00{"time":"2026-03-29T00:30:00Z","entity":"D1","signal":"heartbeat"}\n{"time":1774747800000,"entity":"D2","signal":"status","value":"fault"}\n' \
  >build-fuzz/corpus/jsonl/seed-hand
mkdir -p build-fuzz/corpus/data
printf '\x00time,entity,signal,value\n2026-03-29T00:30:00Z,D1,heartbeat,\n2026-03-29T00:31:00Z,D2,status,fault\n2026-03-29T02:00:00+01:00,S1,maintenance,true\n2026-03-29T03:00:00Z,D3,temp,81.5\n' >build-fuzz/corpus/data/seed-hand
mkdir -p build-fuzz/corpus/time
for t in 2026-03-29T01:00:00Z 2026-10-25T01:30:00.123+01:00 1774747800000 '2026-02-30T00:00:00Z' \
  9999-12-31T23:59:59.999Z 10m 1h30m 0.5 -12.25 true Europe/London; do
  printf '%s' "$t" >"build-fuzz/corpus/time/seed-$(printf '%s' "$t" | cksum | cut -d' ' -f1)"
done

for pair in check:contract ingest:data ingest_jsonl:jsonl; do  # the same seeds
  mkdir -p "build-fuzz/corpus/${pair%%:*}"
  cp -n build-fuzz/corpus/"${pair#*:}"/seed-* "build-fuzz/corpus/${pair%%:*}/" 2>/dev/null || true
done
# The committed seeds (fuzz/seeds/TARGET: a few small inputs each), for each target
# and its whole-pipeline sibling.
for pair in check:contract ingest:data ingest_jsonl:jsonl time:time; do
  for t in ${pair%%:*} ${pair#*:}; do
    mkdir -p "build-fuzz/corpus/$t"
    for f in fuzz/seeds/"${pair%%:*}"/*; do cp -n "$f" "build-fuzz/corpus/$t/seed-committed-$(basename "$f")"; done
  done
done

status=0
for t in "${targets[@]}"; do
  dict=()
  case $t in
    check | contract) dict=(-dict=fuzz/sla.dict -entropic=0) ;;
    ingest | ingest_jsonl | data | jsonl) dict=(-dict=fuzz/data.dict) ;;
    time) dict=(-dict=fuzz/time.dict) ;;
  esac
  # The contract target searches inputs of up to 4 KB (a contract of a few SLAs; the
  # whole-pipeline one takes 64 KB, as the repository's largest contracts are 16 KB).
  binary=build-fuzz/fuzz/fuzz_$t max_len=65536
  case $t in
    check | ingest | ingest_jsonl | time) binary=build-fuzz-fast/fuzz/fuzz_$t ;;
  esac
  [[ $t == check ]] && max_len=4096
  mkdir -p "build-fuzz/crashes/$t"
  echo "== fuzz_$t for ${seconds}s"
  $binary "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=$max_len -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$t/" \
    "build-fuzz/corpus/$t" 2>"build-fuzz/fuzz_$t.log" || status=1
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+[[:space:]]+DONE)' "build-fuzz/fuzz_$t.log" || true
  tail -n 5 "build-fuzz/fuzz_$t.log" | grep -E 'ERROR|SUMMARY|crash|timeout' || true
  if [[ $binary == build-fuzz-fast/* ]]; then
    # Every input kept, once more under AddressSanitizer.
    echo "== fuzz_$t: the corpus replayed under AddressSanitizer"
    build-fuzz/fuzz/fuzz_$t -runs=0 -entropic=0 -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="build-fuzz/crashes/$t/" "build-fuzz/corpus/$t" 2>"build-fuzz/replay_$t.log" || status=1
    grep -E '^#[0-9]+[[:space:]]+INITED' "build-fuzz/replay_$t.log" || true
    tail -n 5 "build-fuzz/replay_$t.log" | grep -E 'ERROR|SUMMARY|crash|timeout' || true
  fi
done
exit $status
