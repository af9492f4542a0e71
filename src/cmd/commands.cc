#include "cmd/commands.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cmd/cel_command.h"
#include "cmd/scheduler_command.h"
#include "cmd/server_command.h"
#include "cmd/sim_command.h"
#include "cmd/version.h"

namespace haru::cmd {

int Main(int argc, char** argv) {
  CLI::App app{"haru: a Kubernetes v1.36 control plane and node agent in one binary"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(kHaruVersion));

  ServerOptions server_options;
  CLI::App* server = app.add_subcommand("server", "Run the API server on an embedded SQLite store");
  AddServerFlags(*server, server_options);

  SchedulerCommandOptions scheduler_options;
  CLI::App* scheduler = app.add_subcommand("scheduler", "Run the scheduler against a server (kubeconfig)");
  AddSchedulerFlags(*scheduler, scheduler_options);

  SimCommandOptions sim_options;
  CLI::App* sim = app.add_subcommand("sim", "Run simulated nodes with GPUs (driver gpu.haru.dev) against a server");
  AddSimFlags(*sim, sim_options);

  CLI::App* version = app.add_subcommand("version", "Print the version");

  CelOptions cel_options;
  AddCelCommands(app, cel_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*version) {
    std::cout << "haru " << kHaruVersion << " (Kubernetes " << kKubernetesVersion << ")\n";
    return 0;
  }
  if (*server) return RunServer(server_options);
  if (*sim) return RunSim(std::move(sim_options));
  if (*scheduler) return RunScheduler(scheduler_options);
  if (CLI::App* cel = app.get_subcommand("cel"); *cel) return RunCel(*cel, cel_options);
  return 1;
}

}  // namespace haru::cmd
