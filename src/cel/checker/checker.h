#pragma once
// A minimal type checker: infers the type of an expression against declared variables,
// reporting undeclared references, undefined fields of object types, operands that can never
// match an operator, unknown functions, and (for device selectors) a non-bool result.
// Function results come from a signature table (signatures.cc); functions it does not list
// check as dyn. Issues are data with source offsets, rendered like the parser's.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cel/ast/ast.h"
#include "cel/checker/types.h"
#include "cel/common/source.h"
#include "cel/runtime/function_registry.h"

namespace haru::cel {

struct TypeEnv {
  std::map<std::string, TypePtr> variables;
  // When set, the expression must evaluate to bool (or dyn), as DRA selectors must.
  bool require_bool = false;
};

// The environments of `haru cel check --env`: "dra" (DRA device selectors, upstream's
// k8s.io/dynamic-resource-allocation/cel) and "admission" (Validating/MutatingAdmissionPolicy).
bool LookupEnvironment(std::string_view name, TypeEnv* env);
// The variable names of a named environment (empty for an unknown name).
std::vector<std::string> EnvironmentVariables(std::string_view name);

struct CheckedExpr {
  TypePtr type;
  std::vector<Issue> issues;
};

// Checks a parsed (macro-expanded) expression; `functions` says which functions exist.
CheckedExpr Check(const Expr& expr, const TypeEnv& env, const FunctionRegistry& functions);

struct CheckResult {
  std::string type;        // the result type, when ok()
  std::string error_text;  // upstream's "ERROR: <input>:1:5: ..." rendering otherwise
  bool ok() const { return error_text.empty(); }
};

// Parses and checks `expression` in the named environment, with the standard, extension
// and Kubernetes libraries.
CheckResult CheckExpression(std::string_view env_name, std::string_view expression);

// signatures.cc: the result type of `name` applied to `args` (receiver first when
// `receiver`), or null when the table does not know it.
TypePtr ResultType(std::string_view name, bool receiver, const std::vector<TypePtr>& args);

}  // namespace haru::cel
