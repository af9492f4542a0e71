#pragma once
// Turns a parsed expression into a step tree: identifiers become slots, calls become
// overload lists resolved by name/style/arity, literals of constants become constants, and
// the comprehension accumulator patterns get in-place steps.

#include <string>
#include <vector>

#include "cel/ast/ast.h"
#include "cel/common/source.h"
#include "cel/interpreter/step.h"
#include "cel/runtime/function_registry.h"

namespace haru::cel {

struct PlannerOptions {
  // Treat identifiers that are not declared as variables bound (or not) at evaluation time.
  // Without a checker this is how undeclared references surface as evaluation errors.
  bool allow_undeclared_variables = false;
};

struct Plan {
  StepPtr root;
  // The free variables and their slots; every other slot is a comprehension local.
  std::vector<std::pair<std::string, int>> variables;
  int slot_count = 0;
  std::vector<Issue> issues;
};

Plan PlanExpression(const Expr& expr, const FunctionRegistry& functions,
                    const std::vector<std::string>& declared_variables,
                    const PlannerOptions& options);

}  // namespace haru::cel
