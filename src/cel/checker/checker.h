#pragma once
// The CEL type checker, following cel-go's checker: resolves identifiers against declared
// variables (container-qualified), selections on maps and object types, calls by overload
// resolution over all matching overloads with type-parameter unification, list/map literals,
// comprehensions and optional syntax. The result is a CheckedAst: the (rewritten) tree, a type
// and a reference per node, and issues with source offsets, rendered like the parser's.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cel/ast/ast.h"
#include "cel/checker/decls.h"
#include "cel/checker/types.h"
#include "cel/common/source.h"

namespace haru::cel {

// What a node refers to: a variable (name) or the overloads a call may take.
struct Reference {
  std::string name;
  std::vector<std::string> overload_ids;
};

struct CheckedAst {
  // The checked tree: qualified names are rewritten to identifiers (`a.b.c` declared as one
  // variable), namespaced calls lose their receiver (`math.greatest(...)`).
  ExprPtr expr;
  std::map<int64_t, TypePtr> types;
  std::map<int64_t, Reference> references;
  std::vector<Issue> issues;  // sorted by offset

  bool ok() const { return issues.empty(); }
  TypePtr type() const;  // the root's type, dyn when unknown
};

// Checks a parsed (macro-expanded) expression; takes the tree since checking rewrites it.
CheckedAst Check(ExprPtr expr, const Declarations& decls);

// ---- Kubernetes environments (`haru cel check --env`) ----

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

struct CheckResult {
  std::string type;        // the result type, when ok()
  uint64_t max_cost = UINT64_MAX;  // the estimated worst-case cost, where the env limits it
  std::string error_text;  // upstream's "ERROR: <input>:1:5: ..." rendering otherwise
  bool ok() const { return error_text.empty(); }
};

// Parses and checks `expression` in the named environment, with the standard, extension
// and Kubernetes libraries and the environment's limits (cel/runtime/kubernetes_env.cc).
CheckResult CheckExpression(std::string_view env_name, std::string_view expression);

}  // namespace haru::cel
