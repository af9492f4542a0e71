#pragma once
// DynamicResources: the pod's ResourceClaims. PreFilter resolves them (claim names from
// templates via pod.status.resourceClaimStatuses, ownership, deletion); Filter checks that
// allocated claims are usable on the node and runs the structured allocator for the others,
// remembering each node's allocation for the node that wins.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "scheduler/cache.h"
#include "scheduler/plugins/plugins.h"

namespace haru::scheduler {

inline constexpr char kReasonCannotAllocate[] = "cannot allocate all claims";
inline constexpr char kReasonClaimNotOnNode[] = "resourceclaim not available on the node";
inline constexpr char kReasonInvalidPools[] = "invalid resource pools were encountered";

// Per scheduling cycle; Filter may run on several threads at once (for different nodes).
struct DraCycleState {
  std::vector<const CachedClaim*> claims;          // every claim the pod uses
  std::vector<const CachedClaim*> to_allocate;     // those without an allocation yet
  std::vector<const dra::ResourceClaim*> specs;    // their specs, for the allocator
  const dra::Allocator* allocator = nullptr;

  // Remembered answers (NodeInfo::dra_memo): the key of to_allocate's signatures and the
  // cache's DRA generation; key 0 = do not remember.
  uint64_t memo_key = 0;
  uint64_t generation = 0;

  // Per node, by the index passed to Filter: one allocation per to_allocate when it fits.
  std::vector<std::shared_ptr<const std::vector<Json>>> allocations;

  std::mutex mu;
  std::string fatal;  // the first allocator error (bad CEL, unknown class, ...)
};

// Resolves the pod's claims against the cache. Not OK (Unresolvable with upstream's message)
// when a claim is missing, not created yet, being deleted, not owned by the pod, invalid, in
// use by too many consumers, or when a request of a claim to allocate names a DeviceClass that
// does not exist (the pod then waits for a DeviceClass event instead of retrying).
// Sets the memo key of the claims to allocate.
FilterStatus DynamicResourcesPreFilter(const PodInfo& pod, Cache& cache, DraCycleState* state);

// Every rejection is Unresolvable, as upstream's (evicting pods never frees devices for
// it): "cannot allocate all claims", "invalid resource pools were encountered" (the
// allocation failed and the node sees a pool the allocator found invalid), "resourceclaim
// not available on the node". A fatal allocator error is kError and lands in state->fatal.
// `node_index` < state->allocations.size() names the slot for the node's allocation. The
// allocator's answer for the node is taken from the node's memo when the claim specs and
// the node's DRA state are unchanged since it was computed (answers are deterministic apart
// from fresh shareIDs, which no other claim has seen), else computed and remembered.
FilterStatus DynamicResourcesFilter(const PodInfo& pod, const NodeInfo& node, size_t node_index,
                                    const dra::AllocatedState& allocated, DraCycleState* state);

}  // namespace haru::scheduler
