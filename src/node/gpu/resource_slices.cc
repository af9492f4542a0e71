#include "node/gpu/resource_slices.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>

namespace haru::node::gpu {

namespace {

uint64_t Fnv1a(const std::string& text, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// A UUID-shaped string (8-4-4-4-12 hex) derived from `key`.
std::string UuidFrom(const std::string& key) {
  uint64_t a = Fnv1a(key, 0), b = Fnv1a(key, 0x9e3779b97f4a7c15ull);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

Json Counter(const std::string& value) { return Json{{"value", value}}; }
Json StringAttr(const std::string& v) { return Json{{"string", v}}; }
Json IntAttr(int64_t v) { return Json{{"int", v}}; }

std::string CounterSetName(int index) { return "gpu-" + std::to_string(index) + "-counter-set"; }

Json CounterSet(const GpuModel& model, int index) {
  Json counters = Json::object();
  counters["memory"] = Counter(MebibyteQuantity(model.memory_mib));
  counters["multiprocessors"] = Counter(std::to_string(model.multiprocessors));
  for (int s = 0; s < model.memory_slices; ++s) {
    counters["memory-slice-" + std::to_string(s)] = Counter("1");
  }
  return Json{{"name", CounterSetName(index)}, {"counters", std::move(counters)}};
}

Json CommonAttributes(const GpuModel& model, int index) {
  return Json{{"productName", StringAttr(model.product_name)},
              {"architecture", StringAttr(model.architecture)},
              {"cudaComputeCapability", Json{{"version", model.cuda_compute_capability}}},
              {"index", IntAttr(index)}};
}

// Devices of GPU `index` without the node's identifiers (uuid, parentUUID): the same for every
// node, so they are built once per (model, index) and copied, which is several times cheaper
// than building nlohmann documents from initializer lists for thousands of nodes.
Json FullGpuDevice(const GpuModel& model, int index) {
  Json attrs = CommonAttributes(model, index);
  attrs["type"] = StringAttr("gpu");
  Json consumes = CounterSet(model, index)["counters"];  // everything the GPU has
  return Json{
      {"name", "gpu-" + std::to_string(index)},
      {"attributes", std::move(attrs)},
      {"capacity",
       {{"memory", Counter(MebibyteQuantity(model.memory_mib))},
        {"multiprocessors", Counter(std::to_string(model.multiprocessors))}}},
      {"consumesCounters",
       Json::array({Json{{"counterSet", CounterSetName(index)}, {"counters", std::move(consumes)}}})}};
}

Json MigDevice(const GpuModel& model, int index, const MigProfile& profile, int placement) {
  Json attrs = CommonAttributes(model, index);
  attrs["type"] = StringAttr("mig");
  attrs["profile"] = StringAttr(profile.name);
  attrs["placement"] = IntAttr(placement);
  Json counters = Json::object();
  counters["memory"] = Counter(MebibyteQuantity(profile.memory_mib));
  counters["multiprocessors"] = Counter(std::to_string(profile.multiprocessors));
  for (int s = placement; s < placement + profile.memory_slices; ++s) {
    counters["memory-slice-" + std::to_string(s)] = Counter("1");
  }
  return Json{
      {"name", MigDeviceName(index, profile, placement)},
      {"attributes", std::move(attrs)},
      {"capacity",
       {{"memory", Counter(MebibyteQuantity(profile.memory_mib))},
        {"multiprocessors", Counter(std::to_string(profile.multiprocessors))}}},
      {"consumesCounters",
       Json::array({Json{{"counterSet", CounterSetName(index)}, {"counters", std::move(counters)}}})}};
}

// A whole GPU offered to several claims at once: memory is consumable capacity.
Json SharedGpuDevice(const std::string& node, const GpuModel& model, int index) {
  Json attrs = CommonAttributes(model, index);
  attrs["type"] = StringAttr("shared");
  attrs["uuid"] = StringAttr(GpuUuid(node, index));
  Json memory = {{"value", MebibyteQuantity(model.memory_mib)},
                 {"requestPolicy", {{"default", "10Gi"}, {"validRange", {{"min", "1Gi"}, {"step", "1Gi"}}}}}};
  return Json{{"name", SharedDeviceName(index)},
              {"allowMultipleAllocations", true},
              {"attributes", std::move(attrs)},
              // Only memory: a capacity without a request policy would be consumed whole by
              // every share (KEP-5075), leaving room for one claim.
              {"capacity", {{"memory", std::move(memory)}}}};
}

struct GpuTemplate {
  Json counter_set;
  std::vector<Json> devices;                            // full GPU first, then MIG devices in profile order
  std::vector<std::pair<const MigProfile*, int>> migs;  // (profile, placement) of devices[1..]
};

const GpuTemplate& TemplateFor(const GpuModel& model, int index) {
  static std::mutex mu;
  static std::map<std::pair<const GpuModel*, int>, std::unique_ptr<GpuTemplate>> cache;
  std::lock_guard lock(mu);
  auto& slot = cache[{&model, index}];
  if (!slot) {
    slot = std::make_unique<GpuTemplate>();
    slot->counter_set = CounterSet(model, index);
    slot->devices.push_back(FullGpuDevice(model, index));
    for (const MigProfile& p : model.profiles) {
      for (int placement : p.placements) {
        slot->devices.push_back(MigDevice(model, index, p, placement));
        slot->migs.emplace_back(&p, placement);
      }
    }
  }
  return *slot;  // entries are never removed or changed once built
}

void AppendGpuDevices(const std::string& node, const GpuModel& model, int index, Json& out) {
  const GpuTemplate& t = TemplateFor(model, index);
  const std::string gpu_uuid = GpuUuid(node, index);
  for (size_t i = 0; i < t.devices.size(); ++i) {
    Json d = t.devices[i];
    Json& attrs = d["attributes"];
    if (i == 0) {
      attrs["uuid"] = StringAttr(gpu_uuid);
    } else {
      const auto& [profile, placement] = t.migs[i - 1];
      attrs["uuid"] = StringAttr(MigUuid(node, index, *profile, placement));
      attrs["parentUUID"] = StringAttr(gpu_uuid);
    }
    out.push_back(std::move(d));
  }
}

Json Slice(const std::string& node, int k, int64_t generation, int count) {
  return Json{{"apiVersion", "resource.k8s.io/v1"},
              {"kind", "ResourceSlice"},
              {"metadata", {{"name", node + "-" + kDriverName + "-" + std::to_string(k)}}},
              {"spec",
               {{"driver", kDriverName},
                {"nodeName", node},
                {"pool", {{"name", node}, {"generation", generation}, {"resourceSliceCount", count}}}}}};
}

}  // namespace

std::string MebibyteQuantity(int64_t mib) {
  if (mib % 1024 == 0) return std::to_string(mib / 1024) + "Gi";
  return std::to_string(mib) + "Mi";
}

std::string GpuUuid(const std::string& node, int index) {
  return "GPU-" + UuidFrom(node + "/" + std::to_string(index));
}

std::string MigUuid(const std::string& node, int index, const MigProfile& profile, int placement) {
  return "MIG-" +
         UuidFrom(node + "/" + std::to_string(index) + "/" + profile.name + "/" + std::to_string(placement));
}

std::string MigDeviceName(int index, const MigProfile& profile, int placement) {
  std::string compact;
  for (char c : profile.name) {
    if (c != '.') compact += c;
  }
  return "gpu-" + std::to_string(index) + "-mig-" + compact + "-" + std::to_string(profile.profile_id) + "-" +
         std::to_string(placement);
}

std::string SharedDeviceName(int index) { return "gpu-" + std::to_string(index) + "-shared"; }

std::vector<Json> BuildResourceSlices(const std::string& node, const GpuModel& model, int total_gpus,
                                      int64_t generation, int shared_gpus) {
  std::vector<Json> slices;
  if (total_gpus <= 0) return slices;
  shared_gpus = std::clamp(shared_gpus, 0, total_gpus);
  const int gpus = total_gpus - shared_gpus;  // the partitionable ones, indexes [0, gpus)
  const int per_gpu = model.DevicesPerGpu();
  const int gpus_per_slice = std::max(1, kMaxDevicesPerSliceWithCounters / per_gpu);
  const int counter_slices = (gpus + kMaxCounterSetsPerSlice - 1) / kMaxCounterSetsPerSlice;
  const int device_slices = (gpus + gpus_per_slice - 1) / gpus_per_slice;
  const int count = counter_slices + device_slices + (shared_gpus > 0 ? 1 : 0);
  int k = 0;
  for (int first = 0; first < gpus; first += kMaxCounterSetsPerSlice, ++k) {
    Json slice = Slice(node, k, generation, count);
    Json sets = Json::array();
    for (int i = first; i < std::min(gpus, first + kMaxCounterSetsPerSlice); ++i) {
      sets.push_back(TemplateFor(model, i).counter_set);
    }
    slice["spec"]["sharedCounters"] = std::move(sets);
    slices.push_back(std::move(slice));
  }
  for (int first = 0; first < gpus; first += gpus_per_slice, ++k) {
    Json slice = Slice(node, k, generation, count);
    Json devices = Json::array();
    for (int i = first; i < std::min(gpus, first + gpus_per_slice); ++i) {
      AppendGpuDevices(node, model, i, devices);
    }
    slice["spec"]["devices"] = std::move(devices);
    slices.push_back(std::move(slice));
  }
  if (shared_gpus > 0) {
    Json slice = Slice(node, k, generation, count);
    Json devices = Json::array();
    for (int i = gpus; i < total_gpus; ++i) devices.push_back(SharedGpuDevice(node, model, i));
    slice["spec"]["devices"] = std::move(devices);
    slices.push_back(std::move(slice));
  }
  return slices;
}

}  // namespace haru::node::gpu
