#pragma once
// The objects a simulated kubelet writes, as pure functions: its Node (labels, capacity,
// conditions, addresses, nodeInfo), its Lease in kube-node-lease, and the pod statuses of a
// started, completed or stopped pod. The fleet (sim_fleet.h) decides when to write them.
//
// Pure functions: thread-safe.

#include <cstdint>
#include <string>

#include "common/json.h"

namespace haru::node::sim {

inline constexpr char kKubeletVersion[] = "v1.36.3";
inline constexpr char kNodeLeaseNamespace[] = "kube-node-lease";

// What one simulated node looks like; the same for every node of a fleet except name/index.
struct NodeShape {
  std::string name;
  int index = 0;  // position in the fleet: picks the InternalIP and pod CIDR
  std::string cpu = "32";
  std::string memory = "256Gi";
  std::string ephemeral_storage = "500Gi";
  int max_pods = 110;
  std::string gpu_model;  // "" = no GPUs
  int gpus = 0;
};

// "2026-03-01T12:00:00Z" and "2026-03-01T12:00:00.123456Z" (metav1.Time / MicroTime).
std::string NowRfc3339();
std::string NowRfc3339Micro();

// 172.16.0.0/12 by index: 172.16.0.1, 172.16.0.2, ...
std::string NodeInternalIp(int index);
// 10.64.0.0/10 split into /24s by index: "10.64.0.0/24", "10.64.1.0/24", ...
std::string NodePodCidr(int index);
// The n-th pod address of node `index` (n cycles through .2 .. .254).
std::string PodIp(int index, uint64_t n);

// A Node with spec, labels and a full status; `heartbeat` is the conditions' times.
Json BuildNode(const NodeShape& shape, const std::string& heartbeat);
// The node's four conditions (Ready True, the pressure ones False), as a status patch would
// send them. `transition` is kept as lastTransitionTime.
Json NodeConditions(const std::string& heartbeat, const std::string& transition);
// The node's Lease; `node_uid` ("" = none) becomes its owner reference.
Json BuildLease(const std::string& node, const std::string& node_uid, int duration_seconds,
                const std::string& renew_time);

// Whether a pod ends on its own after the run time: owned by a Job, or restartPolicy Never /
// OnFailure (pods of Deployments and bare pods with Always run until deleted).
bool PodRunsToCompletion(const Json& pod);

// The `status` of `pod` once its containers run on the node. Keeps conditions other than the
// kubelet's own (PodScheduled, DisruptionTarget, ...) and the pod's qosClass.
Json RunningPodStatus(const Json& pod, const std::string& host_ip, const std::string& pod_ip,
                      const std::string& now);
// The `status` once every container exited: phase Succeeded (exit 0, Completed) or, when
// `succeeded` is false, Failed (exit 143 after SIGTERM, Error).
Json TerminatedPodStatus(const Json& pod, bool succeeded, const std::string& now);

}  // namespace haru::node::sim
