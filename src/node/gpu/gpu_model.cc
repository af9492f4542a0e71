#include "node/gpu/gpu_model.h"

namespace haru::node::gpu {

namespace {

// Both boards share the profile geometry (MIG user guide, "A100 MIG Profiles" and "H100 MIG
// Profiles"): 1g takes one memory slice at any of the first seven, 1g.20gb and 2g take two at
// an even start, 3g and 4g take four (3g at 0 or 4, 4g only at 0), 7g takes all eight.
// SM counts and usable memory differ per board.
struct ProfileFigures {
  int multiprocessors;
  int memory_mib;
};

std::vector<MigProfile> Profiles(ProfileFigures g1_10, ProfileFigures g1_20, ProfileFigures g2,
                                 ProfileFigures g3, ProfileFigures g4, ProfileFigures g7) {
  return {
      {"1g.10gb", 19, 1, {0, 1, 2, 3, 4, 5, 6}, g1_10.multiprocessors, g1_10.memory_mib},
      {"1g.20gb", 15, 2, {0, 2, 4, 6}, g1_20.multiprocessors, g1_20.memory_mib},
      {"2g.20gb", 14, 2, {0, 2, 4}, g2.multiprocessors, g2.memory_mib},
      {"3g.40gb", 9, 4, {0, 4}, g3.multiprocessors, g3.memory_mib},
      {"4g.40gb", 5, 4, {0}, g4.multiprocessors, g4.memory_mib},
      {"7g.80gb", 0, 8, {0}, g7.multiprocessors, g7.memory_mib},
  };
}

const std::vector<GpuModel>& Models() {
  static const std::vector<GpuModel> kModels = [] {
    std::vector<GpuModel> m;
    GpuModel a100;
    a100.id = "a100-80gb";
    a100.product_name = "NVIDIA A100-SXM4-80GB";
    a100.architecture = "Ampere";
    a100.cuda_compute_capability = "8.0.0";
    a100.multiprocessors = 108;
    a100.memory_mib = 81920;
    a100.profiles = Profiles({14, 9728}, {14, 19968}, {28, 19968}, {42, 40192}, {56, 40192}, {98, 80896});
    m.push_back(std::move(a100));

    GpuModel h100;
    h100.id = "h100-80gb";
    h100.product_name = "NVIDIA H100 80GB HBM3";
    h100.architecture = "Hopper";
    h100.cuda_compute_capability = "9.0.0";
    h100.multiprocessors = 132;
    h100.memory_mib = 81559;
    h100.profiles = Profiles({16, 9984}, {26, 20096}, {32, 20096}, {60, 40448}, {64, 40448}, {132, 81152});
    m.push_back(std::move(h100));
    return m;
  }();
  return kModels;
}

}  // namespace

int GpuModel::DevicesPerGpu() const {
  int n = 1;
  for (const MigProfile& p : profiles) n += static_cast<int>(p.placements.size());
  return n;
}

const GpuModel* FindGpuModel(std::string_view id) {
  for (const GpuModel& m : Models()) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

std::vector<std::string> GpuModelIds() {
  std::vector<std::string> ids;
  for (const GpuModel& m : Models()) ids.push_back(m.id);
  return ids;
}

}  // namespace haru::node::gpu
