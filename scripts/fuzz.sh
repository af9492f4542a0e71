#!/usr/bin/env bash
# Builds the libFuzzer targets (src/**/*_fuzz.cc) with clang and ASan+UBSan into build-fuzz/,
# then runs each for FUZZ_SECONDS (default 600) with a corpus under fuzz-out/<target>/.
#
#   scripts/fuzz.sh                      # build and run every target
#   scripts/fuzz.sh json_patch           # only these targets
#   FUZZ_SECONDS=180 scripts/fuzz.sh     # shorter runs
#   FUZZ_BUILD_ONLY=1 scripts/fuzz.sh    # build only
#   FUZZ_JOBS=2 scripts/fuzz.sh          # run this many targets at a time
#
# Seeds come from src/api/patch/testdata/fuzz/<target>/ and the dictionary from
# src/api/patch/testdata/fuzz/json.dict; crashes land in fuzz-out/<target>/artifacts/.
# Exit status: non-zero when a build fails or any target found a crash, leak or timeout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

CXX="${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-600}"
JOBS="${FUZZ_JOBS:-1}"
BUILD="$ROOT/build-fuzz"
OUT="$ROOT/fuzz-out"
SEEDS="$ROOT/src/api/patch/testdata/fuzz"
mkdir -p "$BUILD" "$OUT"

# target name -> fuzz source; every target links the same small set of sources.
declare -A TARGETS=(
  [json_patch]=src/api/patch/json_patch_fuzz.cc
  [merge_patch]=src/api/patch/merge_patch_fuzz.cc
  [strategic_merge_patch]=src/api/patch/strategic_merge_patch_fuzz.cc
  [json_decode]=src/api/patch/json_decode_fuzz.cc
)
LIB_SOURCES=(
  src/common/status.cc
  src/common/json.cc
  src/api/patch/internal/patch_util.cc
  src/api/patch/json_patch.cc
  src/api/patch/merge_patch.cc
  src/api/patch/strategic_merge_patch.cc
)
CXXFLAGS=(-std=c++20 -g -O1 -fno-omit-frame-pointer -Isrc
          -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)

if [[ $# -gt 0 ]]; then selected=("$@"); else selected=("${!TARGETS[@]}"); fi

# The shared sources are compiled once (instrumented, without libFuzzer's main), and rebuilt
# only when a source or a header under src/ is newer than the object.
LIB_OBJECTS=()
build_objects() {
  mkdir -p "$BUILD/obj"
  local newest_header
  newest_header="$(find src/common src/api/patch src/api/schema -name '*.h' -newer "$BUILD/obj/.stamp" 2>/dev/null | head -n 1 || true)"
  for src in "${LIB_SOURCES[@]}"; do
    local obj="$BUILD/obj/$(echo "$src" | tr / _).o"
    LIB_OBJECTS+=("$obj")
    if [[ ! -f "$obj" || "$src" -nt "$obj" || -n "$newest_header" ]]; then
      echo "== compiling $src"
      "$CXX" "${CXXFLAGS[@]/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}" -c "$src" -o "$obj"
    fi
  done
  touch "$BUILD/obj/.stamp"
}

build() {
  local name="$1" src="${TARGETS[$1]:-}"
  if [[ -z "$src" ]]; then echo "unknown fuzz target: $name" >&2; return 1; fi
  echo "== building $name"
  "$CXX" "${CXXFLAGS[@]}" "$src" "${LIB_OBJECTS[@]}" -o "$BUILD/${name}_fuzz"
}

run() {
  local name="$1" dir="$OUT/$1" rc=0
  mkdir -p "$dir/corpus" "$dir/artifacts"
  local seeds=()
  [[ -d "$SEEDS/$name" ]] && seeds=("$SEEDS/$name")
  echo "== fuzzing $name for ${SECONDS_PER_TARGET}s (log: $dir/fuzz.log)"
  # A deep-recursion stack overflow is a crash too: ASan reports it as stack-overflow.
  "$BUILD/${name}_fuzz" "$dir/corpus" "${seeds[@]}" \
      -dict="$SEEDS/json.dict" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
      -rss_limit_mb=2560 -max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 \
      -artifact_prefix="$dir/artifacts/" >"$dir/fuzz.log" 2>&1 || rc=$?
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+ +DONE" "$dir/fuzz.log" | sed "s/^/   $name: /" || true
  if [[ $rc -ne 0 ]]; then
    echo "!! $name failed (exit $rc); see $dir/fuzz.log and $dir/artifacts/" >&2
  fi
  return $rc
}

build_objects
for t in "${selected[@]}"; do build "$t"; done
[[ "${FUZZ_BUILD_ONLY:-0}" == 1 ]] && exit 0

status=0
running=0
pids=()
for t in "${selected[@]}"; do
  run "$t" & pids+=($!)
  running=$((running + 1))
  if [[ $running -ge $JOBS ]]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [[ $running -gt 0 ]]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
