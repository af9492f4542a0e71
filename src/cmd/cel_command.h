#pragma once
// `haru cel eval 'expr' [--var name=json ...]` and `haru cel check 'expr' --env dra|admission`:
// let an operator try a device selector or a policy expression before applying it.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace haru::cmd {

struct CelOptions {
  std::string expression;
  std::vector<std::string> vars;  // name=json
  std::string env;                // "", "dra" or "admission"
  // With --env admission: type `object` and `oldObject` as this served resource
  // ("pods", "jobs.batch", "resourceclaims.resource.k8s.io").
  std::string resource;
};

// Adds `cel` with its `eval` and `check` subcommands to `app`.
void AddCelCommands(CLI::App& app, CelOptions& options);
// Runs whichever `cel` subcommand was parsed; returns the exit code.
int RunCel(const CLI::App& cel, const CelOptions& options);

}  // namespace haru::cmd
