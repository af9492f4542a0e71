// NodeResourcesFit (filter and LeastAllocated/MostAllocated score) and
// NodeResourcesBalancedAllocation.

#include <cmath>

#include "scheduler/plugins/plugins.h"

namespace haru::scheduler {
namespace {

// One insufficient resource; unresolvable when even an empty node could not hold the pod.
void Check(const std::string& name, int64_t want, int64_t allocatable, int64_t used, FilterStatus* s) {
  if (want <= 0 || want <= allocatable - used) return;
  s->reasons.push_back("Insufficient " + name);
  if (want > allocatable) {
    s->code = FilterCode::kUnschedulableAndUnresolvable;
  } else if (s->code == FilterCode::kSuccess) {
    s->code = FilterCode::kUnschedulable;
  }
}

int64_t ResourceScore(int64_t requested, int64_t capacity, ScoringStrategy strategy) {
  if (capacity <= 0) return 0;
  if (requested > capacity) return strategy == ScoringStrategy::kLeastAllocated ? 0 : kMaxNodeScore;
  return strategy == ScoringStrategy::kLeastAllocated ? (capacity - requested) * kMaxNodeScore / capacity
                                                      : requested * kMaxNodeScore / capacity;
}

}  // namespace

FilterStatus NodeResourcesFitFilter(const PodInfo& pod, const NodeInfo& node) {
  FilterStatus s;
  if (node.num_pods + 1 > node.allocatable.pods) {
    s.code = FilterCode::kUnschedulable;
    s.reasons.push_back(kReasonTooManyPods);
  }
  const ResourceList& want = pod.requests;
  const ResourceList& alloc = node.allocatable;
  const ResourceList& used = node.requested;
  Check("cpu", want.milli_cpu, alloc.milli_cpu, used.milli_cpu, &s);
  Check("memory", want.memory, alloc.memory, used.memory, &s);
  Check("ephemeral-storage", want.ephemeral_storage, alloc.ephemeral_storage, used.ephemeral_storage, &s);
  for (const auto& [name, value] : want.scalars) {
    Check(name, value, alloc.Scalar(name), used.Scalar(name), &s);
  }
  return s;
}

int64_t NodeResourcesFitScore(const PodInfo& pod, const NodeInfo& node, ScoringStrategy strategy) {
  int64_t cpu = ResourceScore(node.nonzero_milli_cpu + pod.nonzero_milli_cpu, node.allocatable.milli_cpu, strategy);
  int64_t mem = ResourceScore(node.nonzero_memory + pod.nonzero_memory, node.allocatable.memory, strategy);
  return (cpu + mem) / 2;
}

int64_t BalancedAllocationScore(const PodInfo& pod, const NodeInfo& node) {
  if (node.allocatable.milli_cpu <= 0 || node.allocatable.memory <= 0) return 0;
  double fc = static_cast<double>(node.requested.milli_cpu + pod.requests.milli_cpu) / node.allocatable.milli_cpu;
  double fm = static_cast<double>(node.requested.memory + pod.requests.memory) / node.allocatable.memory;
  fc = std::min(fc, 1.0);
  fm = std::min(fm, 1.0);
  double spread = std::abs(fc - fm) / 2;
  return static_cast<int64_t>((1 - spread) * kMaxNodeScore);
}

}  // namespace haru::scheduler
