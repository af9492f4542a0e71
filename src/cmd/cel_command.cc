#include "cmd/cel_command.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "api/kinds.h"
#include "apiserver/openapi/inlined_schema.h"
#include "cel/checker/checker.h"
#include "cel/checker/schema_types.h"
#include "cel/common/json_value.h"
#include "cel/runtime/kubernetes_env.h"
#include "cel/runtime/program.h"
#include "common/json.h"

namespace haru::cmd {
namespace {

// `name=json`; a value that is not JSON is taken as a string, so `--var s=abc` works.
bool ParseVar(const std::string& spec, std::string* name, cel::Value* value, std::string* error) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) {
    *error = "--var wants name=json, got '" + spec + "'";
    return false;
  }
  *name = spec.substr(0, eq);
  std::string text = spec.substr(eq + 1);
  StatusOr<Json> json = ParseJson(text);
  *value = json.ok() ? cel::ValueFromJson(*json) : cel::Value::String(text);
  return true;
}

// The admission environment with `object`/`oldObject` typed from a served resource's schema.
bool TypedAdmissionEnv(const std::string& resource, cel::Env* env, std::string* error) {
  size_t dot = resource.find('.');
  std::string plural = resource.substr(0, dot);
  std::string group = dot == std::string::npos ? "" : resource.substr(dot + 1);
  for (const api::KindSpec* kind : api::BuiltinKinds()) {
    if (kind->plural != plural || kind->gvk.group != group) continue;
    cel::SchemaTypeOptions type_options;
    type_options.resource_root = true;
    cel::TypePtr object = cel::TypeFromSchema(apiserver::openapi::InlinedSchema(*kind), "Object", type_options);
    *env = cel::AdmissionPolicyEnv(object, nullptr, /*require_bool=*/false);
    return true;
  }
  *error = "the server doesn't have a resource type \"" + resource + "\"";
  return false;
}

// The environment --env (and --resource) ask for; `names` are the untyped variables otherwise.
bool EnvFor(const CelOptions& options, std::vector<std::string> names, cel::Env* env) {
  *env = cel::Env::Standard(std::move(names));
  if (!options.resource.empty()) {
    if (options.env != "admission") {
      std::cerr << "--resource goes with --env admission\n";
      return false;
    }
    std::string error;
    if (!TypedAdmissionEnv(options.resource, env, &error)) {
      std::cerr << "error: " << error << "\n";
      return false;
    }
    return true;
  }
  return options.env.empty() || cel::LookupKubernetesEnv(options.env, env);
}

int RunEval(const CelOptions& options) {
  std::vector<std::string> names;
  std::map<std::string, cel::Value> values;
  for (const std::string& spec : options.vars) {
    std::string name, error;
    cel::Value v;
    if (!ParseVar(spec, &name, &v, &error)) {
      std::cerr << error << "\n";
      return 2;
    }
    if (!values.count(name)) names.push_back(name);
    values[name] = std::move(v);
  }
  // With --env, the expression is checked in that environment first, as Kubernetes would.
  cel::Env env;
  if (!EnvFor(options, names, &env)) return 2;
  cel::CompileResult compiled = cel::Compile(env, options.expression);
  if (!compiled.ok()) {
    std::cerr << compiled.ErrorText() << "\n";
    return 1;
  }
  cel::Activation act(*compiled.program);
  for (const auto& [name, v] : values) act.Bind(name, v);
  StatusOr<cel::Value> result = compiled.program->Evaluate(act);
  if (!result.ok()) {
    std::cerr << "ERROR: " << result.status().message() << "\n";
    return 1;
  }
  if (result->IsError()) {
    std::cerr << "ERROR: " << result->error_message() << "\n";
    return 1;
  }
  std::cout << result->DebugString() << "\n";
  return 0;
}

int RunCheck(const CelOptions& options) {
  if (options.resource.empty()) {
    cel::CheckResult r = cel::CheckExpression(options.env, options.expression);
    if (!r.ok()) {
      std::cerr << r.error_text << "\n";
      return 1;
    }
    std::cout << r.type << "\n";
    return 0;
  }
  cel::Env env;
  if (!EnvFor(options, {}, &env)) return 2;
  cel::CompileResult compiled = cel::Compile(env, options.expression);
  if (!compiled.ok()) {
    std::cerr << compiled.ErrorText() << "\n";
    return 1;
  }
  std::cout << compiled.result_type << "\n";
  return 0;
}

}  // namespace

void AddCelCommands(CLI::App& app, CelOptions& options) {
  CLI::App* cel = app.add_subcommand("cel", "Evaluate or type-check a CEL expression");
  cel->require_subcommand(1);
  CLI::App* eval = cel->add_subcommand("eval", "Evaluate an expression and print the result");
  eval->add_option("expression", options.expression, "The CEL expression")->required();
  eval->add_option("--var", options.vars, "A variable as name=json (repeatable)");
  eval->add_option("--env", options.env, "Check in this environment first (its variables, types and limits)")
      ->check(CLI::IsMember({"dra", "admission"}));
  CLI::App* check = cel->add_subcommand("check", "Type-check an expression and print its type");
  check->add_option("expression", options.expression, "The CEL expression")->required();
  check->add_option("--env", options.env, "The environment: dra (device selectors) or admission")
      ->required()
      ->check(CLI::IsMember({"dra", "admission"}));
  for (CLI::App* sub : {eval, check}) {
    sub->add_option("--resource", options.resource,
                    "With --env admission: type object and oldObject as this resource (pods, jobs.batch, ...)");
  }
}

int RunCel(const CLI::App& cel, const CelOptions& options) {
  if (cel.got_subcommand("eval")) return RunEval(options);
  if (cel.got_subcommand("check")) return RunCheck(options);
  return 2;
}

}  // namespace haru::cmd
