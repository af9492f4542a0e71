#!/usr/bin/env bash
# Runs one benchmark figure (create|get|list|watch|memory|all) against a freshly started
# `haru server` on loopback; see bench/README.md. Needs `make build` and
# scripts/install-bench-tools.sh (both done by `make bench`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec /usr/bin/python3 "$here/haru_bench.py" "$@"
