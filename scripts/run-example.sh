#!/usr/bin/env bash
# The main job on the bundled example: install what is missing, build, check the
# contracts, judge Acme Retail's SLA over three months of its estate, and write the
# month-end report (one HTML file; the last line says where).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
build/slac check examples/*.sla stdlib-contracts/*.sla
build/slac eval examples/acme-retail.sla --data examples/ev-estate --format table
build/slac report examples/acme-retail.sla --data examples/ev-estate -o build/acme-retail-report.html
