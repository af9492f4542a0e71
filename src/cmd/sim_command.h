#pragma once
// `haru sim`: simulated GPU nodes that join a running cluster over HTTPS. Flags and the run
// loop; the nodes themselves live in node/sim/.

#include <string>

#include "node/sim/sim_options.h"

namespace CLI {
class App;
}

namespace haru::cmd {

struct SimCommandOptions {
  // "" = $KUBECONFIG, else ./data/admin.kubeconfig (what `make run` writes), else
  // ~/.kube/config.
  std::string kubeconfig;
  double pod_run_seconds = 5;
  double lease_renew_seconds = 10;
  double node_status_seconds = 50;
  node::sim::SimOptions sim;
};

void AddSimFlags(CLI::App& app, SimCommandOptions& options);
// Registers the nodes, then runs until SIGTERM/SIGINT. Returns the exit code.
int RunSim(SimCommandOptions options);

}  // namespace haru::cmd
