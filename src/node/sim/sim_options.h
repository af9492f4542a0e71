#pragma once
// Options of a simulated fleet (`haru sim`). Plain data.

#include <chrono>
#include <functional>
#include <string>

namespace haru::node::sim {

struct SimOptions {
  // Nodes are <name_prefix><i> for i in [first_index, first_index + nodes).
  int nodes = 4;
  std::string name_prefix = "sim-";
  int first_index = 0;

  // GPUs of the built-in driver gpu.haru.dev; gpus_per_node 0 publishes no ResourceSlices.
  std::string gpu_model = "a100-80gb";
  int gpus_per_node = 8;
  // The last that many GPUs of each node are shared (allowMultipleAllocations) instead of
  // MIG-partitionable; see node/gpu/resource_slices.h.
  int shared_gpus = 0;

  // status.capacity (= allocatable) of every node.
  std::string cpu = "32";
  std::string memory = "256Gi";
  std::string ephemeral_storage = "500Gi";
  int max_pods = 110;

  // How long a pod that runs to completion (Job-owned, restartPolicy Never/OnFailure) stays
  // Running before it Succeeds.
  std::chrono::milliseconds pod_run_time{5000};

  // Lease renewal (kubelet: every 10 s, lease 40 s) and the Ready condition's heartbeat.
  std::chrono::milliseconds lease_renew_interval{10000};
  int lease_duration_seconds = 40;
  std::chrono::milliseconds node_status_interval{50000};

  // Retries while a pod's claims are not allocated/reserved yet, and after failed writes:
  // doubling from initial to max.
  std::chrono::milliseconds retry_initial{100};
  std::chrono::milliseconds retry_max{5000};

  // Worker threads for every node's work; the fleet starts no thread per node.
  int worker_threads = 4;

  // Also write ResourceClaim status.devices (a Ready condition per prepared device), as a
  // driver with DRAResourceClaimDeviceStatus does. One more write per claim; off by default.
  bool claim_device_status = false;

  // Where progress and errors go; null = nowhere. Called from worker threads.
  std::function<void(const std::string&)> log;
};

}  // namespace haru::node::sim
