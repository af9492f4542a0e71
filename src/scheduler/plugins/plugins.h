#pragma once
// The scheduler's filters and scores, one file per upstream plugin. A filter says whether a
// pod may run on a node and, when not, why, in upstream's words (the reasons are counted
// into "0/N nodes are available: ..."). A score rates a feasible node from 0 to 100.
// Stateless functions over the parsed pod and node; thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "scheduler/framework/types.h"

namespace haru::scheduler {

enum class FilterCode {
  kSuccess,
  kUnschedulable,                 // could change by evicting pods (preemption would look)
  kUnschedulableAndUnresolvable,  // nothing on this node helps
  kError,
};

struct FilterStatus {
  FilterCode code = FilterCode::kSuccess;
  std::vector<std::string> reasons;
  bool ok() const { return code == FilterCode::kSuccess; }
  static FilterStatus Unschedulable(std::string reason) {
    return {FilterCode::kUnschedulable, {std::move(reason)}};
  }
  static FilterStatus Unresolvable(std::string reason) {
    return {FilterCode::kUnschedulableAndUnresolvable, {std::move(reason)}};
  }
};

// Upstream's reason texts.
inline constexpr char kReasonNodeUnschedulable[] = "node(s) were unschedulable";
inline constexpr char kReasonNodeName[] = "node(s) didn't match the requested node name";
inline constexpr char kReasonUntoleratedTaint[] = "node(s) had untolerated taint(s)";
inline constexpr char kReasonNodeAffinity[] = "node(s) didn't match Pod's node affinity/selector";
inline constexpr char kReasonTooManyPods[] = "Too many pods";

FilterStatus NodeUnschedulableFilter(const PodInfo& pod, const NodeInfo& node);
FilterStatus NodeNameFilter(const PodInfo& pod, const NodeInfo& node);
FilterStatus TaintTolerationFilter(const PodInfo& pod, const NodeInfo& node);
FilterStatus NodeAffinityFilter(const PodInfo& pod, const NodeInfo& node);
FilterStatus NodeResourcesFitFilter(const PodInfo& pod, const NodeInfo& node);

// Whether the node's labels satisfy the pod's nodeSelector and required node affinity.
bool PodMatchesNodeSelectorAndAffinity(const PodInfo& pod, const NodeInfo& node);

enum class ScoringStrategy { kLeastAllocated, kMostAllocated };

inline constexpr int64_t kMaxNodeScore = 100;

// NodeResourcesFit's score over cpu and memory (weights 1), counting the pod itself, with
// upstream's non-zero defaults for containers without requests.
int64_t NodeResourcesFitScore(const PodInfo& pod, const NodeInfo& node, ScoringStrategy strategy);
// NodeResourcesBalancedAllocation: 100 * (1 - spread of the cpu and memory fractions).
int64_t BalancedAllocationScore(const PodInfo& pod, const NodeInfo& node);
// Raw scores that are normalised over all feasible nodes: untolerated PreferNoSchedule taints
// (fewer is better) and the summed weights of matching preferred affinity terms.
int64_t TaintTolerationRawScore(const PodInfo& pod, const NodeInfo& node);
int64_t NodeAffinityRawScore(const PodInfo& pod, const NodeInfo& node);
// Scales raw scores to 0..100 (upstream's DefaultNormalizeScore); `reverse` for "fewer is better".
void NormalizeScores(std::vector<int64_t>& scores, bool reverse);

}  // namespace haru::scheduler
