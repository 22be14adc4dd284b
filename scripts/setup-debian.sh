#!/usr/bin/env bash
# Installs what building and testing signpost needs on Debian 12 (bookworm): compilers and the
# Debian packages of the dependencies, then a Python virtual environment in .venv with the PyPI
# packages. Safe to run again. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libyaml-cpp-dev libfmt-dev doctest-dev libicu-dev libvectorscan-dev darts
  libcli11-dev binutils
  clang-14 libclang-rt-14-dev
  python3 python3-venv python3-dev
)
if [[ "${SIGNPOST_WITH_BROWSER:-0}" == 1 ]]; then packages+=(chromium); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r scripts/requirements-dev.txt
