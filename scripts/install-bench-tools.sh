#!/usr/bin/env bash
# Installs what the benchmarks in bench/ need (Debian packages only): wrk (HTTPS load with Lua
# scripts), hyperfine, nginx-light (the GET peer), curl, sqlite3 (the durable-write peer is
# python3's sqlite3 module over the same library), python3 and linux-perf (profiles).
# Idempotent and quiet when nothing is missing.
set -euo pipefail

packages=(wrk hyperfine nginx-light curl sqlite3 python3 openssl linux-perf)
missing=()
for p in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != *"install ok installed"* ]]; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
