#pragma once
// One Allocate call's working state (private to scheduler/dra). Built on the stack by
// Allocator::Allocate, used once, thrown away; never shared between threads.

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "scheduler/dra/internal/inventory.h"

namespace haru::scheduler::dra {

class Search {
 public:
  Search(const Allocator::Inventory& inv, const AllocatorOptions& options, SelectorCache& cache,
         const Node& node, const std::vector<const ResourceClaim*>& claims, const AllocatedState& state);
  StatusOr<AllocateResult> Run();

 private:
  enum class Outcome { kFound, kNone, kMaxSize, kFatal, kBudget };

  struct PoolView {
    const PoolGen* gen = nullptr;
    bool incomplete = false;
    bool invalid = false;
    std::vector<int> device_slices;  // slices with devices visible to the node, by name
    std::vector<int64_t> available;  // counter totals minus what the cluster already uses
    std::vector<int64_t> consumed;   // by this call's tentative picks
  };
  struct Cand {
    int dev;
    int pool;
  };
  struct Sel {
    const CompiledSelector* compiled;
    std::atomic<int8_t>* cache;
    const std::string* text;
  };
  struct Alt {
    const RequestSpec* spec = nullptr;
    std::string result_name;  // "req" or "req/sub"
    std::string base, sub;    // request name and subrequest name ("" if none)
    const DeviceClass* cls = nullptr;
    std::vector<Sel> class_sels, req_sels;
    bool all_mode = false;
    bool admin = false;
    int num_devices = 0;
    bool infeasible = false;     // pruned by counting before the search
    std::vector<int> eligible;   // ExactCount: candidates passing every static check
    std::vector<int> all_devices;
  };
  struct Req {
    const DeviceRequest* request = nullptr;
    bool has_subrequests = false;
    std::vector<Alt> alts;
    int selected = 0;
    std::vector<int> order;  // best-fit order of the alt being searched
  };
  struct ConstraintState {
    bool is_match = true;
    std::string attribute;
    std::vector<std::string> requests;
    const AttributeValue* first = nullptr;
    int count = 0;
    std::vector<const AttributeValue*> values;  // distinct
  };
  struct Entry {
    int cand, req, alt;
    bool admin = false;
    bool multi = false;
    bool counters_charged = false;
    std::vector<std::pair<std::string, Quantity>> consumed;  // multi-allocatable only
    std::string share_id;
  };
  struct ClaimData {
    const ResourceClaim* claim;
    std::string name;  // namespace/name as upstream's klog.KObj
    std::vector<Req> reqs;
    std::vector<ConstraintState> constraints;
    std::vector<Entry> entries;
  };

  Status GatherPools();
  Status PrepareClaims();
  Status PrepareAlt(ClaimData& cd, const DeviceRequest& req, const RequestSpec& spec, bool is_sub, Alt* alt);
  StatusOr<bool> Selectable(const Alt& alt, int cand);
  StatusOr<bool> Matches(const std::vector<Sel>& sels, const DeviceClass* cls, const ClaimData& cd,
                         int dev);
  bool TaintBlocks(int dev, const RequestSpec& spec) const;
  bool ClusterUses(int cand) const;
  const std::vector<std::pair<std::string, Quantity>>* ClusterCapacity(int cand) const;
  bool CountersFit(int cand) const;
  // 1 fits, 0 does not, -1 fatal (status_ set).
  int CapacityCheck(int cand, const RequestSpec& spec, std::vector<std::pair<std::string, Quantity>>* consumed);
  Status ComputeEligible(ClaimData& cd, Alt& alt);
  bool PruneByCounting();

  Outcome AllocateOne(int c, int r, int alt, bool in_alt, int d, size_t start);
  // 1 allocated, 0 not, -1 fatal.
  int TryAllocate(int c, int r, int a, int cand, bool must);
  void Undo(int c);
  void ChargeCounters(int cand, int sign);
  bool ConstraintAdd(ConstraintState& cs, const Alt& alt, int dev, Status* fatal);
  void ConstraintRemove(ConstraintState& cs, const Alt& alt);
  void OrderCandidates(int c, int r, Alt& alt, std::vector<int>* order);
  StatusOr<Json> BuildResult(int c);
  StatusOr<Json> BuildNodeSelector(const ClaimData& cd);

  const Allocator::Inventory& inv_;
  const AllocatorOptions& opts_;
  SelectorCache& cache_;
  const Node& node_;
  const std::vector<const ResourceClaim*>& claims_in_;
  const AllocatedState& state_;

  std::vector<PoolView> pools_;
  std::vector<Cand> cands_;
  std::unordered_set<int> cluster_used_;  // global devices the cluster already uses
  std::unordered_set<int> cluster_exclusive_;  // those of them allocated exclusively
  std::vector<char> cand_exclusive_;      // per candidate: in cluster_exclusive_
  std::vector<int> alloc_count_;          // per candidate: exclusive picks in this call
  std::vector<std::vector<std::pair<std::string, Quantity>>> allocating_cap_;  // per candidate
  std::unordered_map<int, int> cand_of_dev_;  // global device -> candidate
  std::vector<ClaimData> claims_;
  int64_t steps_ = 0;
  Status status_;
  std::string prune_reason_;
};

}  // namespace haru::scheduler::dra
