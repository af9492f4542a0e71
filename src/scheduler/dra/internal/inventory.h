#pragma once
// The allocator's prebuilt inventory (private to scheduler/dra): slices indexed by node,
// devices flattened with their effective taints and counter consumption in dense form,
// pools per (driver, pool, generation) with their validation result, and the cross-call
// cache of selector results.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "scheduler/dra/allocator.h"

namespace haru::scheduler::dra {

struct InvDevice {
  int slice = 0;
  int index = 0;  // in slice.devices
  int pool_gen = -1;
  DeviceId id;
  std::vector<const DeviceTaint*> taints;  // from the slice and from matching rules
  // (dense counter index in the pool generation, milli units); empty if none consumed.
  std::vector<std::pair<int, int64_t>> consumption;
  std::vector<int> counter_sets;  // sets this device consumes from (dense set indices)
  mutable std::atomic<const CelDevice*> cel{nullptr};
};

struct PoolGen {
  std::string driver, pool;
  int64_t generation = 0;
  std::vector<int> slices;  // every slice of this pool with this generation
  std::vector<int64_t> counter_total;  // per dense counter, milli units
  std::vector<int> counter_set_of;     // dense counter -> dense set
  int num_sets = 0;
  std::vector<std::vector<int>> devs_by_set;  // dense set -> global devices consuming it
  std::string invalid_reason;                 // empty: valid
  bool has_binding_conditions = false;
};

struct Allocator::Inventory {
  std::vector<ResourceSlice> slices;
  std::vector<DeviceClass> classes;
  std::unordered_map<std::string, int> class_by_name;
  std::vector<DeviceTaintRule> rules;
  std::unique_ptr<InvDevice[]> devs;
  size_t num_devs = 0;
  std::vector<int> slice_first_dev;
  std::unordered_map<std::string, std::vector<int>> slices_by_node;
  std::vector<int> shared_slices;  // slices without spec.nodeName
  std::vector<PoolGen> pool_gens;
  std::vector<int> slice_pool_gen;
  std::unordered_map<std::string, std::vector<int>> pool_gens_by_key;  // driver '\0' pool

  // Selector results per (selector key, device): -1 unknown, 0 no, 1 yes, 2 error.
  std::mutex mu;
  std::unordered_map<std::string, std::unique_ptr<std::atomic<int8_t>[]>> match_cache;
  std::atomic<int8_t>* MatchCache(const std::string& key);

  ~Inventory();
  const CelDevice& Cel(int dev) const;
};

std::unique_ptr<Allocator::Inventory> BuildInventory(std::vector<ResourceSlice> slices,
                                                     std::vector<DeviceClass> classes,
                                                     std::vector<DeviceTaintRule> rules);

inline std::string PoolKey(const std::string& driver, const std::string& pool) {
  std::string k = driver;
  k.push_back('\0');
  k += pool;
  return k;
}

// Milli units of a quantity, saturating (counters and capacities are never near the limit).
int64_t MilliOf(const Quantity& q);

}  // namespace haru::scheduler::dra
