#!/usr/bin/env bash
# CEL evaluation: haru (bench/cel_bench.cc) against the JS peers @bufbuild/cel@0.6.1 and
# @marcbachmann/cel-js@8.0.0 in the same run, on the same expressions and inputs (issue 4).
#
#   bench/cel_peers.sh                 # install peers if missing, build cel_bench, run, table
#   CEL_PEERS_MS=200 CEL_PEERS_REPS=3 bench/cel_peers.sh    # shorter JS loops
#   CEL_BENCH_MIN_TIME=0.2 bench/cel_peers.sh               # shorter C++ loops (seconds)
#
# The npm packages go into $HARU_TOOLS/cel-peers (default ~/.cache/haru-tools/cel-peers),
# installed with npm only when missing. Every loop is bounded (JS: ~CEL_PEERS_MS ms per
# repetition, best of CEL_PEERS_REPS; C++: Google Benchmark, best of 3 repetitions).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${HARU_TOOLS:-$HOME/.cache/haru-tools}/cel-peers"
BUILD="${BUILD_DIR:-$ROOT/build}"
MIN_TIME="${CEL_BENCH_MIN_TIME:-0.5}"

command -v node >/dev/null || { echo "node is required" >&2; exit 1; }
mkdir -p "$TOOLS"
if [[ ! -f "$TOOLS/node_modules/@bufbuild/cel/package.json" ||
      ! -f "$TOOLS/node_modules/@marcbachmann/cel-js/package.json" ]]; then
  echo "== installing the JS peers into $TOOLS" >&2
  (cd "$TOOLS" && { [[ -f package.json ]] || npm init -y >/dev/null; } &&
   timeout 300 npm install --no-audit --no-fund --loglevel=error \
     @bufbuild/cel@0.6.1 @marcbachmann/cel-js@8.0.0 >&2)
fi
# The harness must sit beside node_modules for its bare imports to resolve.
cp "$ROOT/bench/cel_peers.mjs" "$TOOLS/cel_peers.mjs"

echo "== building cel_bench" >&2
cmake --build "$BUILD" --target cel_bench >&2

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
echo "== running the JS peers" >&2
(cd "$TOOLS" && timeout 600 node cel_peers.mjs) >"$TMP/peers.jsonl"
echo "== running cel_bench" >&2
timeout 600 "$BUILD/bench/cel_bench" --benchmark_min_time="$MIN_TIME" \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=false \
  --benchmark_format=json >"$TMP/haru.json" 2>/dev/null

python3 - "$TMP/peers.jsonl" "$TMP/haru.json" <<'PY'
import json, sys
peers = {}
meta = {}
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("meta"): meta = o; continue
    peers[(o["peer"], o["workload"])] = o.get("ns_per_op")
haru = {}
for b in json.load(open(sys.argv[2]))["benchmarks"]:
    if b.get("run_type") != "iteration": continue
    name = b["run_name"] if "run_name" in b else b["name"]
    ns = b["cpu_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
    prev = haru.get(name)
    if prev is None or ns < prev[0]:
        haru[name] = (ns, b.get("allocs/op"))
rows = [  # (label, haru benchmark, peer workload, note)
    ("x + 1 > 10 && s.startsWith('ab')", "BM_Simple", "simple", ""),
    ("DRA selector, quantity compareTo (haru)", "BM_DraSelector", "dra_selector", "peers: int variant"),
    ("DRA selector, int capacity (all three)", "BM_DraSelectorIntCapacity", "dra_selector", ""),
    ("admission all() over 4 KiB pod", "BM_AdmissionPod4K", "admission_pod_4k", ""),
    ("compile DRA selector: parse + check + cost estimate + plan", "BM_CompileDraSelector", "compile_dra", "peers: int variant, no checker"),
    ("compile DRA selector: parse + plan (unchecked)", "BM_CompileDraSelectorUnchecked", "compile_dra", "peers: int variant"),
]
B, M = "@bufbuild/cel", "@marcbachmann/cel-js"
def t(ns):
    if ns is None: return "-"
    return f"{ns:.1f} ns" if ns < 1000 else f"{ns/1000:.2f} µs"
print(f"node {meta.get('node','?')}, pod {meta.get('pod_bytes','?')} bytes; CPU ns per evaluation, best of repetitions; ratio = peer / haru")
print("| workload | haru | allocs/op | @bufbuild/cel | ratio | @marcbachmann/cel-js | ratio | note |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
for label, hb, pw, note in rows:
    h = haru.get(hb)
    hn, al = (h if h else (None, None))
    b, m = peers.get((B, pw)), peers.get((M, pw))
    r = lambda p: "-" if p is None or not hn else f"{p/hn:.1f}×"
    al_s = "-" if al is None else f"{al:.0f}"
    print(f"| {label} | {t(hn)} | {al_s} | {t(b)} | {r(b)} | {t(m)} | {r(m)} | {note} |")
h = haru.get("BM_Simple", (None,))[0]
fast = min(x for x in (peers.get((B, "simple")), peers.get((M, "simple"))) if x)
if h:
    ok = fast / h >= 5
    print(f"\ntarget 'x + 1 > 10 && ...' >= 5x faster than the faster JS peer: {fast/h:.1f}x -> {'met' if ok else 'NOT met'}")
PY
