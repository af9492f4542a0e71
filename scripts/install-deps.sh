#!/usr/bin/env bash
# Installs the Debian packages haru needs to build and run. Idempotent and quiet when
# nothing is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache mold
  libboost1.81-dev libssl-dev libsqlite3-dev nlohmann-json3-dev libyaml-cpp-dev
  libcli11-dev libre2-dev zlib1g-dev libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != *"install ok installed"* ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  if [[ $(id -u) != 0 ]]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
