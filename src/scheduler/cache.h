#pragma once
// The scheduler's cache of the cluster: nodes with the usage of the pods bound or assumed
// there, ResourceClaims with their allocations (from the API, or assumed while this scheduler
// writes them), and the DRA inventory (slices, classes, taint rules) as an Allocator rebuilt
// when it changes. Upstream's scheduler cache plus the DRA plugin's allocated-device tracker.
//
// Not thread-safe by itself: the owner holds mu() around every call and while it reads
// nodes or claims (filters read them from several threads while the owner holds the lock).

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "scheduler/dra/allocator.h"
#include "scheduler/framework/types.h"

namespace haru::scheduler {

struct CachedClaim {
  std::string ns, name, uid, resource_version;
  Json object;  // as last seen from the API
  std::shared_ptr<const dra::ResourceClaim> spec;  // null when parse_error is set
  std::string parse_error;
  // The namespace and the spec, serialised: claims with equal signatures get the same answer
  // from the allocator on the same node (empty when parse_error is set).
  std::string signature;
  bool deleting = false;
  std::string controller_uid;  // metadata.ownerReferences[controller=true].uid
  std::vector<std::string> reserved_uids;

  bool allocated = false;  // status.allocation in the API object
  Json allocation;
  // An allocation this scheduler decided and is writing (null when none).
  Json assumed_allocation;

  std::optional<dra::NodeSelector> allocation_node_selector;  // of the effective allocation

  const Json* EffectiveAllocation() const {
    if (allocated) return &allocation;
    if (!assumed_allocation.is_null()) return &assumed_allocation;
    return nullptr;
  }
  std::string Key() const { return ns + "/" + name; }
};

class Cache {
 public:
  Cache();
  ~Cache();
  std::mutex& mu() { return mu_; }

  // Nodes.
  void UpsertNode(const Json& node);
  void DeleteNode(const std::string& name);
  // The nodes that exist, in a stable order (rebuilt when the set changes).
  const std::vector<NodeInfo*>& Nodes();
  NodeInfo* FindNode(const std::string& name);

  // Pods bound to a node (from the API). Terminal pods release their usage.
  void UpsertAssignedPod(std::shared_ptr<PodInfo> pod);
  void DeletePod(const std::string& key);
  // Assume: count `pod` on `node` before the binding is written; Forget undoes it.
  void AssumePod(std::shared_ptr<PodInfo> pod, const std::string& node);
  void ForgetPod(const std::string& key);
  bool IsAssumedOrBound(const std::string& key) const;

  // Claims.
  void UpsertClaim(const Json& claim);
  void DeleteClaim(const std::string& key);
  const CachedClaim* FindClaim(const std::string& key) const;
  void AssumeClaimAllocation(const std::string& key, Json allocation);
  void ForgetClaimAllocation(const std::string& key);
  const dra::AllocatedState& allocated_state() const { return state_; }

  // DRA inventory.
  void UpsertSlice(const Json& slice);
  void DeleteSlice(const std::string& name);
  void UpsertClass(const Json& cls);
  void DeleteClass(const std::string& name);
  // Whether a DeviceClass of that name exists (also one the allocator could not parse).
  bool HasDeviceClass(const std::string& name) const { return class_names_.count(name) > 0; }
  void UpsertTaintRule(const Json& rule);
  void DeleteTaintRule(const std::string& name);
  // The allocator over the current inventory (rebuilt when it changed since the last call).
  const dra::Allocator* Allocator();
  size_t num_slices() const { return slices_.size(); }

  // Remembering allocator answers per node (NodeInfo::dra_memo). An answer depends on the
  // claims' specs, the node (name, labels), the inventory and the allocations of devices the
  // node can see. The cache empties a node's memo when an allocation of one of its devices
  // changes, and bumps the generation when a change may concern any node (the inventory, an
  // allocation in a pool that is not local to one node). Call Allocator() first.
  uint64_t dra_generation() const { return dra_generation_; }
  // A small number standing for the claim signatures `signature` (never 0).
  uint64_t MemoKey(const std::string& signature);

 private:
  struct PodState {
    std::shared_ptr<PodInfo> pod;
    std::string node;  // where it is counted; "" = nowhere (terminal)
    bool assumed = false;
  };
  NodeInfo* NodeFor(const std::string& name);
  void Count(PodState& st, int sign);
  void MaybeDropNode(const std::string& name);
  void ApplyAllocation(const CachedClaim& claim, int sign, bool touch);
  // An allocation of a device in pool (driver, pool) changed.
  void TouchPool(const std::string& driver, const std::string& pool);
  void IndexSlice(const dra::ResourceSlice& slice, int sign);

  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<NodeInfo>> nodes_;
  std::vector<NodeInfo*> node_list_;
  bool node_list_dirty_ = true;
  std::unordered_map<std::string, PodState> pods_;

  std::unordered_map<std::string, std::unique_ptr<CachedClaim>> claims_;
  dra::AllocatedState state_;
  std::unordered_map<dra::DeviceId, int, dra::DeviceIdHash> device_refs_;
  // Shared (multi-allocation) devices: claim key -> consumed capacity, per device.
  std::unordered_map<dra::DeviceId, std::unordered_map<std::string, std::vector<std::pair<std::string, Quantity>>>,
                     dra::DeviceIdHash>
      shares_;

  std::unordered_map<std::string, dra::ResourceSlice> slices_;
  std::unordered_map<std::string, dra::DeviceClass> classes_;
  std::unordered_set<std::string> class_names_;
  std::unordered_map<std::string, dra::DeviceTaintRule> rules_;
  bool inventory_dirty_ = true;
  std::unique_ptr<dra::Allocator> allocator_;
  uint64_t dra_generation_ = 1;
  std::unordered_map<std::string, uint64_t> memo_keys_;
  uint64_t next_memo_key_ = 1;
  // Per pool (driver '\0' pool): the nodes whose slices name it, with slice counts, and the
  // number of its slices without spec.nodeName (visible to several nodes).
  struct PoolNodes {
    std::unordered_map<std::string, int> nodes;
    int shared = 0;
  };
  std::unordered_map<std::string, PoolNodes> pool_nodes_;
  std::shared_ptr<dra::SelectorCache> selector_cache_;
};

}  // namespace haru::scheduler
