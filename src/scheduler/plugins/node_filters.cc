// NodeUnschedulable, NodeName, TaintToleration and NodeAffinity: the filters that look only at
// the node object and the pod's placement constraints.

#include "scheduler/plugins/plugins.h"

namespace haru::scheduler {

FilterStatus NodeUnschedulableFilter(const PodInfo& pod, const NodeInfo& node) {
  if (!node.unschedulable) return {};
  static const Taint kUnschedulableTaint{"node.kubernetes.io/unschedulable", "", "NoSchedule"};
  if (ToleratesAny(pod.tolerations, kUnschedulableTaint)) return {};
  return FilterStatus::Unresolvable(kReasonNodeUnschedulable);
}

FilterStatus NodeNameFilter(const PodInfo& pod, const NodeInfo& node) {
  if (pod.node_name.empty() || pod.node_name == node.name) return {};
  return FilterStatus::Unresolvable(kReasonNodeName);
}

FilterStatus TaintTolerationFilter(const PodInfo& pod, const NodeInfo& node) {
  for (const Taint& t : node.taints) {
    if (t.effect != "NoSchedule" && t.effect != "NoExecute") continue;
    if (!ToleratesAny(pod.tolerations, t)) return FilterStatus::Unresolvable(kReasonUntoleratedTaint);
  }
  return {};
}

bool PodMatchesNodeSelectorAndAffinity(const PodInfo& pod, const NodeInfo& node) {
  for (const auto& [k, v] : pod.node_selector) {
    auto it = node.node.labels.find(k);
    if (it == node.node.labels.end() || it->second != v) return false;
  }
  if (pod.required_affinity && !dra::NodeSelectorMatches(*pod.required_affinity, node.node)) return false;
  return true;
}

FilterStatus NodeAffinityFilter(const PodInfo& pod, const NodeInfo& node) {
  if (PodMatchesNodeSelectorAndAffinity(pod, node)) return {};
  return FilterStatus::Unresolvable(kReasonNodeAffinity);
}

int64_t TaintTolerationRawScore(const PodInfo& pod, const NodeInfo& node) {
  int64_t n = 0;
  for (const Taint& t : node.taints) {
    if (t.effect != "PreferNoSchedule") continue;
    bool tolerated = false;
    for (const Toleration& tol : pod.tolerations) {
      if ((tol.effect.empty() || tol.effect == "PreferNoSchedule") && ToleratesTaint(tol, t)) {
        tolerated = true;
        break;
      }
    }
    n += !tolerated;
  }
  return n;
}

int64_t NodeAffinityRawScore(const PodInfo& pod, const NodeInfo& node) {
  int64_t sum = 0;
  for (const PreferredTerm& p : pod.preferred_affinity) {
    if (p.weight == 0) continue;
    dra::NodeSelector one;
    one.terms.push_back(p.term);
    if (dra::NodeSelectorMatches(one, node.node)) sum += p.weight;
  }
  return sum;
}

void NormalizeScores(std::vector<int64_t>& scores, bool reverse) {
  int64_t max = 0;
  for (int64_t s : scores) max = std::max(max, s);
  if (max == 0) {
    if (reverse) {
      for (auto& s : scores) s = kMaxNodeScore;
    }
    return;
  }
  for (auto& s : scores) {
    s = kMaxNodeScore * s / max;
    if (reverse) s = kMaxNodeScore - s;
  }
}

}  // namespace haru::scheduler
