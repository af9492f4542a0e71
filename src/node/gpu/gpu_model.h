#pragma once
// The GPU models the built-in driver `gpu.haru.dev` simulates, with their MIG profiles. The
// figures follow NVIDIA's MIG user guide and what `nvidia-smi mig -lgip` reports on the real
// boards: 8 memory slices and 7 compute slices per GPU; a profile takes `memory_slices`
// consecutive memory slices starting at one of its `placements`. Memory sizes are the usable
// MiB the driver reports, not the marketing names (a "1g.10gb" instance holds 9728 MiB on an
// A100-80GB), as NVIDIA's own DRA driver publishes them.
//
// Immutable, process-wide data: thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace haru::node::gpu {

struct MigProfile {
  std::string name;             // "1g.10gb"
  int profile_id = 0;           // NVIDIA's GPU-instance profile ID (19 for 1g.10gb)
  int memory_slices = 0;        // consecutive memory slices the instance takes
  std::vector<int> placements;  // first memory slice of each valid placement
  int multiprocessors = 0;      // SMs of one instance
  int memory_mib = 0;           // usable memory of one instance
};

struct GpuModel {
  std::string id;                       // "a100-80gb": the --gpu flag value and the node label
  std::string product_name;             // "NVIDIA A100-SXM4-80GB"
  std::string architecture;             // "Ampere"
  std::string cuda_compute_capability;  // semver form, "8.0.0"
  int multiprocessors = 0;              // SMs of the whole GPU
  int memory_mib = 0;                   // memory of the whole GPU
  int memory_slices = 8;
  std::vector<MigProfile> profiles;

  // Devices one GPU publishes: the full GPU plus one per (profile, placement).
  int DevicesPerGpu() const;
};

// The model with this id ("a100-80gb", "h100-80gb"); null when unknown.
const GpuModel* FindGpuModel(std::string_view id);
// Every id FindGpuModel knows, for flag help and error messages.
std::vector<std::string> GpuModelIds();

}  // namespace haru::node::gpu
