#pragma once
// `haru scheduler`: the scheduler as its own process, against a server named by a kubeconfig.

#include <string>

namespace CLI {
class App;
}

namespace haru::cmd {

struct SchedulerCommandOptions {
  std::string kubeconfig;
  std::string scheduler_name = "default-scheduler";
  int parallelism = 16;
  int bind_workers = 16;
  std::string scoring = "LeastAllocated";  // LeastAllocated | MostAllocated
  int percentage_of_nodes_to_score = 0;    // 0 = adaptive
};

void AddSchedulerFlags(CLI::App& app, SchedulerCommandOptions& options);
// Runs until SIGTERM or SIGINT; returns the exit status.
int RunScheduler(const SchedulerCommandOptions& options);

}  // namespace haru::cmd
