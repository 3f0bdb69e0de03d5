#!/usr/bin/env bash
# Installs the Debian packages slac builds with, if any are missing. Idempotent.
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config
  tao-pegtl-dev libfmt-dev libboost-dev doctest-dev libcli11-dev
  libhowardhinnant-date-dev nlohmann-json3-dev zlib1g-dev tzdata python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
