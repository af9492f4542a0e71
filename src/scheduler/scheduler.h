#pragma once
// haru's scheduler: assigns pending pods (spec.schedulerName == the scheduler's name, no
// spec.nodeName) to nodes, like kube-scheduler's default profile.
//
// It is a client of the API (in-process or HTTPS): it watches Pods, Nodes, ResourceClaims,
// ResourceSlices, DeviceClasses (resource.k8s.io/v1) and DeviceTaintRules (v1beta2), keeps a
// cache of node usage and allocated devices, and runs one pod at a time through
//   PreFilter (DRA claims) -> Filter on nodes in parallel (NodeUnschedulable, NodeName,
//   TaintToleration, NodeAffinity, NodeResourcesFit, DynamicResources with the structured
//   allocator) -> Score (NodeResourcesFit least/most allocated, BalancedAllocation,
//   TaintToleration, NodeAffinity) -> assume in the cache
// and hands the API writes (claim allocation + reservedFor, pods/binding, events) to a pool of
// bind workers, so the loop never waits on the API. A pod that fits nowhere gets the
// PodScheduled=False condition with upstream's "0/N nodes are available: ..." message and a
// FailedScheduling event, and waits in the queue's unschedulable pool for a cluster change;
// it never blocks other pods.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "client/client.h"
#include "scheduler/plugins/plugins.h"
#include "scheduler/queue.h"

namespace haru::scheduler {

struct SchedulerOptions {
  std::string scheduler_name = "default-scheduler";
  // Threads that filter nodes for one pod (upstream's parallelism, default 16), capped at the
  // machine's hardware threads.
  int parallelism = 16;
  // Threads that write bindings, claim status, pod conditions and events.
  int bind_workers = 16;
  ScoringStrategy scoring = ScoringStrategy::kLeastAllocated;
  // Share of nodes to look at before scoring, 1..100; 0 = upstream's adaptive default
  // (all nodes below 100, else 50% - nodes/125, at least 5% and 100 nodes).
  int percentage_of_nodes_to_score = 0;
  QueueOptions queue;
  bool record_events = true;
};

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Stops watching and scheduling; waits for the bind workers to finish their writes.
  virtual void Stop() = 0;
  // True once every watched resource was listed.
  virtual bool HasSynced() const = 0;

  struct Stats {
    int64_t bound = 0;            // pods bound successfully
    int64_t unschedulable = 0;    // attempts that found no node
    int64_t errors = 0;           // attempts or bindings that failed on an error
  };
  virtual Stats stats() const = 0;
  virtual SchedulingQueue::Counts queue_counts() const = 0;
};

// Starts the scheduler's threads. `client` must outlive the scheduler.
std::unique_ptr<Scheduler> StartScheduler(client::Client* client, SchedulerOptions options = {});

}  // namespace haru::scheduler
