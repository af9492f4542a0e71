#pragma once
// Function overloads by name. The planner resolves a call to the overloads that match its
// name, style and arity once; at run time only the argument kinds are compared.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cel/common/value.h"

namespace haru::cel {

struct EvalContext;

// A parameter that accepts any kind (CEL's `dyn`).
inline constexpr ValueKind kAnyKind = static_cast<ValueKind>(0xff);

// Arguments arrive already evaluated and free of errors and unknowns (functions are strict).
using FunctionImpl = Value (*)(const Value* args, EvalContext& ctx);

struct FunctionOverload {
  std::string id;  // upstream's overload id, e.g. "add_int64"
  bool receiver_style = false;
  std::vector<ValueKind> params;  // including the receiver first
  FunctionImpl impl = nullptr;
  // For kOpaque parameters, the library type name they require ("kubernetes.Quantity");
  // empty when no parameter is a library type. Lets quantity and semver share compareTo.
  std::vector<std::string> opaque_types;
  // Pure on constant arguments and cheap to keep: the planner evaluates calls with constant
  // arguments once (quantity('10Gi'), ip('10.0.0.1')).
  bool foldable = false;

  bool Matches(const Value* args) const {
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i] != kAnyKind && params[i] != args[i].kind()) return false;
    }
    return opaque_types.empty() || MatchesOpaqueTypes(args);
  }
  bool MatchesOpaqueTypes(const Value* args) const;
};

class FunctionRegistry {
 public:
  void Add(std::string_view name, FunctionOverload overload);
  // Registers `name(params...)` and, when `also_receiver`, `params[0].name(params[1..])`.
  void AddGlobal(std::string_view name, std::string id, std::vector<ValueKind> params,
                 FunctionImpl impl);
  void AddMember(std::string_view name, std::string id, std::vector<ValueKind> params,
                 FunctionImpl impl);
  void AddBoth(std::string_view name, std::string id, std::vector<ValueKind> params,
               FunctionImpl impl);

  // A library-type overload: `types[i]` names the opaque type of parameter i ("" for none).
  void AddTyped(std::string_view name, std::string id, bool receiver_style,
                std::vector<ValueKind> params, std::vector<std::string> types, FunctionImpl impl,
                bool foldable = false);

  // The overloads of `name` with this style and arity (arity counts the receiver).
  std::vector<const FunctionOverload*> Candidates(std::string_view name, bool receiver_style,
                                                  size_t arity) const;
  bool Has(std::string_view name) const { return functions_.find(name) != functions_.end(); }

 private:
  std::map<std::string, std::vector<FunctionOverload>, std::less<>> functions_;
};

}  // namespace haru::cel
