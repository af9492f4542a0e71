#pragma once
// The scheduler's view of pods and nodes: compact structs parsed once from the core/v1 JSON
// (requests in canonical units, taints, tolerations, node affinity, claim references), and a
// node's running usage. Plain values; thread-compatible.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "scheduler/dra/types.h"

namespace haru::scheduler {

// Amounts of compute resources: cpu in millicores, the others in whole units (bytes, pods).
// Extended resources (nvidia.com/gpu, hugepages-2Mi, ...) live in `scalars`, sorted by name.
struct ResourceList {
  int64_t milli_cpu = 0;
  int64_t memory = 0;
  int64_t ephemeral_storage = 0;
  int64_t pods = 0;
  std::vector<std::pair<std::string, int64_t>> scalars;

  int64_t Scalar(std::string_view name) const;
  void AddScalar(std::string_view name, int64_t value);
  void MaxScalar(std::string_view name, int64_t value);
  void Add(const ResourceList& other);
  void Sub(const ResourceList& other);
  void Max(const ResourceList& other);
};

// Parses a core/v1 ResourceList ({"cpu": "500m", ...}) into `out` by adding (or taking the
// maximum, when `max` is set). Unparsable quantities are errors naming `path`.
Status AddResourceList(const Json& list, const std::string& path, ResourceList* out, bool max = false);

struct Taint {
  std::string key, value, effect;
};

struct Toleration {
  std::string key;
  std::string op = "Equal";  // Equal | Exists
  std::string value;
  std::string effect;  // "" = every effect
};

// core/v1 ToleratesTaint.
bool ToleratesTaint(const Toleration& toleration, const Taint& taint);
bool ToleratesAny(const std::vector<Toleration>& tolerations, const Taint& taint);

// One entry of spec.resourceClaims, resolved against status.resourceClaimStatuses.
struct PodClaimRef {
  std::string name;               // the pod-level name
  std::string claim_name;         // the ResourceClaim's name; "" = not known yet / not needed
  bool from_template = false;     // resourceClaimTemplateName: the claim must be owned by the pod
  bool not_created_yet = false;   // template with no status entry yet
  bool not_needed = false;        // status entry with no claim name: nothing to allocate
};

struct PreferredTerm {
  int32_t weight = 0;
  dra::NodeSelectorTerm term;
};

struct PodInfo {
  std::string ns, name, uid, resource_version;
  std::string node_name;       // spec.nodeName
  std::string scheduler_name;  // spec.schedulerName (defaulted to default-scheduler)
  std::string phase;
  bool deleting = false;
  bool gated = false;  // spec.schedulingGates non-empty
  int32_t priority = 0;
  std::string creation_timestamp;

  ResourceList requests;  // max(sum of containers + sidecars, each init container) + overhead
  int64_t nonzero_milli_cpu = 0;  // as requests, with upstream's 100m / 200Mi for missing values
  int64_t nonzero_memory = 0;

  std::map<std::string, std::string> node_selector;
  std::optional<dra::NodeSelector> required_affinity;
  std::vector<PreferredTerm> preferred_affinity;
  std::vector<Toleration> tolerations;
  std::vector<PodClaimRef> claims;

  // Set when the pod has a field this scheduler cannot read (a bad quantity, say): the pod is
  // reported unschedulable with this message rather than dropped.
  std::string parse_error;

  std::string Key() const { return ns + "/" + name; }
  bool IsTerminal() const { return phase == "Succeeded" || phase == "Failed"; }
};

// Never fails: problems land in PodInfo::parse_error.
std::shared_ptr<PodInfo> ParsePod(const Json& pod);

// One remembered answer of the DRA allocator for this node (see DynamicResourcesFilter): for
// the claim specs named by `key` (interned by the cache) under the cache's DRA generation
// `generation`, whether they fit and, if so, one status.allocation per claim; when they do
// not, whether the node's inventory had invalid pools.
struct DraMemo {
  uint64_t key = 0;
  uint64_t generation = 0;
  bool allocated = false;
  bool invalid_pools = false;
  std::shared_ptr<const std::vector<Json>> allocations;
};

struct NodeInfo {
  std::string name;
  bool has_node = false;  // false: only pods reference it (the Node object is gone or not seen)
  dra::Node node;         // name and labels, as the allocator and affinity checks want them
  std::vector<Taint> taints;
  bool unschedulable = false;
  ResourceList allocatable;
  std::string parse_error;

  ResourceList requested;  // pods bound or assumed here
  int64_t nonzero_milli_cpu = 0;
  int64_t nonzero_memory = 0;
  int64_t num_pods = 0;

  // Allocator answers for this node, newest last. Emptied by the cache whenever something the
  // allocator reads for this node changes (an allocation of one of its devices, its labels).
  // Filled by the DynamicResources filter, which runs for a node on one thread at a time while
  // the cache's owner holds its lock; hence mutable.
  mutable std::vector<DraMemo> dra_memo;

  void AddPod(const PodInfo& pod, int sign);
};

// Fills the Node-derived fields of `info` (labels, taints, allocatable); keeps the usage.
void ParseNodeInto(const Json& node, NodeInfo* info);

}  // namespace haru::scheduler
