#!/usr/bin/env bash
# Installs the Debian packages named that are not installed yet, with one
# `apt-get update` per machine boot at most (the install scripts share it).
# Uses sudo when not root. Usage: apt-install.sh PACKAGE...
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
marker=/tmp/slac-apt-updated.$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo boot)
if [ ! -f "$marker" ]; then
  $sudo apt-get update -qq
  touch "$marker"
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
