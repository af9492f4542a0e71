#include "cel/runtime/program.h"

#include "cel/checker/checker.h"
#include "cel/checker/cost.h"
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

Env Env::Checked(std::shared_ptr<const Declarations> declarations, EnvOptions options,
                 std::shared_ptr<const SizeEstimator> sizes) {
  std::vector<std::string> variables;
  for (const auto& [name, type] : declarations->variables()) variables.push_back(name);
  Env env = Standard(std::move(variables), std::move(options));
  env.options_.allow_undeclared_variables = false;
  env.declarations_ = std::move(declarations);
  env.sizes_ = std::move(sizes);
  return env;
}

namespace {

// Type-checks (and estimates) the expression of `r` in a checked environment; adds issues to r.
void CheckForEnv(const Env& env, CompileResult& r) {
  ParseResult parsed = Parse(*r.source, env.options().parser);  // the checker rewrites its tree
  const int32_t root_offset = parsed.expr->offset;
  CheckedAst checked = Check(std::move(parsed.expr), *env.declarations());
  if (!checked.ok()) {
    r.issues = std::move(checked.issues);
    return;
  }
  TypePtr type = checked.type();
  r.result_type = type->ToString();
  if (env.options().require_bool && type->kind != Type::Kind::kBool && !IsDyn(type)) {
    r.issues.push_back({root_offset, "must evaluate to bool or the unknown type, not " + r.result_type});
    return;
  }
  const uint64_t limit = env.options().max_estimated_cost;
  if (limit == 0) return;
  std::unique_ptr<SizeEstimator> library_costs;
  const SizeEstimator* estimator = env.sizes();
  if (estimator == nullptr) {
    library_costs = KubernetesCostEstimator(nullptr);
    estimator = library_costs.get();
  }
  StatusOr<CostEstimate> cost = EstimateCost(checked, estimator, KubernetesCostOptions());
  if (!cost.ok()) {
    r.issues.push_back({root_offset, "cost estimation failed: " + cost.status().message()});
    return;
  }
  r.max_cost = cost->max;
  if (cost->max > limit) {
    r.over_cost_limit = true;
    r.issues.push_back({root_offset, "too complex, exceeds cost limit (estimated cost " +
                                         std::to_string(cost->max) + ", limit " + std::to_string(limit) + ")"});
  }
}

}  // namespace

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

StatusOr<Value> Program::Evaluate(Activation& activation, CostBudget& budget) const {
  if (budget.exhausted()) return Status::Invalid(kCostBudgetExceeded);
  EvalContext ctx;
  ctx.slots = activation.slots_.data();
  ctx.max_iterations = max_iterations_;
  const bool budget_binds = cost_limit_ == 0 || budget.remaining_ < cost_limit_;
  ctx.max_cost = budget_binds ? budget.remaining_ : cost_limit_;
  Value v = root_->Evaluate(ctx);
  budget.remaining_ -= ctx.cost;
  if (ctx.Aborted()) {
    if (budget_binds && ctx.abort.message() == kCostLimitExceeded) {
      budget.remaining_ = 0;
      return Status::Invalid(kCostBudgetExceeded);
    }
    return std::move(ctx.abort);
  }
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
  if (env.declarations() != nullptr) {
    CheckForEnv(env, r);
    if (!r.ok()) return r;
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
