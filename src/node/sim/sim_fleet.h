#pragma once
// SimFleet: N simulated kubelets in one process, clients of the API like real ones. Each node
// is registered (a Node with capacity, labels, addresses, nodeInfo and Ready=True), keeps its
// Lease in kube-node-lease renewed and its Ready heartbeat fresh, publishes the ResourceSlices
// of the built-in GPU driver gpu.haru.dev, and runs the pods bound to it (PodRunner). All of it
// runs on a few worker threads and one pod watch, so thousands of nodes fit in one process.
// Nothing is deregistered on Stop: like a stopped kubelet, the nodes go NotReady when their
// leases expire.
//
// Thread-safe: Stop and the accessors may be called from any thread.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "client/client.h"
#include "node/sim/sim_options.h"

namespace haru::node::sim {

struct FleetStats {
  int64_t nodes = 0;
  int64_t slices_written = 0;
  int64_t lease_renewals = 0;
  int64_t heartbeats = 0;
  int64_t pods_started = 0;
  int64_t pods_succeeded = 0;
  int64_t pods_deleted = 0;
  int64_t errors = 0;
  std::chrono::milliseconds registration_time{0};
};

class SimFleet {
 public:
  virtual ~SimFleet() = default;
  // Ends every timer and the pod watch; joins the workers. Idempotent.
  virtual void Stop() = 0;
  virtual FleetStats Stats() const = 0;
  virtual std::vector<std::string> NodeNames() const = 0;
  // The pod watch has delivered its first list (for tests).
  virtual bool WaitForPodSync(std::chrono::milliseconds timeout) const = 0;
};

// Validates the options, registers every node (Node, Lease, ResourceSlices) and returns once
// all are registered, then keeps them alive in the background. An error (bad options, or a
// node that could not be registered after retries) stops what was started and is returned.
// REQUIRES: client outlives the fleet.
StatusOr<std::unique_ptr<SimFleet>> StartSimFleet(client::Client* client, const SimOptions& options);

}  // namespace haru::node::sim
