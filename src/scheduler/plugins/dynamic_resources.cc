#include "scheduler/plugins/dynamic_resources.h"

namespace haru::scheduler {

namespace {
constexpr size_t kReservedForMaxSize = 256;
}

FilterStatus DynamicResourcesPreFilter(const PodInfo& pod, const Cache& cache, DraCycleState* state) {
  for (const PodClaimRef& ref : pod.claims) {
    if (ref.not_needed) continue;
    if (ref.not_created_yet) {
      return FilterStatus::Unresolvable("pod \"" + pod.ns + "/" + pod.name + "\": ResourceClaim not created yet");
    }
    const CachedClaim* c = cache.FindClaim(pod.ns + "/" + ref.claim_name);
    if (!c) {
      if (ref.from_template) {
        return FilterStatus::Unresolvable("waiting for dynamic resource controller to create the resourceclaim \"" +
                                          ref.claim_name + "\"");
      }
      return FilterStatus::Unresolvable("resourceclaim.resource.k8s.io \"" + ref.claim_name + "\" not found");
    }
    if (c->deleting) return FilterStatus::Unresolvable("resourceclaim \"" + c->name + "\" is being deleted");
    if (ref.from_template && c->controller_uid != pod.uid) {
      return FilterStatus::Unresolvable("ResourceClaim " + c->ns + "/" + c->name + " was not created for pod " + pod.ns +
                                        "/" + pod.name + " (pod is not owner)");
    }
    if (!c->parse_error.empty()) {
      return FilterStatus::Unresolvable("resourceclaim \"" + c->name + "\": " + c->parse_error);
    }
    bool reserved_for_pod = false;
    for (const auto& uid : c->reserved_uids) reserved_for_pod = reserved_for_pod || uid == pod.uid;
    if (!reserved_for_pod && c->reserved_uids.size() >= kReservedForMaxSize) {
      return FilterStatus::Unresolvable("resourceclaim in use");
    }
    state->claims.push_back(c);
    if (!c->EffectiveAllocation()) {
      state->to_allocate.push_back(c);
      state->specs.push_back(c->spec.get());
    }
  }
  return {};
}

FilterStatus DynamicResourcesFilter(const PodInfo& pod, const NodeInfo& node, const dra::AllocatedState& allocated,
                                    DraCycleState* state) {
  (void)pod;
  for (const CachedClaim* c : state->claims) {
    if (!c->EffectiveAllocation()) continue;
    if (c->allocation_node_selector && !dra::NodeSelectorMatches(*c->allocation_node_selector, node.node)) {
      return FilterStatus::Unschedulable(kReasonClaimNotOnNode);
    }
  }
  if (state->to_allocate.empty()) return {};
  if (!state->allocator) return FilterStatus::Unschedulable(kReasonCannotAllocate);
  auto result = state->allocator->Allocate(node.node, state->specs, allocated);
  if (!result.ok()) {
    std::lock_guard lock(state->mu);
    if (state->fatal.empty()) state->fatal = result.status().message();
    return {FilterCode::kError, {result.status().message()}};
  }
  if (!result->allocated) return FilterStatus::Unschedulable(kReasonCannotAllocate);
  std::lock_guard lock(state->mu);
  state->allocations[node.name] = std::move(result->allocations);
  return {};
}

}  // namespace haru::scheduler
