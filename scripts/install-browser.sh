#!/usr/bin/env bash
# Installs what the browser tests of `slac report` (tests/browser/) and bench/report.sh
# need: Debian's chromium (and nodejs/npm only when `node`/`npm` are missing), then
# playwright-core, pinned in tests/browser/package.json, into tests/browser/node_modules.
# Idempotent: does nothing that is already done. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
scripts/apt-install.sh "${packages[@]}"

[ -x /usr/bin/chromium ] || { echo "install-browser: /usr/bin/chromium is missing" >&2; exit 1; }

# playwright-core at the version package-lock.json pins (it downloads no browser: the
# tests launch /usr/bin/chromium). Skipped when that version is already installed.
dir=tests/browser
want=$(node -e 'console.log(require("./'"$dir"'/package-lock.json").packages["node_modules/playwright-core"].version)')
have=$(node -e 'try{console.log(require("./'"$dir"'/node_modules/playwright-core/package.json").version)}catch(e){}')
if [ "$want" != "$have" ]; then
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
