#pragma once
// PodRunner is the pod half of the simulated kubelets: one pod informer for the whole fleet
// (field selector spec.nodeName!="", filtered locally by node name, so thousands of nodes cost
// one watch), and per pod a small state machine run on the fleet's Executor:
//
//   bound, Pending --claims ready--> Running --run time, if it runs to completion--> Succeeded
//   any phase --deletionTimestamp--> containers terminated (Failed unless already done)
//                                    --> deleted with gracePeriodSeconds 0
//
// A pod whose claims are not created, allocated or reserved yet is checked again with backoff.
//
// Thread-safe: Start/Stop from one thread; everything else runs on the informer and executor.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/client.h"
#include "client/informer.h"
#include "node/sim/executor.h"
#include "node/sim/sim_options.h"

namespace haru::node::sim {

struct PodStats {
  std::atomic<int64_t> started{0};      // set Running
  std::atomic<int64_t> succeeded{0};    // set Succeeded after the run time
  std::atomic<int64_t> deleted{0};      // deleted after their deletionTimestamp
  std::atomic<int64_t> claim_waits{0};  // checks that found a claim not ready yet
  std::atomic<int64_t> errors{0};       // failed writes (retried)
};

class PodRunner {
 public:
  struct Node {
    std::string name;
    int index = 0;
    std::string host_ip;
  };

  // REQUIRES: client and executor outlive the runner.
  PodRunner(client::Client* client, Executor* executor, const SimOptions& options,
            const std::vector<Node>& nodes);
  ~PodRunner();

  void Start();
  // Stops the informer; tasks already posted see the stop flag and return.
  void Stop();
  bool WaitForSync(std::chrono::milliseconds timeout) const;
  const PodStats& stats() const { return stats_; }

 private:
  enum class Stage { kStarting, kRunning, kTerminating };
  struct NodeSlot {
    Node node;
    std::atomic<uint64_t> next_ip{0};
  };

  void Consider(const Json& pod);
  void StartPod(std::string ns, std::string name, std::string uid, int attempt);
  void CompletePod(std::string ns, std::string name, std::string uid, int attempt);
  void TerminatePod(std::string ns, std::string name, std::string uid, int attempt);
  // The cached pod when it still is this uid; null otherwise.
  client::ObjectPtr Current(const std::string& ns, const std::string& name, const std::string& uid) const;
  std::chrono::milliseconds Backoff(int attempt) const;
  void Log(const std::string& line) const;

  client::Client* client_;
  Executor* executor_;
  SimOptions options_;
  std::unordered_map<std::string, std::unique_ptr<NodeSlot>> nodes_;  // immutable after construction
  std::unique_ptr<client::Informer> informer_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  std::unordered_map<std::string, Stage> stages_;  // by pod uid; GUARDED_BY(mu_)
  PodStats stats_;
};

}  // namespace haru::node::sim
