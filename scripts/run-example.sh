#!/usr/bin/env bash
# The main job on the bundled example: install, build, check the example contracts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/slac check examples/*.sla
