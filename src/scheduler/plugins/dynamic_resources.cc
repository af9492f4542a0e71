#include "scheduler/plugins/dynamic_resources.h"

namespace haru::scheduler {

namespace {
constexpr size_t kReservedForMaxSize = 256;
// Answers remembered per node: a few claim shapes at a time (a node is usually asked about
// the template of the workload being scheduled, sometimes about a handful).
constexpr size_t kMaxMemosPerNode = 4;

void Remember(const NodeInfo& node, const DraCycleState& state, bool allocated, bool invalid_pools,
              std::shared_ptr<const std::vector<Json>> allocations) {
  auto& memo = node.dra_memo;
  std::erase_if(memo, [&](const DraMemo& m) { return m.key == state.memo_key || m.generation != state.generation; });
  if (memo.size() >= kMaxMemosPerNode) memo.erase(memo.begin());
  memo.push_back(DraMemo{state.memo_key, state.generation, allocated, invalid_pools, std::move(allocations)});
}

// Why allocation failed on a node: invalid pools the node sees explain it, else no fit.
FilterStatus NotAllocatable(bool invalid_pools) {
  return FilterStatus::Unresolvable(invalid_pools ? kReasonInvalidPools : kReasonCannotAllocate);
}

// Upstream checks each request's class before anything is allocated: without the class no
// node can help, and the pod waits for the class to appear. `request` is the name reported
// ("req" or "req/sub").
FilterStatus CheckDeviceClass(const Cache& cache, const std::string& class_name, const std::string& request) {
  if (class_name.empty() || cache.HasDeviceClass(class_name)) return {};
  return FilterStatus::Unresolvable("request " + request + ": device class " + class_name + " does not exist");
}

}  // namespace

FilterStatus DynamicResourcesPreFilter(const PodInfo& pod, Cache& cache, DraCycleState* state) {
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
  }
  // Every claim exists and belongs to the pod; now the classes of those still to allocate.
  for (const CachedClaim* c : state->claims) {
    if (c->EffectiveAllocation()) continue;
    for (const dra::DeviceRequest& r : c->spec->requests) {
      if (r.exactly) {
        FilterStatus s = CheckDeviceClass(cache, r.exactly->device_class_name, r.name);
        if (!s.ok()) return s;
      }
      for (const dra::RequestSpec& sub : r.first_available) {
        FilterStatus s = CheckDeviceClass(cache, sub.device_class_name, r.name + "/" + sub.name);
        if (!s.ok()) return s;
      }
    }
  }
  for (const CachedClaim* c : state->claims) {
    if (c->EffectiveAllocation()) continue;
    state->to_allocate.push_back(c);
    state->specs.push_back(c->spec.get());
  }
  if (!state->to_allocate.empty()) {
    std::string signature;
    for (const CachedClaim* c : state->to_allocate) {
      signature += c->signature;
      signature.push_back('\n');
    }
    state->memo_key = cache.MemoKey(signature);
  }
  return {};
}

FilterStatus DynamicResourcesFilter(const PodInfo& pod, const NodeInfo& node, size_t node_index,
                                    const dra::AllocatedState& allocated, DraCycleState* state) {
  (void)pod;
  for (const CachedClaim* c : state->claims) {
    if (!c->EffectiveAllocation()) continue;
    if (c->allocation_node_selector && !dra::NodeSelectorMatches(*c->allocation_node_selector, node.node)) {
      return FilterStatus::Unresolvable(kReasonClaimNotOnNode);
    }
  }
  if (state->to_allocate.empty()) return {};
  if (!state->allocator) return NotAllocatable(false);
  if (state->memo_key != 0) {
    for (const DraMemo& m : node.dra_memo) {
      if (m.key != state->memo_key || m.generation != state->generation) continue;
      if (!m.allocated) return NotAllocatable(m.invalid_pools);
      state->allocations[node_index] = m.allocations;
      return {};
    }
  }
  auto result = state->allocator->Allocate(node.node, state->specs, allocated);
  if (!result.ok()) {  // never remembered: the message names the claim
    std::lock_guard lock(state->mu);
    if (state->fatal.empty()) state->fatal = result.status().message();
    return {FilterCode::kError, {result.status().message()}};
  }
  if (!result->allocated) {
    if (state->memo_key != 0) Remember(node, *state, false, result->invalid_pools, nullptr);
    return NotAllocatable(result->invalid_pools);
  }
  auto allocations = std::make_shared<const std::vector<Json>>(std::move(result->allocations));
  if (state->memo_key != 0) Remember(node, *state, true, false, allocations);
  state->allocations[node_index] = std::move(allocations);
  return {};
}

}  // namespace haru::scheduler
