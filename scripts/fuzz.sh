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
# Seeds come from the testdata/fuzz/<target>/ folder beside each target's source (see SEEDS
# and DICTS below); crashes land in fuzz-out/<target>/artifacts/.
# Exit status: non-zero when a build fails or any target found a crash, leak or timeout.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

CXX="${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-600}"
JOBS="${FUZZ_JOBS:-1}"
BUILD="$ROOT/build-fuzz"
OUT="$ROOT/fuzz-out"
PATCH_SEEDS=src/api/patch/testdata/fuzz
mkdir -p "$BUILD" "$OUT"

# target name -> fuzz source; every target links the same small set of sources.
declare -A TARGETS=(
  [json_patch]=src/api/patch/json_patch_fuzz.cc
  [merge_patch]=src/api/patch/merge_patch_fuzz.cc
  [strategic_merge_patch]=src/api/patch/strategic_merge_patch_fuzz.cc
  [json_decode]=src/api/patch/json_decode_fuzz.cc
  [yaml_decode]=src/common/yaml_decode_fuzz.cc
  [protobuf_decode]=src/api/protobuf/protobuf_decode_fuzz.cc
  [cel]=src/cel/cel_fuzz.cc
)
# target name -> seed folder and libFuzzer dictionary (a target without a dictionary has none).
declare -A SEEDS=(
  [json_patch]=$PATCH_SEEDS/json_patch
  [merge_patch]=$PATCH_SEEDS/merge_patch
  [strategic_merge_patch]=$PATCH_SEEDS/strategic_merge_patch
  [json_decode]=$PATCH_SEEDS/json_decode
  [yaml_decode]=src/common/testdata/fuzz/yaml_decode
  [protobuf_decode]=src/api/protobuf/testdata/fuzz/protobuf_decode
  [cel]=src/cel/testdata/fuzz/cel
)
declare -A DICTS=(
  [json_patch]=$PATCH_SEEDS/json.dict
  [merge_patch]=$PATCH_SEEDS/json.dict
  [strategic_merge_patch]=$PATCH_SEEDS/json.dict
  [json_decode]=$PATCH_SEEDS/json.dict
  [yaml_decode]=src/common/testdata/fuzz/yaml.dict
  [cel]=src/cel/testdata/fuzz/cel.dict
)
LIB_SOURCES=(
  src/common/status.cc
  src/common/json.cc
  src/common/yaml.cc
  src/common/base64.cc
  src/api/patch/internal/patch_util.cc
  src/api/patch/json_patch.cc
  src/api/patch/merge_patch.cc
  src/api/patch/strategic_merge_patch.cc
  src/api/protobuf/wire.cc
  src/api/protobuf/decode.cc
  src/api/schema/declarations.cc
  src/api/schema/schema.cc
  src/api/types/builtin_types.cc
  src/api/types/meta_v1.cc
  src/api/types/core_v1.cc
  src/api/types/events_v1.cc
  src/api/types/coordination_v1.cc
  src/api/types/batch_v1.cc
  src/api/types/resource_v1.cc
  src/api/types/resource_v1beta2.cc
)
CXXFLAGS=(-std=c++20 -g -O1 -fno-omit-frame-pointer -Isrc
          -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
# yaml-cpp is the system's shared library: not instrumented, so libFuzzer sees coverage only
# in haru's code around it, but ASan still catches its crashes and stack overflows.
LDLIBS=(-lyaml-cpp)
# The cel target also links the CEL engine (every non-test source under src/cel/, plus the
# quantity parser it uses) and the system's RE2, which is not instrumented either.
mapfile -t CEL_SOURCES < <(find src/cel -name '*.cc' ! -name '*_test.cc' ! -name '*_fuzz.cc' \
                             ! -path '*/testdata/*' ! -path '*/conformance/*' | sort)
CEL_SOURCES+=(src/common/quantity/quantity.cc)
CEL_LDLIBS=(-lre2)

if [[ $# -gt 0 ]]; then selected=("$@"); else selected=("${!TARGETS[@]}"); fi

# The shared sources are compiled once (instrumented, without libFuzzer's main), and rebuilt
# only when a source or a header under src/ is newer than the object.
LIB_OBJECTS=()
CEL_OBJECTS=()
build_objects() {
  mkdir -p "$BUILD/obj"
  local newest_header newest_cel_header stale with_cel=0 sources=("${LIB_SOURCES[@]}")
  newest_header="$(find src/common src/api -name '*.h' -newer "$BUILD/obj/.stamp" 2>/dev/null | head -n 1 || true)"
  # The CEL objects have their own stamp: they are built only when the cel target is selected.
  newest_cel_header="$(find src/common src/cel -name '*.h' -newer "$BUILD/obj/.stamp-cel" 2>/dev/null | head -n 1 || true)"
  [[ -f "$BUILD/obj/.stamp-cel" ]] || newest_cel_header=none-built-yet
  if [[ " ${selected[*]} " == *" cel "* ]]; then sources+=("${CEL_SOURCES[@]}"); with_cel=1; fi
  for src in "${sources[@]}"; do
    local obj="$BUILD/obj/$(echo "$src" | tr / _).o"
    case "$src" in
      src/cel/*|src/common/quantity/*) CEL_OBJECTS+=("$obj"); stale="$newest_cel_header" ;;
      *) LIB_OBJECTS+=("$obj"); stale="$newest_header" ;;
    esac
    if [[ ! -f "$obj" || "$src" -nt "$obj" || -n "$stale" ]]; then
      echo "== compiling $src"
      "$CXX" "${CXXFLAGS[@]/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,}" -c "$src" -o "$obj"
    fi
  done
  touch "$BUILD/obj/.stamp"
  [[ $with_cel == 1 ]] && touch "$BUILD/obj/.stamp-cel"
  return 0
}

build() {
  local name="$1" src="${TARGETS[$1]:-}"
  if [[ -z "$src" ]]; then echo "unknown fuzz target: $name" >&2; return 1; fi
  echo "== building $name"
  local extra=()
  [[ "$name" == cel ]] && extra=("${CEL_OBJECTS[@]}" "${CEL_LDLIBS[@]}")
  "$CXX" "${CXXFLAGS[@]}" "$src" "${extra[@]}" "${LIB_OBJECTS[@]}" "${LDLIBS[@]}" -o "$BUILD/${name}_fuzz"
}

run() {
  local name="$1" dir="$OUT/$1" rc=0
  mkdir -p "$dir/corpus" "$dir/artifacts"
  local seeds=() dict=()
  [[ -d "${SEEDS[$name]:-}" ]] && seeds=("${SEEDS[$name]}")
  [[ -f "${DICTS[$name]:-}" ]] && dict=(-dict="${DICTS[$name]}")
  echo "== fuzzing $name for ${SECONDS_PER_TARGET}s (log: $dir/fuzz.log)"
  # A deep-recursion stack overflow is a crash too: ASan reports it as stack-overflow.
  "$BUILD/${name}_fuzz" "$dir/corpus" "${seeds[@]}" \
      "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
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
