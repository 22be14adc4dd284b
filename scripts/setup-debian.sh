#!/usr/bin/env bash
# Installs what building and testing signpost needs on Debian 12 (bookworm): compilers and the
# Debian packages of the dependencies, then a Python virtual environment in .venv with the PyPI
# packages. Safe to run again. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libyaml-cpp-dev libfmt-dev doctest-dev libicu-dev libvectorscan-dev darts
  libcli11-dev binutils libarchive-dev libsodium-dev
  clang-14 libclang-rt-14-dev
  python3 python3-venv python3-dev
  openjdk-17-jre-headless
  wrk curl
)
# The browser for the demo's screenshot tests, with fonts for every script of the default pack and
# for emoji (the demo page names them; fontconfig's fc-match is used to check glyph coverage).
if [[ "${SIGNPOST_WITH_BROWSER:-0}" == 1 ]]; then packages+=(chromium fontconfig fonts-noto-core fonts-noto-color-emoji); fi
# The man page is generated from the tool's --help (help2man); the tests also parse the zsh
# completion with zsh.
packages+=(help2man)
if [[ "${SIGNPOST_WITH_BROWSER:-0}" == 1 ]]; then packages+=(zsh); fi

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
