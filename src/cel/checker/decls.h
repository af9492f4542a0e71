#pragma once
// What the checker knows about names: variables with their types, functions with their
// overloads, and the container that qualifies names. Function declarations come from the
// OverloadSpec tables (decl_table.h), whose signature strings are parsed here.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cel/checker/decl_table.h"
#include "cel/checker/types.h"
#include "common/status.h"

namespace haru::cel {

struct OverloadDecl {
  std::string id;
  bool member = false;              // receiver first in `params`
  std::vector<std::string> type_params;
  std::vector<TypePtr> params;
  TypePtr result;
};

struct FunctionDecl {
  std::string name;
  std::vector<OverloadDecl> overloads;
};

// Parses a type spelling: "int", "list(A)", "map(string, dyn)", "optional_type(int)",
// "google.protobuf.Timestamp", "kubernetes.Quantity". Names in `type_params` are type
// parameters; other unknown dotted or plain names become opaque types.
StatusOr<TypePtr> ParseTypeSpelling(std::string_view text, const std::vector<std::string>& type_params);
// Parses one table row ("<A> (list(A), int) -> A") into an overload.
StatusOr<OverloadDecl> ParseOverload(const OverloadSpec& spec);

class Declarations {
 public:
  // The standard library only.
  static Declarations Standard();
  // Standard, extension and Kubernetes libraries.
  static Declarations Kubernetes();

  void SetContainer(std::string container) { container_ = std::move(container); }
  const std::string& container() const { return container_; }

  void AddVariable(std::string name, TypePtr type) { variables_[std::move(name)] = std::move(type); }
  // Adds overloads to `name`, replacing one with the same id.
  void AddOverload(const std::string& name, OverloadDecl overload);
  Status AddSpecs(std::span<const OverloadSpec> specs);

  const TypePtr* FindVariable(const std::string& name) const;
  const std::map<std::string, TypePtr>& variables() const { return variables_; }
  const FunctionDecl* FindFunction(const std::string& name) const;
  // Names to try for `name` in the container: "a.b.x", "a.x", "x" (only "x" for ".x").
  std::vector<std::string> Candidates(std::string_view name) const;

 private:
  std::string container_;
  std::map<std::string, TypePtr> variables_;
  std::map<std::string, FunctionDecl> functions_;
};

// Built-in type names usable as values: `int` is type(int), `list` type(list(dyn)), ...
TypePtr BuiltinTypeIdent(std::string_view name);

}  // namespace haru::cel
