#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the unit and end-to-end
# suite, then the checks a contract repository runs in CI, on this repository's own
# contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
# How long each step took goes to stderr, so that CI's time can be followed.
step() { echo "run-tests: $1 done at ${SECONDS} s" >&2; }
scripts/install-deps.sh
scripts/install-browser.sh
scripts/install-editors.sh
scripts/install-postgres.sh
step install
scripts/build.sh
step build
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
step tests
# Every contract in the repository is in canonical form, except those broken on
# purpose: tests/check/ and the examples of errors in docs/diagnostics/ (a file with
# errors is never rewritten, so it cannot be "formatted").
mapfile -t contracts < <(find . -name '*.sla' -not -path './tests/check/*' -not -path './build*' \
                              -not -path './.git/*' -not -path './docs/diagnostics/penalty-currency.sla' | sort)
build/slac check stdlib-contracts/*.sla examples/*.sla tests/eval/*/contract.sla >/dev/null
build/slac fmt --check "${contracts[@]}"
build/slac test stdlib-contracts
