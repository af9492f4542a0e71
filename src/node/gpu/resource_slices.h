#pragma once
// The ResourceSlices the built-in DRA driver `gpu.haru.dev` publishes for one node, in the
// shape NVIDIA's DRA driver uses for dynamic MIG (KEP-4815 partitionable devices):
//
//   pool       = the node name; every slice has spec.nodeName = the node
//   slice 0    = sharedCounters only: one counter set per GPU, `gpu-<i>-counter-set`, with
//                `memory` (the GPU's memory), `multiprocessors` (its SMs) and
//                `memory-slice-0` .. `memory-slice-7`, each 1
//                (a slice holds at most 8 counter sets, so 9+ GPUs add counter slices)
//   slice 1..  = devices only, whole GPUs per slice, at most 64 devices per slice (the limit
//                when devices consume counters):
//                `gpu-<i>`                         the full GPU, consumes its whole counter set
//                `gpu-<i>-mig-<1g10gb>-<id>-<p>`   one MIG device per (profile, placement p),
//                                                  consumes its memory, SMs and memory slices
//                                                  p .. p+size-1
//
// With `shared_gpus` > 0, the last that many GPUs are not partitioned: each is published as one
// device `gpu-<i>-shared` (type "shared") with `allowMultipleAllocations: true`, in its own
// slice after the device slices, consuming no counters (consumable capacity, KEP-5075):
// `memory` has a request policy of 1Gi steps (10Gi by default), so several claims share it.
//
// Device attributes (in the driver's domain, so selectors read
// `device.attributes['gpu.haru.dev'].profile`): `type` ("gpu" | "mig"), `uuid`, `parentUUID`
// (MIG only), `profile` (MIG only), `productName`, `architecture`, `cudaComputeCapability`
// (version), `index` (the GPU's index on the node, also on its MIG devices), `placement`
// (MIG only: first memory slice). Capacity: `memory` and `multiprocessors`.
//
// Pure functions: thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"
#include "node/gpu/gpu_model.h"

namespace haru::node::gpu {

inline constexpr char kDriverName[] = "gpu.haru.dev";
// Upstream limits (resource/v1 types.go) the slices keep to.
inline constexpr int kMaxDevicesPerSliceWithCounters = 64;
inline constexpr int kMaxCounterSetsPerSlice = 8;

// The slices of `node`'s pool at `generation`, counter slices first. Slice names are
// `<node>-gpu.haru.dev-<k>`, so a republish updates the same objects. gpus == 0 → none.
// `shared_gpus` (at most `gpus`) of them are shared devices instead of MIG-partitionable GPUs.
std::vector<Json> BuildResourceSlices(const std::string& node, const GpuModel& model, int gpus,
                                      int64_t generation, int shared_gpus = 0);
// "gpu-3-shared".
std::string SharedDeviceName(int index);

// Stable fake identifiers: the same node, GPU and placement always give the same UUID.
std::string GpuUuid(const std::string& node, int index);
std::string MigUuid(const std::string& node, int index, const MigProfile& profile, int placement);
// "1g.10gb" at placement 3 of GPU 0, profile id 19 → "gpu-0-mig-1g10gb-19-3".
std::string MigDeviceName(int index, const MigProfile& profile, int placement);
// "9728Mi", "80Gi".
std::string MebibyteQuantity(int64_t mib);

}  // namespace haru::node::gpu
