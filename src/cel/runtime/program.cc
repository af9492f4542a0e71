#include "cel/runtime/program.h"

#include "cel/interpreter/eval_context.h"
#include "cel/library/extensions.h"
#include "cel/library/k8s.h"
#include "cel/library/standard.h"
#include "cel/planner/planner.h"

namespace haru::cel {

Env Env::Standard(std::vector<std::string> variables, EnvOptions options) {
  static const std::shared_ptr<const FunctionRegistry> kStandard = [] {
    auto r = std::make_shared<FunctionRegistry>();
    RegisterStandardLibrary(*r);
    RegisterExtensionLibraries(*r);
    RegisterKubernetesLibraries(*r);
    return r;
  }();
  Env env;
  env.functions_ = kStandard;
  env.variables_ = std::move(variables);
  env.options_ = std::move(options);
  return env;
}

int Program::FindVariable(std::string_view name) const {
  for (const auto& [n, slot] : variables_) {
    if (n == name) return slot;
  }
  return -1;
}

StatusOr<Value> Program::Evaluate(Activation& activation) const {
  EvalContext ctx;
  ctx.slots = activation.slots_.data();
  ctx.max_iterations = max_iterations_;
  ctx.max_cost = cost_limit_;
  Value v = root_->Evaluate(ctx);
  if (ctx.Aborted()) return std::move(ctx.abort);
  return v;
}

Activation::Activation(const Program& program)
    : program_(&program), slots_(program.slot_count_) {
  // An unbound variable evaluates to an error value naming it.
  for (const auto& [name, slot] : program.variables_) {
    slots_[slot] = Value::Error("no such attribute: '" + name + "' is not bound");
  }
}

bool Activation::Bind(std::string_view name, Value value) {
  int slot = program_->FindVariable(name);
  if (slot < 0) return false;
  slots_[slot] = std::move(value);
  return true;
}

std::string CompileResult::ErrorText() const {
  if (!source) return "";
  return FormatIssues(*source, issues);
}

CompileResult Compile(const Env& env, std::string_view expression) {
  CompileResult r;
  r.source = std::make_shared<Source>(std::string(expression));
  ParseResult parsed = Parse(*r.source, env.options().parser);
  if (!parsed.ok()) {
    r.issues = std::move(parsed.issues);
    return r;
  }
  PlannerOptions popts;
  popts.allow_undeclared_variables = env.options().allow_undeclared_variables;
  Plan plan = PlanExpression(*parsed.expr, env.functions(), env.variables(), popts);
  if (!plan.issues.empty()) {
    r.issues = std::move(plan.issues);
    return r;
  }
  auto program = std::make_unique<Program>();
  program->root_ = std::move(plan.root);
  program->variables_ = std::move(plan.variables);
  program->slot_count_ = plan.slot_count;
  program->max_iterations_ = env.options().max_iterations;
  program->cost_limit_ = env.options().cost_limit;
  r.program = std::move(program);
  return r;
}

}  // namespace haru::cel
