// Measures the JS CEL peers on the workloads of bench/cel_bench.cc (issue 4), each with its
// best API: @bufbuild/cel: parse() + plan() once, call the plan many times; @marcbachmann/
// cel-js: parse() once, call the result many times. Inputs are the same documents as
// cel_bench.cc, as plain JS objects (ints as BigInt, as both peers want for CEL int).
// Prints one JSON object per line: {peer, workload, ns_per_op (CPU), wall_ns_per_op, iterations, result}.
// Run from bench/cel_peers.sh (it installs the packages and sets NODE_PATH-free imports by
// running from the install folder).
import {celEnv, parse as bufParse, plan as bufPlan} from "@bufbuild/cel";
import {parse as jsParse} from "@marcbachmann/cel-js";

const SIMPLE = "x + 1 > 10 && s.startsWith('ab')";
// Neither peer has Kubernetes' quantity(): the capacity is an int of bytes (40Gi) and the
// comparison is against the int 10Gi instead of .compareTo(quantity('10Gi')) >= 0.
const DRA_PEER =
  "device.driver == 'gpu.example.com' && " +
  "device.attributes['gpu.example.com'].profile == '1g.10gb' && " +
  "device.capacity['gpu.example.com'].memory >= 10737418240";
const ADMISSION =
  "object.spec.containers.all(c, has(c.resources.limits) && " +
  "c.image.startsWith('registry.example.com/'))";

function podJson() {  // byte-for-byte the pod of cel_bench.cc's PodJson()
  let containers = "";
  for (let i = 0; i < 8; ++i) {
    if (i) containers += ",";
    containers += `{"name":"app-${i}","image":"registry.example.com/team/app-${i}:v1.2.3",` +
      `"ports":[{"containerPort":8080,"protocol":"TCP"}],` +
      `"env":[{"name":"MODE","value":"production"},{"name":"LOG_LEVEL","value":"info"},` +
      `{"name":"REGION","value":"eu-west-1"}],` +
      `"resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"250m","memory":"128Mi"}},` +
      `"volumeMounts":[{"name":"config","mountPath":"/etc/app"}],` +
      `"readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10}}`;
  }
  return `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d9f8b6c5-x2x9z","namespace":"prod",` +
    `"labels":{"app":"web","tier":"frontend","pod-template-hash":"7d9f8b6c5"},` +
    `"annotations":{"example.com/owner":"team-web"}},"spec":{"containers":[` + containers +
    `],"volumes":[{"name":"config","configMap":{"name":"web-config"}}],"nodeName":"node-1",` +
    `"serviceAccountName":"web"},"status":{"phase":"Running"}}`;
}
// JSON numbers become BigInt so that both peers see CEL ints, as the C++ side does.
const toInts = (v) => Array.isArray(v) ? v.map(toInts)
  : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toInts(x)]))
  : typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v;

const podText = podJson();
const pod = toInts(JSON.parse(podText));
const device = {
  driver: "gpu.example.com",
  attributes: {"gpu.example.com": {profile: "1g.10gb", index: 0n}},
  capacity: {"gpu.example.com": {memory: 40n * 1024n * 1024n * 1024n}},
};

const budgetMs = Number(process.env.CEL_PEERS_MS || 400);  // per repetition
const reps = Number(process.env.CEL_PEERS_REPS || 5);

// Best (lowest) ns/op over `reps` repetitions of a loop calibrated to ~budgetMs; bounded.
// Both CPU time (process.cpuUsage: user + system of the whole process, GC threads included)
// and wall time; the table uses CPU time, as it does for cel_bench, so that a loaded machine
// (2 shared cores) skews both sides alike.
const cpuNs = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1000; };
function measure(fn) {
  for (let i = 0; i < 20000; ++i) fn();  // warm-up (JIT)
  let n = 1000;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; ++i) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > budgetMs / 4 || n >= 1 << 26) { n = Math.max(1000, Math.round(n * budgetMs / ms)); break; }
    n *= 4;
  }
  let best = Infinity, bestWall = Infinity;
  for (let r = 0; r < reps; ++r) {
    const c0 = cpuNs(), t0 = process.hrtime.bigint();
    for (let i = 0; i < n; ++i) fn();
    bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - t0) / n);
    best = Math.min(best, (cpuNs() - c0) / n);
  }
  return {ns: best, wall: bestWall, n};
}

const env = celEnv();
const peers = {
  "@bufbuild/cel": {compile: (e) => bufPlan(env, bufParse(e))},
  "@marcbachmann/cel-js": {compile: (e) => jsParse(e)},
};
const workloads = [
  {name: "simple", expr: SIMPLE, vars: {x: 12n, s: "abc"}},
  {name: "dra_selector", expr: DRA_PEER, vars: {device}},
  {name: "admission_pod_4k", expr: ADMISSION, vars: {object: pod}},
];

for (const [peer, p] of Object.entries(peers)) {
  for (const w of workloads) {
    const prog = p.compile(w.expr);
    const result = prog(w.vars);
    if (result !== true) {
      console.log(JSON.stringify({peer, workload: w.name, error: String(result)}));
      continue;
    }
    const {ns, wall, n} = measure(() => prog(w.vars));
    console.log(JSON.stringify({peer, workload: w.name, ns_per_op: ns, wall_ns_per_op: wall, iterations: n, result}));
  }
  // Compile of the DRA selector (the peer's variant): parse + plan, no type check in either.
  const {ns, wall, n} = measure(() => p.compile(DRA_PEER));
  console.log(JSON.stringify({peer, workload: "compile_dra", ns_per_op: ns, wall_ns_per_op: wall, iterations: n}));
}
console.log(JSON.stringify({meta: true, node: process.version, pod_bytes: podText.length}));
