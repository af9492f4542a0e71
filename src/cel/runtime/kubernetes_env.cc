#include "cel/runtime/kubernetes_env.h"

#include <memory>

#include "cel/checker/checker.h"
#include "cel/checker/cost.h"
#include "cel/checker/decls.h"
#include "cel/checker/environments.h"

namespace haru::cel {
namespace {

std::shared_ptr<Declarations> DeclarationsFor(const TypeEnv& type_env) {
  auto decls = std::make_shared<Declarations>(Declarations::Kubernetes());
  for (const auto& [name, type] : type_env.variables) decls->AddVariable(name, type);
  return decls;
}

}  // namespace

const Env& DraSelectorEnv() {
  static const Env kEnv = [] {
    TypeEnv type_env = DraSelectorEnvironment();
    EnvOptions options;
    options.require_bool = type_env.require_bool;
    options.cost_limit = kDraSelectorMaxCost;
    options.max_estimated_cost = kDraSelectorMaxCost;
    std::shared_ptr<const SizeEstimator> sizes = DraSelectorSizeEstimator();
    return Env::Checked(DeclarationsFor(type_env), options, std::move(sizes));
  }();
  return kEnv;
}

Env AdmissionPolicyEnv(TypePtr object_type, TypePtr params_type, bool require_bool) {
  EnvOptions options;
  options.require_bool = require_bool;
  return Env::Checked(DeclarationsFor(AdmissionEnvironment(std::move(object_type), std::move(params_type))),
                      options);
}

bool LookupKubernetesEnv(std::string_view name, Env* env) {
  if (name == "dra") {
    *env = DraSelectorEnv();
    return true;
  }
  TypeEnv type_env;
  if (!LookupEnvironment(name, &type_env)) return false;
  EnvOptions options;
  options.require_bool = type_env.require_bool;
  *env = Env::Checked(DeclarationsFor(type_env), options);
  return true;
}

// checker.h's entry point for `haru cel check`: the checker plus the environment's limits.
CheckResult CheckExpression(std::string_view env_name, std::string_view expression) {
  CheckResult r;
  Env env;
  if (!LookupKubernetesEnv(env_name, &env)) {
    r.error_text = "ERROR: unknown environment '" + std::string(env_name) + "' (want dra or admission)";
    return r;
  }
  CompileResult compiled = Compile(env, expression);
  if (!compiled.ok()) {
    r.error_text = compiled.ErrorText();
    return r;
  }
  r.type = compiled.result_type;
  r.max_cost = compiled.max_cost;
  return r;
}

}  // namespace haru::cel
