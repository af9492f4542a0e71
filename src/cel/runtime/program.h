#pragma once
// The public entry point: compile an expression once against an environment, then evaluate
// the program many times, each time against an Activation that binds the variables.
//
//   static const Env env = Env::Standard({"x", "s"});
//   CompileResult r = Compile(env, "x + 1 > 10 && s.startsWith('ab')");
//   if (!r.ok()) return r.ErrorText();     // ERROR: <input>:1:5: ... with caret
//   Activation act(*r.program);
//   act.Bind("x", Value::Int(12));
//   StatusOr<Value> v = r.program->Evaluate(act);   // a Value, possibly an error value
//
// A checked environment (Env::Checked) type-checks the expression against declared variables
// and functions before planning, as Kubernetes compiles every CEL expression it stores.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/common/source.h"
#include "cel/common/value.h"
#include "cel/interpreter/step.h"
#include "cel/parser/parser.h"
#include "cel/runtime/function_registry.h"
#include "common/status.h"

namespace haru::cel {

class Declarations;   // cel/checker/decls.h
class SizeEstimator;  // cel/checker/cost.h

struct EnvOptions {
  ParserOptions parser;
  // Undeclared identifiers become variables that are unbound unless the activation binds
  // them (no checker yet). Off: they are compile errors.
  bool allow_undeclared_variables = false;
  // Total comprehension iterations per evaluation before it aborts (0 = unlimited).
  int64_t max_iterations = 1000000;
  // Runtime cost per evaluation before it aborts with "operation cancelled: actual cost limit
  // exceeded" (upstream's per-call limit; 0 = unlimited). What costs what: eval_context.h.
  int64_t cost_limit = 1000000;
  // Checked environments only: the result must be bool or dyn (DRA selectors, validations).
  bool require_bool = false;
  // Checked environments only: reject an expression whose worst-case estimated cost exceeds
  // this (0 = no estimate).
  uint64_t max_estimated_cost = 0;
};

class Env {
 public:
  // The standard library plus the given variables.
  static Env Standard(std::vector<std::string> variables, EnvOptions options = {});
  // The standard, extension and Kubernetes libraries, checked against `declarations` (its
  // variables are the environment's variables). `sizes` prices calls and bounds variable
  // sizes for the cost estimate (e.g. DraSelectorSizeEstimator(); null: the Kubernetes
  // library costs with unknown sizes).
  static Env Checked(std::shared_ptr<const Declarations> declarations, EnvOptions options = {},
                     std::shared_ptr<const SizeEstimator> sizes = nullptr);

  const FunctionRegistry& functions() const { return *functions_; }
  const Declarations* declarations() const { return declarations_.get(); }
  const SizeEstimator* sizes() const { return sizes_.get(); }
  const std::vector<std::string>& variables() const { return variables_; }
  const EnvOptions& options() const { return options_; }

 private:
  std::shared_ptr<const FunctionRegistry> functions_;
  std::shared_ptr<const Declarations> declarations_;
  std::shared_ptr<const SizeEstimator> sizes_;
  std::vector<std::string> variables_;
  EnvOptions options_;
};

class Activation;
struct CompileResult;

// A runtime cost budget shared by several evaluations: upstream's per-binding budget for an
// admission policy (10,000,000 across every expression of one binding on one request). Each
// evaluation may spend at most min(its program's per-call limit, what is left); what it spent
// is taken off. Not thread-safe: one budget per request.
class CostBudget {
 public:
  explicit CostBudget(int64_t total) : remaining_(total) {}
  int64_t remaining() const { return remaining_; }
  bool exhausted() const { return remaining_ <= 0; }

 private:
  friend class Program;
  int64_t remaining_;
};

// What an evaluation that ran out of a CostBudget (rather than its per-call limit) aborts with,
// upstream's validating admission message.
inline constexpr char kCostBudgetExceeded[] =
    "validation failed due to running out of cost budget, no further validation rules will be run";
CompileResult Compile(const Env& env, std::string_view expression);

class Program {
 public:
  // Slot of a free variable, or -1 when the expression does not reference it.
  int FindVariable(std::string_view name) const;
  // Evaluates; a non-OK Status only for aborts (iteration budget), CEL errors are Values.
  // Thread-safe for distinct Activations. The result may borrow text and containers from
  // this Program's constants and from the values bound in `activation` (inputs are read in
  // place, without copies or reference counting): keep the Program, the Activation and the
  // bound values alive, and unchanged, while using the result.
  StatusOr<Value> Evaluate(Activation& activation) const;
  // The same, spending from `budget` as well (see CostBudget).
  StatusOr<Value> Evaluate(Activation& activation, CostBudget& budget) const;

 private:
  friend CompileResult Compile(const Env& env, std::string_view expression);
  friend class Activation;

  StepPtr root_;
  std::vector<std::pair<std::string, int>> variables_;
  int slot_count_ = 0;
  int64_t max_iterations_ = 0;
  int64_t cost_limit_ = 0;
};

// Variable bindings plus scratch slots for one evaluation at a time (not thread-safe; use
// one Activation per thread and reuse it across evaluations).
class Activation {
 public:
  explicit Activation(const Program& program);
  // Binds by name; false if the program does not reference the variable.
  bool Bind(std::string_view name, Value value);
  void Set(int slot, Value value) { slots_[slot] = std::move(value); }

 private:
  friend class Program;
  const Program* program_;
  std::vector<Value> slots_;
};

struct CompileResult {
  std::unique_ptr<Program> program;  // null when issues is not empty
  std::vector<Issue> issues;
  std::shared_ptr<const Source> source;
  // Checked environments: the result's type ("bool"), and the worst-case estimated cost when
  // the environment asks for an estimate (UINT64_MAX otherwise).
  std::string result_type;
  uint64_t max_cost = UINT64_MAX;
  // The estimate exceeded EnvOptions::max_estimated_cost (issues then says so).
  bool over_cost_limit = false;

  bool ok() const { return issues.empty(); }
  // Upstream's rendering: "ERROR: <input>:1:5: message\n | text\n | ....^", one per issue.
  std::string ErrorText() const;
};

CompileResult Compile(const Env& env, std::string_view expression);

}  // namespace haru::cel
