#!/usr/bin/env bash
# Builds slac and its tests with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-asan/ and runs the whole suite there: any memory error, leak or undefined
# behaviour fails the run. Part of CI (.ci/run); see docs/robustness.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# -O1 with line tables keeps the build and the run short and the stack traces
# readable; assertions stay on. Warnings are not errors here: GCC's sanitizer
# instrumentation makes -Wmaybe-uninitialized report false positives inside
# libstdc++ (std::regex), and scripts/build.sh already builds with -Werror.
# The Python package is left out: its module would need the sanitizers' runtime loaded
# into python3 before it starts.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Sanitize \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" -DSLAC_SANITIZE=ON -DSLAC_WERROR=OFF -DSLAC_PYTHON=OFF >/dev/null
cmake --build build-asan --parallel "$(nproc)" --target slac slac_tests slac-gen
echo "run-sanitized-tests: build done at ${SECONDS} s" >&2
# The differential tests against the brute-force oracle run 150 random cases here
# (400 in the ordinary suite): enough to reach every code path under the sanitizers,
# in half the time.
export SLAC_DIFF_CASES=${SLAC_DIFF_CASES:-150}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The scaling test times things, which means nothing under the sanitizers, and the
# backtest script's needs the bench programs, which this build leaves out; the
# ordinary suite runs both.
ctest --test-dir build-asan --output-on-failure --parallel "$(nproc)" -E "scaling|backtest"
build-asan/slac test stdlib-contracts
build-asan/slac eval examples/acme-retail.sla --data examples/ev-estate --format json >/dev/null
echo "run-sanitized-tests: tests done at ${SECONDS} s" >&2
