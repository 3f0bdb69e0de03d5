#!/usr/bin/env bash
# Installs what the editor tests need: Debian's neovim (tests/nvim_test.py, through
# install-deps.sh), nodejs/npm when `node`/`npm` are missing, and the npm packages of
# editors/vscode (vscode-textmate, vscode-oniguruma for its grammar test, and the
# client's vscode-languageclient) at the versions package-lock.json pins, into
# editors/vscode/node_modules. Idempotent. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

# neovim is one of install-deps.sh's packages; node and npm come from Debian when missing.
scripts/install-deps.sh
{ command -v node && command -v npm; } >/dev/null 2>&1 || scripts/apt-install.sh nodejs npm

dir=editors/vscode
installed=yes
for p in vscode-textmate vscode-oniguruma vscode-languageclient; do
  want=$(node -e 'console.log(require("./'"$dir"'/package-lock.json").packages["node_modules/'"$p"'"].version)')
  have=$(node -e 'try{console.log(require("./'"$dir"'/node_modules/'"$p"'/package.json").version)}catch(e){}')
  [ "$want" = "$have" ] || installed=no
done
if [ "$installed" = no ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
