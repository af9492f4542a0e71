// Allocate: gather the node's pools, validate the pod's requests, compute each request's
// statically eligible devices (selectors, node, taints, cluster usage, counters and capacity
// on their own), prune by counting, then a depth-first search over device slots with
// combinations-only enumeration, best-fit ordering and a step budget. Results are built in
// results.cc.

#include "scheduler/dra/allocator.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "scheduler/dra/internal/inventory.h"
#include "scheduler/dra/internal/search.h"

namespace haru::scheduler::dra {

Allocator::~Allocator() = default;

std::unique_ptr<Allocator> Allocator::Create(AllocatorOptions options, std::vector<ResourceSlice> slices,
                                             std::vector<DeviceClass> classes,
                                             std::vector<DeviceTaintRule> taint_rules,
                                             std::shared_ptr<SelectorCache> cache) {
  std::unique_ptr<Allocator> a(new Allocator());
  a->options_ = std::move(options);
  if (!a->options_.share_id_generator) {
    a->options_.share_id_generator = [] {
      static thread_local std::mt19937_64 rng{std::random_device{}()};
      uint64_t hi = rng(), lo = rng();
      hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
      lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
      char buf[40];
      snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
               static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
               static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
      return std::string(buf);
    };
  }
  a->inv_ = BuildInventory(std::move(slices), std::move(classes), std::move(taint_rules));
  a->cache_ = cache ? std::move(cache) : std::make_shared<SelectorCache>();
  return a;
}

StatusOr<AllocateResult> Allocator::Allocate(const Node& node, const std::vector<const ResourceClaim*>& claims,
                                             const AllocatedState& state) const {
  Search search(*inv_, options_, *cache_, node, claims, state);
  return search.Run();
}

}  // namespace haru::scheduler::dra
