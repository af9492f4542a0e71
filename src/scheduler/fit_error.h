#pragma once
// The "why does this pod not fit" message, assembled as upstream's FitError does:
//   0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient nvidia.com/gpu.
//   no new claims to deallocate, preemption: 0/4 nodes are available: 1 Preemption is not
//   helpful for scheduling, 3 No preemption victims found for incoming pod.
// (one line). haru does not preempt, so the preemption part says what upstream's preemption
// finds on a cluster without lower-priority pods.

#include <map>
#include <string>

namespace haru::scheduler {

struct Diagnosis {
  int num_all_nodes = 0;
  std::string prefilter_message;          // set when PreFilter rejected the pod on every node
  std::map<std::string, int> reasons;     // filter reason -> number of nodes
  int unresolvable_nodes = 0;             // nodes where evicting pods would not help
  int resolvable_nodes = 0;               // nodes rejected for resources only
  bool pod_has_claims = false;
};

std::string FitErrorMessage(const Diagnosis& d);

inline constexpr char kNoNodesAvailable[] = "no nodes available to schedule pods";

}  // namespace haru::scheduler
