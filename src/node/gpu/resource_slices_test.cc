#include "node/gpu/resource_slices.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "api/kinds.h"
#include "common/quantity/quantity.h"

namespace haru::node::gpu {
namespace {

const GpuModel& A100() { return *FindGpuModel("a100-80gb"); }

// All devices of all slices, by name.
std::map<std::string, Json> Devices(const std::vector<Json>& slices) {
  std::map<std::string, Json> out;
  for (const Json& s : slices) {
    for (const Json& d : s["spec"].value("devices", Json::array())) out[d["name"]] = d;
  }
  return out;
}

// counter set name -> counter -> value (as text).
std::map<std::string, std::map<std::string, std::string>> CounterSets(const std::vector<Json>& slices) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const Json& s : slices) {
    for (const Json& set : s["spec"].value("sharedCounters", Json::array())) {
      for (auto it = set["counters"].begin(); it != set["counters"].end(); ++it) {
        out[set["name"]][it.key()] = (*it)["value"];
      }
    }
  }
  return out;
}

TEST(GpuModel, KnowsBothModels) {
  EXPECT_NE(FindGpuModel("a100-80gb"), nullptr);
  EXPECT_NE(FindGpuModel("h100-80gb"), nullptr);
  EXPECT_EQ(FindGpuModel("v100"), nullptr);
  EXPECT_EQ(GpuModelIds(), (std::vector<std::string>{"a100-80gb", "h100-80gb"}));
  // 1 full GPU + 7 + 4 + 3 + 2 + 1 + 1 MIG placements.
  EXPECT_EQ(A100().DevicesPerGpu(), 19);
  EXPECT_EQ(FindGpuModel("h100-80gb")->DevicesPerGpu(), 19);
}

TEST(ResourceSlices, EightGpusMakeOneCounterSliceAndThreeDeviceSlices) {
  std::vector<Json> slices = BuildResourceSlices("sim-0", A100(), 8, 1);
  ASSERT_EQ(slices.size(), 4u);
  for (size_t k = 0; k < slices.size(); ++k) {
    const Json& spec = slices[k]["spec"];
    EXPECT_EQ(slices[k]["metadata"]["name"], "sim-0-gpu.haru.dev-" + std::to_string(k));
    EXPECT_EQ(spec["driver"], "gpu.haru.dev");
    EXPECT_EQ(spec["nodeName"], "sim-0");
    EXPECT_EQ(spec["pool"]["name"], "sim-0");
    EXPECT_EQ(spec["pool"]["generation"], 1);
    EXPECT_EQ(spec["pool"]["resourceSliceCount"], 4);
    // Counters and devices never share a slice.
    EXPECT_NE(spec.contains("sharedCounters"), spec.contains("devices"));
    if (spec.contains("devices")) {
      EXPECT_LE(spec["devices"].size(), 64u);
    }
  }
  EXPECT_EQ(slices[0]["spec"]["sharedCounters"].size(), 8u);
  EXPECT_EQ(slices[1]["spec"]["devices"].size(), 57u);  // 3 GPUs × 19
  EXPECT_EQ(slices[3]["spec"]["devices"].size(), 38u);
  EXPECT_EQ(Devices(slices).size(), 8u * 19u);
}

TEST(ResourceSlices, NineGpusNeedASecondCounterSlice) {
  std::vector<Json> slices = BuildResourceSlices("n", A100(), 9, 0);
  ASSERT_EQ(slices.size(), 2u + 3u);
  EXPECT_EQ(slices[0]["spec"]["sharedCounters"].size(), 8u);
  EXPECT_EQ(slices[1]["spec"]["sharedCounters"].size(), 1u);
  EXPECT_EQ(slices[1]["spec"]["sharedCounters"][0]["name"], "gpu-8-counter-set");
  EXPECT_TRUE(BuildResourceSlices("n", A100(), 0, 0).empty());
}

TEST(ResourceSlices, CounterSetHoldsMemorySmsAndEightMemorySlices) {
  auto sets = CounterSets(BuildResourceSlices("n", A100(), 2, 1));
  ASSERT_EQ(sets.size(), 2u);
  const auto& set = sets["gpu-1-counter-set"];
  EXPECT_EQ(set.size(), 10u);
  EXPECT_EQ(set.at("memory"), "80Gi");
  EXPECT_EQ(set.at("multiprocessors"), "108");
  for (int s = 0; s < 8; ++s) EXPECT_EQ(set.at("memory-slice-" + std::to_string(s)), "1");
}

TEST(ResourceSlices, FullGpuConsumesItsWholeCounterSet) {
  std::vector<Json> slices = BuildResourceSlices("n", A100(), 1, 1);
  Json gpu = Devices(slices).at("gpu-0");
  EXPECT_EQ(gpu["attributes"]["type"]["string"], "gpu");
  EXPECT_EQ(gpu["attributes"]["productName"]["string"], "NVIDIA A100-SXM4-80GB");
  EXPECT_EQ(gpu["attributes"]["cudaComputeCapability"]["version"], "8.0.0");
  EXPECT_EQ(gpu["attributes"]["index"]["int"], 0);
  EXPECT_FALSE(gpu["attributes"].contains("profile"));
  EXPECT_EQ(gpu["capacity"]["memory"]["value"], "80Gi");
  ASSERT_EQ(gpu["consumesCounters"].size(), 1u);
  EXPECT_EQ(gpu["consumesCounters"][0]["counterSet"], "gpu-0-counter-set");
  EXPECT_EQ(gpu["consumesCounters"][0]["counters"], slices[0]["spec"]["sharedCounters"][0]["counters"]);
}

TEST(ResourceSlices, MigDevicesConsumeTheirMemorySlices) {
  std::vector<Json> slices = BuildResourceSlices("n", A100(), 1, 1);
  auto devices = Devices(slices);
  Json mig = devices.at("gpu-0-mig-3g40gb-9-4");
  EXPECT_EQ(mig["attributes"]["type"]["string"], "mig");
  EXPECT_EQ(mig["attributes"]["profile"]["string"], "3g.40gb");
  EXPECT_EQ(mig["attributes"]["placement"]["int"], 4);
  EXPECT_EQ(mig["attributes"]["parentUUID"]["string"], GpuUuid("n", 0));
  EXPECT_EQ(mig["attributes"]["uuid"]["string"].get<std::string>().rfind("MIG-", 0), 0u);
  EXPECT_EQ(mig["capacity"]["memory"]["value"], "40192Mi");
  EXPECT_EQ(mig["capacity"]["multiprocessors"]["value"], "42");
  const Json& c = mig["consumesCounters"][0]["counters"];
  EXPECT_EQ(c.size(), 2u + 4u);
  for (int s : {4, 5, 6, 7}) EXPECT_TRUE(c.contains("memory-slice-" + std::to_string(s)));
  // Every placement of every profile is present, and nothing else.
  std::set<std::string> names;
  for (const auto& [name, d] : devices) names.insert(name);
  for (const char* want :
       {"gpu-0-mig-1g10gb-19-0", "gpu-0-mig-1g10gb-19-6", "gpu-0-mig-1g20gb-15-6", "gpu-0-mig-2g20gb-14-4",
        "gpu-0-mig-3g40gb-9-0", "gpu-0-mig-4g40gb-5-0", "gpu-0-mig-7g80gb-0-0"}) {
    EXPECT_TRUE(names.count(want)) << want;
  }
  EXPECT_FALSE(names.count("gpu-0-mig-1g10gb-19-7"));
  EXPECT_FALSE(names.count("gpu-0-mig-4g40gb-5-4"));
}

// Counters bound a GPU the way MIG does: the valid full layouts fit, overlaps do not.
TEST(ResourceSlices, CountersAdmitRealMigLayoutsOnly) {
  for (const std::string& id : GpuModelIds()) {
    const GpuModel& model = *FindGpuModel(id);
    std::vector<Json> slices = BuildResourceSlices("n", model, 1, 1);
    auto devices = Devices(slices);
    auto set = CounterSets(slices)["gpu-0-counter-set"];
    auto fits = [&](const std::vector<std::string>& picked) {
      std::map<std::string, Quantity> used;
      for (const std::string& name : picked) {
        const Json& counters = devices.at(name)["consumesCounters"][0]["counters"];
        for (auto it = counters.begin(); it != counters.end(); ++it) {
          Quantity q = *ParseQuantity((*it)["value"].get<std::string>());
          auto [u, inserted] = used.emplace(it.key(), q);
          if (!inserted) u->second = u->second.Add(q);
        }
      }
      for (const auto& [counter, q] : used) {
        if (!set.count(counter)) return false;
        if (q.Cmp(*ParseQuantity(set[counter])) > 0) return false;
      }
      return true;
    };
    std::vector<std::string> seven;
    for (int p = 0; p < 7; ++p) seven.push_back("gpu-0-mig-1g10gb-19-" + std::to_string(p));
    EXPECT_TRUE(fits(seven)) << id;
    EXPECT_TRUE(fits({"gpu-0-mig-4g40gb-5-0", "gpu-0-mig-3g40gb-9-4"})) << id;
    EXPECT_TRUE(fits({"gpu-0-mig-4g40gb-5-0", "gpu-0-mig-2g20gb-14-4", "gpu-0-mig-1g20gb-15-6"})) << id;
    EXPECT_TRUE(fits({"gpu-0"})) << id;
    EXPECT_TRUE(fits({"gpu-0-mig-7g80gb-0-0"})) << id;
    EXPECT_FALSE(fits({"gpu-0", "gpu-0-mig-1g10gb-19-0"})) << id;
    EXPECT_FALSE(fits({"gpu-0-mig-4g40gb-5-0", "gpu-0-mig-3g40gb-9-0"})) << id;
    EXPECT_FALSE(fits({"gpu-0-mig-1g10gb-19-6", "gpu-0-mig-1g20gb-15-6"})) << id;
  }
}

TEST(ResourceSlices, EverySlicePassesApiValidation) {
  const api::KindSpec* kind = api::FindKindByResource("resource.k8s.io", "v1", "resourceslices");
  ASSERT_NE(kind, nullptr);
  for (const std::string& id : GpuModelIds()) {
    for (int gpus : {1, 3, 8, 16}) {
      for (const Json& slice : BuildResourceSlices("sim-node-12", *FindGpuModel(id), gpus, 3)) {
        api::FieldErrors errs = kind->validate(slice);
        EXPECT_TRUE(errs.empty()) << id << " " << gpus << ": " << errs.front().Message();
      }
    }
  }
}

TEST(ResourceSlices, SharedGpusAreMultiAllocatableDevicesWithoutCounters) {
  std::vector<Json> slices = BuildResourceSlices("sim-0", A100(), 8, 1, /*shared_gpus=*/2);
  std::map<std::string, Json> devices = Devices(slices);
  // Six partitionable GPUs (19 devices each) plus two shared ones.
  EXPECT_EQ(devices.size(), 6u * 19u + 2u);
  EXPECT_EQ(devices.count("gpu-5"), 1u);
  EXPECT_EQ(devices.count("gpu-6"), 0u);
  const Json& shared = devices.at(SharedDeviceName(7));
  EXPECT_EQ(shared["allowMultipleAllocations"], true);
  EXPECT_EQ(shared["attributes"]["type"]["string"], "shared");
  EXPECT_EQ(shared["capacity"]["memory"]["value"], "80Gi");
  EXPECT_EQ(shared["capacity"]["memory"]["requestPolicy"]["default"], "10Gi");
  EXPECT_FALSE(shared.contains("consumesCounters"));
  EXPECT_EQ(CounterSets(slices).size(), 6u);
  for (const Json& slice : slices) {
    EXPECT_EQ(slice["spec"]["pool"]["resourceSliceCount"], static_cast<int64_t>(slices.size()));
  }
  const api::KindSpec* kind = api::FindKindByResource("resource.k8s.io", "v1", "resourceslices");
  ASSERT_NE(kind, nullptr);
  for (const Json& slice : slices) {
    api::FieldErrors errs = kind->validate(slice);
    EXPECT_TRUE(errs.empty()) << errs.front().Message();
  }
}

TEST(ResourceSlices, IdentifiersAreStable) {
  EXPECT_EQ(GpuUuid("a", 1), GpuUuid("a", 1));
  EXPECT_NE(GpuUuid("a", 1), GpuUuid("a", 2));
  EXPECT_NE(GpuUuid("a", 1), GpuUuid("b", 1));
  EXPECT_EQ(GpuUuid("a", 1).size(), 4u + 36u);
  EXPECT_EQ(MebibyteQuantity(81920), "80Gi");
  EXPECT_EQ(MebibyteQuantity(9728), "9728Mi");
  EXPECT_EQ(BuildResourceSlices("n", A100(), 8, 1), BuildResourceSlices("n", A100(), 8, 1));
}

}  // namespace
}  // namespace haru::node::gpu
