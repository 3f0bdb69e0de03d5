#!/usr/bin/env bash
# Installs the Debian packages slac builds with, if any are missing. Idempotent.
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config
  tao-pegtl-dev libfmt-dev libboost-dev doctest-dev libcli11-dev
  libhowardhinnant-date-dev nlohmann-json3-dev zlib1g-dev libpq-dev libabsl-dev tzdata python3
  # the Python package (python/, docs/python.md)
  python3-dev pybind11-dev python3-pandas
  # slac.dask and its test on a LocalCluster (tests/dask_test.py)
  python3-dask python3-distributed
  # `pip install .` of the package into a virtual environment (tests/pip_test.py)
  python3-venv python3-pip python3-setuptools python3-wheel
  neovim  # the editor test of `slac lsp` (tests/nvim_test.py)
)

exec "$(dirname "$0")/apt-install.sh" "${packages[@]}"
