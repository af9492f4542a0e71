#pragma once
// The structured DRA allocator: given one node and the claims of one pod, pick devices from
// the ResourceSlices visible to that node so that every request of every claim is satisfied,
// and return each claim's status.allocation (resource.k8s.io/v1 AllocationResult JSON).
//
// Semantics follow upstream's structured allocator (k8s.io/dynamic-resource-allocation,
// "incubating" variant): pools and generations, classes and CEL selectors, ExactCount and
// All, firstAvailable, matchAttribute / distinctAttribute, adminAccess, shared counters,
// device taints with DeviceTaintRules, consumable capacity, node selectors, the 32-results
// limit, and upstream's error texts. Beyond upstream: requests are pruned by counting
// before any search, the search has a step budget instead of a timeout, candidate devices
// that consume shared counters are tried best-fit first (the fullest counter set that still
// fits, then the placement that blocks the fewest other placements), and every reservation
// is released on every rejection (upstream v1.36 leaked counters on taint/constraint
// rejections).
//
// An Allocator is built once per inventory snapshot (slices, classes, taint rules) and used
// for many Allocate calls; Allocate is thread-safe (per-call state lives on the stack, the
// shared selector-result cache uses atomics).

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "scheduler/dra/selector.h"
#include "scheduler/dra/types.h"

namespace haru::scheduler::dra {

// Feature gates the allocator honours (v1.36 defaults: all on).
struct Features {
  bool admin_access = true;
  bool prioritized_list = true;
  bool partitionable_devices = true;
  bool device_taints = true;
  bool consumable_capacity = true;
  bool device_binding = true;
};

struct DeviceId {
  std::string driver, pool, device;
  bool operator==(const DeviceId& o) const {
    return driver == o.driver && pool == o.pool && device == o.device;
  }
  std::string ToString() const { return driver + "/" + pool + "/" + device; }
};
struct DeviceIdHash {
  size_t operator()(const DeviceId& id) const {
    std::hash<std::string> h;
    return h(id.driver) * 31 * 31 ^ h(id.pool) * 31 ^ h(id.device);
  }
};

// What other claims already hold (upstream's AllocatedState).
struct AllocatedState {
  // Devices allocated exclusively.
  std::unordered_set<DeviceId, DeviceIdHash> allocated_devices;
  // Capacity already consumed on devices that allow multiple allocations (sum over shares;
  // names as the results' consumedCapacity keys).
  std::unordered_map<DeviceId, std::vector<std::pair<std::string, Quantity>>, DeviceIdHash>
      consumed_capacity;
};

enum class Packing {
  kFirstFit,  // upstream's order: pools by name, slices by name, devices in slice order
  kBestFit,   // counter-consuming devices: fullest counter set first, least blocking placement
};

struct AllocatorOptions {
  Features features;
  Packing packing = Packing::kBestFit;
  // Search steps (one per device slot tried, as upstream's allocateOne) per Allocate before
  // giving up with "does not fit" and budget_exhausted. 0 = unlimited.
  int64_t search_budget = 200000;
  // Makes shareIDs for devices with allowMultipleAllocations. Default: random v4 UUIDs.
  std::function<std::string()> share_id_generator;
};

struct AllocateResult {
  bool allocated = false;
  // When allocated: one status.allocation object per claim, in the order of the claims.
  std::vector<Json> allocations;
  // When not allocated: why (for events and tests); never a fatal error.
  std::string reason;
  // Upstream reports "invalid resource pools were encountered" as a per-node failure
  // (not fatal); set together with allocated == false.
  bool invalid_pools = false;
  bool budget_exhausted = false;
  int64_t steps = 0;  // search steps used
};

class Allocator {
 public:
  ~Allocator();

  // Builds the inventory. Slices of every node may be passed; Allocate picks the ones
  // visible to its node. `cache` may be shared between allocators (null: a private one).
  static std::unique_ptr<Allocator> Create(AllocatorOptions options, std::vector<ResourceSlice> slices,
                                           std::vector<DeviceClass> classes,
                                           std::vector<DeviceTaintRule> taint_rules,
                                           std::shared_ptr<SelectorCache> cache = nullptr);

  // Allocates devices for all `claims` of one pod on `node`. A non-OK Status is a fatal error
  // (unknown class, CEL errors, limits, unsupported modes); "does not fit" is an OK result
  // with allocated == false.
  StatusOr<AllocateResult> Allocate(const Node& node, const std::vector<const ResourceClaim*>& claims,
                                    const AllocatedState& state) const;

  // Internal inventory, public so that the .cc's helpers can name it.
  struct Inventory;

 private:
  Allocator() = default;
  AllocatorOptions options_;
  std::unique_ptr<Inventory> inv_;
  std::shared_ptr<SelectorCache> cache_;
};

}  // namespace haru::scheduler::dra
