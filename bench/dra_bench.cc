// Allocator figures for issue 5's Performance table (rows 3, 4 and 6), measured on the
// structured allocator (scheduler/dra/allocator.h) directly, over the ResourceSlices the
// built-in driver publishes (node/gpu/resource_slices.h): one node with 8 A100-80GB GPUs and
// every MIG placement (8 x 19 = 152 devices, one counter set per GPU). A timing loop, not a
// test: nothing asserts a time. Human lines on stderr, one JSON object on stdout.
//
//   dra_bench [--section fill|hard|pack|create|all] [--fills 300] [--reps 200] [--seeds 20]
//
// fill:   1g.10gb claims one after another until the node is full (56 pods), repeated --fills
//         times; per-Allocate latency percentiles for the first 90 % and the last 10 % of the
//         fill, and for the rejection once full. Also with a 2 x 1g matchAttribute claim.
// hard:   hard requests that fit and impossible ones, on the empty node, each --reps times.
// pack:   a seeded stream of mixed 1g/2g/3g/7g claims until the first does not fit; fraction
//         of GPU memory allocated then, best-fit vs first-fit on the same stream.
// create: Allocator::Create over 500 such nodes (what the scheduler rebuilds when slices change).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "node/gpu/gpu_model.h"
#include "node/gpu/resource_slices.h"
#include "scheduler/dra/allocator.h"

namespace {

using haru::Json;
using namespace haru::scheduler::dra;  // NOLINT
using Clock = std::chrono::steady_clock;

constexpr char kModel[] = "a100-80gb";
constexpr int kGpus = 8;

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "dra_bench: " << what << "\n";
  std::exit(1);
}

template <typename T>
T Must(haru::StatusOr<T> v, const std::string& what) {
  if (!v.ok()) Die(what + ": " + v.status().ToString());
  return std::move(v).value();
}

std::vector<ResourceSlice> NodeSlices(const std::string& node) {
  const haru::node::gpu::GpuModel* model = haru::node::gpu::FindGpuModel(kModel);
  if (model == nullptr) Die("unknown GPU model");
  std::vector<ResourceSlice> out;
  for (const Json& j : haru::node::gpu::BuildResourceSlices(node, *model, kGpus, 1)) {
    out.push_back(Must(ParseResourceSlice(j), "slice"));
  }
  return out;
}

std::vector<DeviceClass> Classes() {
  Json mig = Json::parse(R"({"metadata":{"name":"mig.gpu.haru.dev"},"spec":{"selectors":[{"cel":{"expression":
      "device.driver == 'gpu.haru.dev' && device.attributes['gpu.haru.dev'].type == 'mig'"}}]}})");
  return {Must(ParseDeviceClass(mig), "class")};
}

// One request per (profile, count); `match_parent` puts all of them on one GPU.
ResourceClaim Claim(const std::string& name, const std::vector<std::pair<std::string, int>>& parts,
                    bool match_parent = false) {
  Json requests = Json::array();
  int k = 0;
  for (const auto& [profile, count] : parts) {
    Json exactly = {{"deviceClassName", "mig.gpu.haru.dev"},
                    {"count", count},
                    {"selectors", Json::array({{{"cel", {{"expression", "device.attributes['gpu.haru.dev'].profile == '" +
                                                                          profile + "'"}}}}})}};
    requests.push_back({{"name", "r" + std::to_string(k++)}, {"exactly", exactly}});
  }
  Json devices = {{"requests", requests}};
  if (match_parent) devices["constraints"] = Json::array({{{"matchAttribute", "gpu.haru.dev/parentUUID"}}});
  Json claim = {{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}}},
                {"spec", {{"devices", devices}}}};
  return Must(ParseResourceClaim(claim), "claim " + name);
}

// Memory slices (1/8 of a GPU's memory each) and usable MiB of every device, from its counters.
struct DeviceSize {
  int slices = 0;
  double mib = 0;
};
std::map<std::string, DeviceSize> DeviceSizes(const std::vector<ResourceSlice>& slices) {
  std::map<std::string, DeviceSize> sizes;
  for (const ResourceSlice& s : slices) {
    for (const Device& d : s.devices) {
      DeviceSize z;
      for (const CounterConsumption& cc : d.consumes_counters) {
        for (const Counter& c : cc.counters) {
          if (c.name.rfind("memory-slice-", 0) == 0) ++z.slices;
          if (c.name == "memory") z.mib = c.value.AsApproximateDouble() / (1024.0 * 1024.0);
        }
      }
      sizes[d.name] = z;
    }
  }
  return sizes;
}

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// This thread's CPU time in microseconds: unlike wall time, it leaves out the time the thread
// waited for a core, which on a shared 2-core machine is most of the tail.
double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[std::min(k, v.size() - 1)];
}

Json Summary(const std::vector<double>& us) {
  return {{"n", us.size()},    {"p50_us", Pct(us, 0.5)}, {"p90_us", Pct(us, 0.9)},
          {"p99_us", Pct(us, 0.99)}, {"max_us", Pct(us, 1.0)}};
}

const Node kNode{"node-1", {}};

// Records an allocation's devices in `state`; returns the memory slices and MiB it took.
DeviceSize Record(const AllocateResult& r, AllocatedState& state, const std::map<std::string, DeviceSize>& sizes) {
  DeviceSize took;
  for (const Json& a : r.allocations) {
    for (const Json& x : a["devices"]["results"]) {
      DeviceId id{x["driver"], x["pool"], x["device"]};
      state.allocated_devices.insert(id);
      auto it = sizes.find(id.device);
      if (it != sizes.end()) {
        took.slices += it->second.slices;
        took.mib += it->second.mib;
      }
    }
  }
  return took;
}

// ---------------------------------------------------------------- fill

Json FillSection(int fills) {
  std::vector<ResourceSlice> slices = NodeSlices(kNode.name);
  auto sizes = DeviceSizes(slices);
  auto allocator = Allocator::Create(AllocatorOptions{}, slices, Classes(), {});
  Json out = Json::object();
  for (bool pairs : {false, true}) {
    std::vector<ResourceClaim> claims;
    for (int i = 0; i < 64; ++i) {
      claims.push_back(pairs ? Claim("p" + std::to_string(i), {{"1g.10gb", 2}}, true)
                             : Claim("c" + std::to_string(i), {{"1g.10gb", 1}}));
    }
    std::vector<std::vector<double>> by_index, cpu_by_index;  // wall / CPU time of the k-th pod
    std::vector<double> rejection, rejection_cpu;
    int capacity = -1;
    // Fill -1 is a warm-up, not recorded: its first call compiles the CEL selectors into the
    // allocator's cache, as the scheduler's first pod with a new selector does.
    double cold_us = 0;
    for (int f = -1; f < fills; ++f) {
      AllocatedState state;
      int placed = 0;
      for (int k = 0; k < static_cast<int>(claims.size()); ++k) {
        double c0 = ThreadCpuMicros();
        auto t = Clock::now();
        auto r = allocator->Allocate(kNode, {&claims[k]}, state);
        double us = Micros(Clock::now() - t);
        double cpu = ThreadCpuMicros() - c0;
        if (!r.ok()) Die("allocate: " + r.status().ToString());
        if (f < 0) {
          if (k == 0) cold_us = us;
          if (!r->allocated) break;
          Record(*r, state, sizes);
          continue;
        }
        if (!r->allocated) {
          rejection.push_back(us);
          rejection_cpu.push_back(cpu);
          break;
        }
        Record(*r, state, sizes);
        if (static_cast<int>(by_index.size()) <= k) {
          by_index.resize(k + 1);
          cpu_by_index.resize(k + 1);
        }
        by_index[k].push_back(us);
        cpu_by_index[k].push_back(cpu);
        ++placed;
      }
      if (f < 0) continue;
      if (capacity < 0) capacity = placed;
      if (placed != capacity) Die("fills differ in size");
    }
    // First 90 % of the fill and the last 10 % (rounded up: 6 of 56 pods, 3 of 24).
    int last = (capacity + 9) / 10;
    std::vector<double> steady, filling, steady_cpu, filling_cpu;
    for (int k = 0; k < capacity; ++k) {
      auto& dst = k < capacity - last ? steady : filling;
      dst.insert(dst.end(), by_index[k].begin(), by_index[k].end());
      auto& cdst = k < capacity - last ? steady_cpu : filling_cpu;
      cdst.insert(cdst.end(), cpu_by_index[k].begin(), cpu_by_index[k].end());
    }
    Json j = {{"pods_per_node", capacity},
              {"last_10pct_pods", last},
              {"steady", Summary(steady)},
              {"filling", Summary(filling)},
              {"rejection_when_full", Summary(rejection)},
              {"steady_cpu", Summary(steady_cpu)},
              {"filling_cpu", Summary(filling_cpu)},
              {"rejection_when_full_cpu", Summary(rejection_cpu)},
              {"cold_first_call_us", cold_us}};
    std::string key = pairs ? "fill_2x1g_match" : "fill_1g";
    std::cerr << "dra_bench: " << key << ": " << capacity << " pods per node; first 90% p50 "
              << j["steady"]["p50_us"] << " us p99 " << j["steady"]["p99_us"] << " us; last 10% p50 "
              << j["filling"]["p50_us"] << " us p99 " << j["filling"]["p99_us"] << " us; rejection when full p99 "
              << j["rejection_when_full"]["p99_us"] << " us; CPU-time p99 " << j["steady_cpu"]["p99_us"] << " / "
              << j["filling_cpu"]["p99_us"] << " / " << j["rejection_when_full_cpu"]["p99_us"]
              << " us; cold first call " << cold_us << " us (" << fills
              << " fills)\n";
    out[key] = j;
  }
  return out;
}

// ---------------------------------------------------------------- hard / impossible

struct HardCase {
  std::string name;
  bool expect_fit;
  std::vector<ResourceClaim> claims;
};

Json HardSection(int reps) {
  std::vector<ResourceSlice> slices = NodeSlices(kNode.name);
  AllocatorOptions options;
  auto allocator = Allocator::Create(options, slices, Classes(), {});
  std::vector<HardCase> cases;
  cases.push_back({"16 x 3g.40gb (every GPU split in two halves)", true, {Claim("h1", {{"3g.40gb", 16}})}});
  cases.push_back({"8 x 4g.40gb + 8 x 2g.20gb + 8 x 1g.10gb in one claim (each GPU exactly full)", true,
                   {Claim("h2", {{"4g.40gb", 8}, {"2g.20gb", 8}, {"1g.10gb", 8}})}});
  {
    std::vector<ResourceClaim> c;
    for (int i = 0; i < 8; ++i) c.push_back(Claim("h3-" + std::to_string(i), {{"4g.40gb", 1}, {"2g.20gb", 1}, {"1g.10gb", 1}}, true));
    cases.push_back({"8 claims of 4g + 2g + 1g, each on one GPU (matchAttribute parentUUID)", true, std::move(c)});
  }
  cases.push_back({"17 x 3g.40gb (impossible by counting)", false, {Claim("i1", {{"3g.40gb", 17}})}});
  cases.push_back({"9 x 7g.80gb (impossible by counting)", false, {Claim("i2", {{"7g.80gb", 9}})}});
  cases.push_back({"15 x 3g.40gb + 3 x 2g.20gb in two claims (impossible: 66 of 64 memory slices)", false,
                   {Claim("i3a", {{"3g.40gb", 15}}), Claim("i3b", {{"2g.20gb", 3}})}});
  cases.push_back({"8 x 4g.40gb + 9 x 2g.20gb (impossible by placement: 50 of 64 slices)", false,
                   {Claim("i4", {{"4g.40gb", 8}, {"2g.20gb", 9}})}});
  {
    std::vector<ResourceClaim> c;
    for (int i = 0; i < 8; ++i) c.push_back(Claim("i5-" + std::to_string(i), {{"4g.40gb", 1}, {"2g.20gb", 2}}, true));
    cases.push_back({"8 claims of 4g + 2 x 2g, each on one GPU (impossible by placement)", false, std::move(c)});
  }
  Json out = Json::array();
  for (const HardCase& hc : cases) {
    std::vector<const ResourceClaim*> ptrs;
    for (const auto& c : hc.claims) ptrs.push_back(&c);
    std::vector<double> us, cpu;
    AllocateResult last;
    int n = reps;
    // One unrecorded call first: it compiles the case's CEL selectors (reported as cold).
    double cold_us = 0;
    {
      AllocatedState state;
      auto t = Clock::now();
      auto r = allocator->Allocate(kNode, ptrs, state);
      cold_us = Micros(Clock::now() - t);
      if (!r.ok()) Die(hc.name + ": " + r.status().ToString());
    }
    for (int i = 0; i < n; ++i) {
      AllocatedState state;
      double c0 = ThreadCpuMicros();
      auto t = Clock::now();
      auto r = allocator->Allocate(kNode, ptrs, state);
      us.push_back(Micros(Clock::now() - t));
      cpu.push_back(ThreadCpuMicros() - c0);
      if (!r.ok()) Die(hc.name + ": " + r.status().ToString());
      last = std::move(*r);
      // A slow case gets fewer repetitions (bounded at ~2 s per case).
      if (i == 0 && us[0] > 10000) n = std::max(3, std::min(reps, static_cast<int>(2e6 / us[0])));
    }
    Json j = {{"case", hc.name},     {"expect_fit", hc.expect_fit},       {"fits", last.allocated},
              {"steps", last.steps}, {"budget_exhausted", last.budget_exhausted},
              {"reason", last.reason}, {"timing", Summary(us)}, {"cpu", Summary(cpu)}, {"cold_us", cold_us}};
    std::cerr << "dra_bench: " << hc.name << ": fits=" << last.allocated << " steps=" << last.steps
              << (last.budget_exhausted ? " (budget exhausted)" : "") << " p50 " << Pct(us, 0.5) << " us max "
              << Pct(us, 1.0) << " us; CPU p50 " << Pct(cpu, 0.5) << " max " << Pct(cpu, 1.0) << " us (" << us.size()
              << " runs)\n";
    out.push_back(j);
  }
  return out;
}

// ---------------------------------------------------------------- packing

Json PackSection(int seeds) {
  std::vector<ResourceSlice> slices = NodeSlices(kNode.name);
  auto sizes = DeviceSizes(slices);
  const std::vector<std::pair<std::string, int>> kMix = {{"1g.10gb", 4}, {"2g.20gb", 3}, {"3g.40gb", 2}, {"7g.80gb", 1}};
  int weights = 0;
  for (const auto& m : kMix) weights += m.second;
  std::map<std::string, ResourceClaim> claim_of;
  for (const auto& m : kMix) claim_of.emplace(m.first, Claim("pack-" + m.first, {{m.first, 1}}));
  const haru::node::gpu::GpuModel* model = haru::node::gpu::FindGpuModel(kModel);
  const double total_mib = static_cast<double>(model->memory_mib) * kGpus;

  Json runs = Json::array();
  double sum[2] = {0, 0};
  int best_wins = 0, ties = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    Json run = {{"seed", seed}};
    double fraction[2];
    for (int k = 0; k < 2; ++k) {
      AllocatorOptions o;
      o.packing = k == 0 ? Packing::kBestFit : Packing::kFirstFit;
      auto allocator = Allocator::Create(o, slices, Classes(), {});
      std::mt19937 rng(seed);
      AllocatedState state;
      int used_slices = 0, placed = 0;
      double used_mib = 0;
      std::string failed;
      for (int i = 0; i < 1000; ++i) {
        int pick = static_cast<int>(rng() % weights);
        std::string profile;
        for (const auto& [p, w] : kMix) {
          if (pick < w) {
            profile = p;
            break;
          }
          pick -= w;
        }
        auto r = allocator->Allocate(kNode, {&claim_of.at(profile)}, state);
        if (!r.ok()) Die("pack: " + r.status().ToString());
        if (!r->allocated) {
          failed = profile;
          break;
        }
        DeviceSize took = Record(*r, state, sizes);
        used_slices += took.slices;
        used_mib += took.mib;
        ++placed;
      }
      fraction[k] = used_slices / (8.0 * kGpus);
      sum[k] += fraction[k];
      run[k == 0 ? "best_fit" : "first_fit"] = {{"placed", placed},
                                                 {"first_failure", failed},
                                                 {"memory_slices_fraction", fraction[k]},
                                                 {"usable_mib_fraction", used_mib / total_mib}};
    }
    if (fraction[0] > fraction[1] + 1e-9) ++best_wins;
    if (std::abs(fraction[0] - fraction[1]) <= 1e-9) ++ties;
    std::cerr << "dra_bench: pack seed " << seed << ": best-fit " << fraction[0] << " (first failure "
              << run["best_fit"]["first_failure"].get<std::string>() << "), first-fit " << fraction[1]
              << " (first failure " << run["first_fit"]["first_failure"].get<std::string>() << ")\n";
    runs.push_back(run);
  }
  Json out = {{"mix", "1g.10gb:2g.20gb:3g.40gb:7g.80gb = 4:3:2:1"},
              {"seeds", seeds},
              {"best_fit_mean", sum[0] / seeds},
              {"first_fit_mean", sum[1] / seeds},
              {"best_fit_better", best_wins},
              {"ties", ties},
              {"runs", runs}};
  std::cerr << "dra_bench: packing mean over " << seeds << " seeds: best-fit " << sum[0] / seeds << ", first-fit "
            << sum[1] / seeds << " (best-fit better in " << best_wins << ", equal in " << ties << ")\n";
  return out;
}

// ---------------------------------------------------------------- create

Json CreateSection() {
  std::vector<ResourceSlice> all;
  for (int i = 0; i < 500; ++i) {
    for (auto& s : NodeSlices("sim-" + std::to_string(i))) all.push_back(std::move(s));
  }
  std::vector<double> us;
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<ResourceSlice> copy = all;
    auto t = Clock::now();
    auto a = Allocator::Create(AllocatorOptions{}, std::move(copy), Classes(), {});
    us.push_back(Micros(Clock::now() - t));
  }
  std::cerr << "dra_bench: Allocator::Create over 500 nodes x 8 GPUs (" << all.size() << " slices): median "
            << Pct(us, 0.5) / 1000 << " ms\n";
  return {{"slices", all.size()}, {"timing", Summary(us)}};
}

}  // namespace

int main(int argc, char** argv) {
  std::string section = "all";
  int fills = 300, reps = 200, seeds = 20;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--section") section = value();
    else if (a == "--fills") fills = std::stoi(value());
    else if (a == "--reps") reps = std::stoi(value());
    else if (a == "--seeds") seeds = std::stoi(value());
    else Die("unknown argument " + a + " (see the comment at the top of bench/dra_bench.cc)");
  }
  Json out = Json::object();
  if (section == "all" || section == "fill") out["fill"] = FillSection(fills);
  if (section == "all" || section == "hard") out["hard"] = HardSection(reps);
  if (section == "all" || section == "pack") out["pack"] = PackSection(seeds);
  if (section == "all" || section == "create") out["create"] = CreateSection();
  std::cout << out.dump() << std::endl;
  return 0;
}
