#pragma once
// DynamicResources: the pod's ResourceClaims. PreFilter resolves them (claim names from
// templates via pod.status.resourceClaimStatuses, ownership, deletion); Filter checks that
// allocated claims are usable on the node and runs the structured allocator for the others,
// remembering each node's allocation for the node that wins.

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "scheduler/cache.h"
#include "scheduler/plugins/plugins.h"

namespace haru::scheduler {

inline constexpr char kReasonCannotAllocate[] = "cannot allocate all claims";
inline constexpr char kReasonClaimNotOnNode[] = "resourceclaim not available on the node";

// Per scheduling cycle; Filter may run on several threads at once.
struct DraCycleState {
  std::vector<const CachedClaim*> claims;          // every claim the pod uses
  std::vector<const CachedClaim*> to_allocate;     // those without an allocation yet
  std::vector<const dra::ResourceClaim*> specs;    // their specs, for the allocator
  const dra::Allocator* allocator = nullptr;

  std::mutex mu;
  std::unordered_map<std::string, std::vector<Json>> allocations;  // node -> one per to_allocate
  std::string fatal;  // the first allocator error (bad CEL, unknown class, ...)
};

// Resolves the pod's claims against the cache. Not OK (Unresolvable with upstream's message)
// when a claim is missing, not created yet, being deleted, not owned by the pod, or invalid.
FilterStatus DynamicResourcesPreFilter(const PodInfo& pod, const Cache& cache, DraCycleState* state);

FilterStatus DynamicResourcesFilter(const PodInfo& pod, const NodeInfo& node, const dra::AllocatedState& allocated,
                                    DraCycleState* state);

}  // namespace haru::scheduler
