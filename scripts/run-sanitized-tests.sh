#!/usr/bin/env bash
# Builds slac and its tests with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-asan/ and runs the whole suite there: any memory error, leak or undefined
# behaviour fails the run. Part of CI (.ci/run); see docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLAC_SANITIZE=ON -DSLAC_WERROR=ON >/dev/null
cmake --build build-asan --parallel "$(nproc)" --target slac slac_tests
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure
build-asan/slac test stdlib-contracts
build-asan/slac eval examples/acme-retail.sla --data examples/ev-estate --format json >/dev/null
