#include "cmd/scheduler_command.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "client/client.h"
#include "cmd/stop_signals.h"
#include "scheduler/scheduler.h"

namespace haru::cmd {

void AddSchedulerFlags(CLI::App& app, SchedulerCommandOptions& o) {
  app.add_option("--kubeconfig", o.kubeconfig, "kubeconfig of the API server to schedule for")->required();
  app.add_option("--scheduler-name", o.scheduler_name, "pods with this spec.schedulerName are scheduled")
      ->capture_default_str();
  app.add_option("--parallelism", o.parallelism, "threads that filter nodes for one pod")->capture_default_str();
  app.add_option("--bind-workers", o.bind_workers, "threads that write bindings, claims and events")
      ->capture_default_str();
  app.add_option("--scoring-strategy", o.scoring, "NodeResourcesFit scoring: LeastAllocated or MostAllocated")
      ->check(CLI::IsMember({"LeastAllocated", "MostAllocated"}))
      ->capture_default_str();
  app.add_option("--percentage-of-nodes-to-score", o.percentage_of_nodes_to_score,
                 "share of nodes to filter before scoring (0 = adaptive, as upstream)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
}

int RunScheduler(const SchedulerCommandOptions& options) {
  const sigset_t stop_signals = BlockStopSignals();

  auto client = client::NewHttpsClient(options.kubeconfig);
  if (!client.ok()) {
    std::cerr << "haru scheduler: " << client.status().message() << "\n";
    return 1;
  }
  scheduler::SchedulerOptions so;
  so.scheduler_name = options.scheduler_name;
  so.parallelism = options.parallelism;
  so.bind_workers = options.bind_workers;
  so.scoring = options.scoring == "MostAllocated" ? scheduler::ScoringStrategy::kMostAllocated
                                                  : scheduler::ScoringStrategy::kLeastAllocated;
  so.percentage_of_nodes_to_score = options.percentage_of_nodes_to_score;
  auto sched = scheduler::StartScheduler(client->get(), so);
  std::cout << "haru scheduler: scheduling pods for \"" << so.scheduler_name << "\"\n" << std::flush;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::cout << "haru scheduler: stopping (signal " << signal_number << ")\n" << std::flush;
  sched->Stop();
  auto st = sched->stats();
  std::cout << "haru scheduler: bound " << st.bound << " pods\n" << std::flush;
  return 0;
}

}  // namespace haru::cmd
