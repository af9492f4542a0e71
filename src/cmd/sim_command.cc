#include "cmd/sim_command.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>

#include "client/client.h"
#include "cmd/stop_signals.h"
#include "node/gpu/gpu_model.h"
#include "node/sim/sim_fleet.h"

namespace haru::cmd {

namespace {

std::string DefaultKubeconfig() {
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    std::string first = env;
    return first.substr(0, first.find(':'));  // a list: the first file, like a single-file client
  }
  std::error_code ec;
  if (std::filesystem::exists("data/admin.kubeconfig", ec)) return "data/admin.kubeconfig";
  if (const char* home = std::getenv("HOME"); home != nullptr) {
    return (std::filesystem::path(home) / ".kube" / "config").string();
  }
  return "";
}

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
}

}  // namespace

void AddSimFlags(CLI::App& app, SimCommandOptions& o) {
  std::string models;
  for (const std::string& id : node::gpu::GpuModelIds()) models += (models.empty() ? "" : ", ") + id;
  app.add_option("--kubeconfig", o.kubeconfig,
                 "kubeconfig of the cluster to join (default: $KUBECONFIG, else ./data/admin.kubeconfig, "
                 "else ~/.kube/config)");
  app.add_option("--nodes", o.sim.nodes, "how many nodes to simulate")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--name-prefix", o.sim.name_prefix, "node names are <prefix><index>")->capture_default_str();
  app.add_option("--first-index", o.sim.first_index, "index of the first node (for several sim processes)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--gpus-per-node", o.sim.gpus_per_node, "GPUs of driver gpu.haru.dev per node (0: none)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--shared-gpus", o.sim.shared_gpus,
                 "the last N GPUs of each node are shared devices (allowMultipleAllocations, memory "
                 "as consumable capacity) instead of MIG-partitionable")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--gpu", o.sim.gpu_model, "GPU model: " + models)->capture_default_str();
  app.add_option("--cpu", o.sim.cpu, "CPU capacity of each node")->capture_default_str();
  app.add_option("--memory", o.sim.memory, "memory capacity of each node")->capture_default_str();
  app.add_option("--ephemeral-storage", o.sim.ephemeral_storage, "ephemeral-storage capacity of each node")
      ->capture_default_str();
  app.add_option("--max-pods", o.sim.max_pods, "pods capacity of each node")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--pod-run-seconds", o.pod_run_seconds,
                 "how long pods of Jobs (or with restartPolicy Never/OnFailure) run before they succeed")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--workers", o.sim.worker_threads, "worker threads shared by all nodes")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_flag("--claim-device-status", o.sim.claim_device_status,
               "also write ResourceClaim status.devices for prepared devices");
  app.add_option("--lease-renew-seconds", o.lease_renew_seconds, "Lease renewal period")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group("");
  app.add_option("--node-status-seconds", o.node_status_seconds, "Ready heartbeat period")
      ->capture_default_str()
      ->check(CLI::PositiveNumber)
      ->group("");
}

int RunSim(SimCommandOptions options) {
  const sigset_t stop_signals = BlockStopSignals();

  std::string kubeconfig = options.kubeconfig.empty() ? DefaultKubeconfig() : options.kubeconfig;
  if (kubeconfig.empty()) {
    std::cerr << "haru sim: no kubeconfig: pass --kubeconfig or set KUBECONFIG\n";
    return 1;
  }
  StatusOr<std::unique_ptr<client::Client>> client = client::NewHttpsClient(kubeconfig);
  if (!client.ok()) {
    std::cerr << "haru sim: " << kubeconfig << ": " << client.status().ToString() << "\n";
    return 1;
  }
  options.sim.pod_run_time = Millis(options.pod_run_seconds);
  options.sim.lease_renew_interval = Millis(options.lease_renew_seconds);
  options.sim.node_status_interval = Millis(options.node_status_seconds);
  auto log_mu = std::make_shared<std::mutex>();
  options.sim.log = [log_mu](const std::string& line) {
    std::lock_guard lock(*log_mu);
    std::cerr << "haru sim: " << line << "\n";
  };

  std::cout << "haru sim: registering " << options.sim.nodes << " nodes (" << options.sim.gpus_per_node
            << " x " << options.sim.gpu_model << " each) with " << kubeconfig << "\n"
            << std::flush;
  StatusOr<std::unique_ptr<node::sim::SimFleet>> fleet = node::sim::StartSimFleet(client->get(), options.sim);
  if (!fleet.ok()) {
    std::cerr << "haru sim: " << fleet.status().ToString() << "\n";
    return 1;
  }
  node::sim::FleetStats s = (*fleet)->Stats();
  std::cout << "haru sim: " << s.nodes << " nodes Ready in " << s.registration_time.count() << " ms ("
            << s.slices_written << " ResourceSlice writes); running pods until stopped\n"
            << std::flush;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "haru sim: stopping (signal " << signal_number << ")\n" << std::flush;
  (*fleet)->Stop();
  s = (*fleet)->Stats();
  std::cout << "haru sim: pods started " << s.pods_started << ", succeeded " << s.pods_succeeded
            << ", deleted " << s.pods_deleted << "; errors " << s.errors << "\n"
            << std::flush;
  return 0;
}

}  // namespace haru::cmd
