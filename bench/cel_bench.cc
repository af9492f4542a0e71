// CEL evaluation benchmarks for the workloads of issue 4 (Google Benchmark). Each reports
// ns per evaluation and heap allocations per evaluation ("allocs/op", counted by replacing
// the global operator new in this binary). Build: cmake --build build --target cel_bench.

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "cel/common/containers.h"
#include "cel/common/json_value.h"
#include "cel/library/k8s.h"
#include "cel/runtime/kubernetes_env.h"
#include "cel/runtime/program.h"
#include "common/json.h"

namespace {

std::atomic<int64_t> g_allocations{0};

}  // namespace

// The replacements pair malloc with free; g++ cannot see that and warns at each call site.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace haru::cel {
namespace {

std::unique_ptr<Program> MustCompile(const Env& env, const std::string& expr) {
  CompileResult r = Compile(env, expr);
  if (!r.ok()) {
    std::fprintf(stderr, "%s\n", r.ErrorText().c_str());
    std::abort();
  }
  return std::move(r.program);
}

// Runs `program` with `act` in the benchmark loop, reporting allocations per evaluation.
void EvalLoop(benchmark::State& state, const Program& program, Activation& act, bool want) {
  int64_t before = 0;
  bool first = true;
  for (auto _ : state) {
    if (first) {
      before = g_allocations.load(std::memory_order_relaxed);
      first = false;
    }
    StatusOr<Value> v = program.Evaluate(act);
    if (!v.ok() || !v->Is(ValueKind::kBool) || v->bool_value() != want) {
      state.SkipWithError("unexpected result");
      break;
    }
    benchmark::DoNotOptimize(v);
  }
  state.counters["allocs/op"] = benchmark::Counter(
      static_cast<double>(g_allocations.load() - before) / static_cast<double>(state.iterations()));
}

constexpr char kSimple[] = "x + 1 > 10 && s.startsWith('ab')";
constexpr char kDra[] =
    "device.driver == 'gpu.example.com' && "
    "device.attributes['gpu.example.com'].profile == '1g.10gb' && "
    "device.capacity['gpu.example.com'].memory.compareTo(quantity('10Gi')) >= 0";
constexpr char kAdmission[] =
    "object.spec.containers.all(c, has(c.resources.limits) && "
    "c.image.startsWith('registry.example.com/'))";

void BM_Simple(benchmark::State& state) {
  auto program = MustCompile(Env::Standard({"x", "s"}), kSimple);
  Activation act(*program);
  act.Bind("x", Value::Int(12));
  act.Bind("s", Value::StringView("abc"));
  EvalLoop(state, *program, act, true);
}
BENCHMARK(BM_Simple);

Value DraDevice() {
  auto* attrs = new ValueMap();
  attrs->Insert(Value::String("profile"), Value::String("1g.10gb"));
  attrs->Insert(Value::String("index"), Value::Int(0));
  auto* domains = new ValueMap();
  domains->Insert(Value::String("gpu.example.com"), Value::Map(attrs));
  Value memory = QuantityFromString("40Gi");
  auto* caps = new ValueMap();
  caps->Insert(Value::String("memory"), memory);
  auto* cap_domains = new ValueMap();
  cap_domains->Insert(Value::String("gpu.example.com"), Value::Map(caps));
  auto* device = new ValueMap();
  Value out = Value::Map(device);
  device->Insert(Value::String("driver"), Value::String("gpu.example.com"));
  device->Insert(Value::String("attributes"), Value::Map(domains));
  device->Insert(Value::String("capacity"), Value::Map(cap_domains));
  return out;
}

void BM_DraSelector(benchmark::State& state) {
  // Compiled the way the API server and the scheduler do: checked in the DRA environment.
  auto program = MustCompile(DraSelectorEnv(), kDra);
  Value device = DraDevice();
  Activation act(*program);
  act.Bind("device", device);
  EvalLoop(state, *program, act, true);
}
BENCHMARK(BM_DraSelector);

// The variant the JS peers run (they have no quantity()): capacity as an int of bytes,
// compared with an int literal. Same device otherwise; bench/cel_peers.sh compares both.
constexpr char kDraPeer[] =
    "device.driver == 'gpu.example.com' && "
    "device.attributes['gpu.example.com'].profile == '1g.10gb' && "
    "device.capacity['gpu.example.com'].memory >= 10737418240";

void BM_DraSelectorIntCapacity(benchmark::State& state) {
  auto program = MustCompile(Env::Standard({"device"}), kDraPeer);
  Value device = ValueFromJson(*ParseJson(
      R"({"driver":"gpu.example.com","attributes":{"gpu.example.com":{"profile":"1g.10gb","index":0}},)"
      R"("capacity":{"gpu.example.com":{"memory":42949672960}}})"));
  Activation act(*program);
  act.Bind("device", device);
  EvalLoop(state, *program, act, true);
}
BENCHMARK(BM_DraSelectorIntCapacity);

// A pod of about 4 KiB: 8 containers with images, env, ports and resource limits.
std::string PodJson() {
  std::string containers;
  for (int i = 0; i < 8; ++i) {
    if (i) containers += ",";
    containers += R"({"name":"app-)" + std::to_string(i) +
                  R"(","image":"registry.example.com/team/app-)" + std::to_string(i) +
                  R"(:v1.2.3","ports":[{"containerPort":8080,"protocol":"TCP"}],)"
                  R"("env":[{"name":"MODE","value":"production"},{"name":"LOG_LEVEL","value":"info"},)"
                  R"({"name":"REGION","value":"eu-west-1"}],)"
                  R"("resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"250m","memory":"128Mi"}},)"
                  R"("volumeMounts":[{"name":"config","mountPath":"/etc/app"}],)"
                  R"("readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10}})";
  }
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d9f8b6c5-x2x9z","namespace":"prod",)"
         R"("labels":{"app":"web","tier":"frontend","pod-template-hash":"7d9f8b6c5"},)"
         R"("annotations":{"example.com/owner":"team-web"}},"spec":{"containers":[)" +
         containers +
         R"(],"volumes":[{"name":"config","configMap":{"name":"web-config"}}],"nodeName":"node-1",)"
         R"("serviceAccountName":"web"},"status":{"phase":"Running"}})";
}

void BM_AdmissionPod4K(benchmark::State& state) {
  auto program = MustCompile(Env::Standard({"object"}), kAdmission);
  std::string text = PodJson();
  Value pod = ValueFromJson(*ParseJson(text));
  Activation act(*program);
  act.Bind("object", pod);
  state.counters["pod_bytes"] = static_cast<double>(text.size());
  EvalLoop(state, *program, act, true);
}
BENCHMARK(BM_AdmissionPod4K);

// Parse, type-check against `device`, estimate the worst-case cost, plan: what validation of a
// ResourceClaim and the scheduler's selector cache do.
void BM_CompileDraSelector(benchmark::State& state) {
  const Env& env = DraSelectorEnv();
  for (auto _ : state) {
    CompileResult r = Compile(env, kDra);
    if (!r.ok()) {
      state.SkipWithError("compile failed");
      break;
    }
    benchmark::DoNotOptimize(r.program);
  }
}
BENCHMARK(BM_CompileDraSelector);

// Parse and plan only (an unchecked environment), for comparison with the JS peers' parse.
void BM_CompileDraSelectorUnchecked(benchmark::State& state) {
  Env env = Env::Standard({"device"});
  for (auto _ : state) {
    CompileResult r = Compile(env, kDra);
    benchmark::DoNotOptimize(r.program);
  }
}
BENCHMARK(BM_CompileDraSelectorUnchecked);

}  // namespace
}  // namespace haru::cel

BENCHMARK_MAIN();
