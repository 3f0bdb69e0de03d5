#!/usr/bin/env bash
# Installs what the PostgreSQL tests (tests/postgres_test.py) and bench/postgres.sh
# need: Debian's postgresql package (server and psql). The tests start their own
# server with scripts/pg-server.sh; the cluster the package may create is not used.
# Idempotent. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/apt-install.sh postgresql
