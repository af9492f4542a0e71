#include "cel/runtime/function_registry.h"

namespace haru::cel {

void FunctionRegistry::Add(std::string_view name, FunctionOverload overload) {
  auto it = functions_.find(name);
  if (it == functions_.end()) it = functions_.emplace(std::string(name), std::vector<FunctionOverload>{}).first;
  it->second.push_back(std::move(overload));
}

void FunctionRegistry::AddGlobal(std::string_view name, std::string id,
                                 std::vector<ValueKind> params, FunctionImpl impl) {
  Add(name, FunctionOverload{std::move(id), false, std::move(params), impl});
}

void FunctionRegistry::AddMember(std::string_view name, std::string id,
                                 std::vector<ValueKind> params, FunctionImpl impl) {
  Add(name, FunctionOverload{std::move(id), true, std::move(params), impl});
}

void FunctionRegistry::AddBoth(std::string_view name, std::string id,
                               std::vector<ValueKind> params, FunctionImpl impl) {
  AddGlobal(name, id, params, impl);
  AddMember(name, id, std::move(params), impl);
}

std::vector<const FunctionOverload*> FunctionRegistry::Candidates(std::string_view name,
                                                                  bool receiver_style,
                                                                  size_t arity) const {
  std::vector<const FunctionOverload*> out;
  auto it = functions_.find(name);
  if (it == functions_.end()) return out;
  for (const FunctionOverload& o : it->second) {
    if (o.receiver_style == receiver_style && o.params.size() == arity) out.push_back(&o);
  }
  return out;
}

}  // namespace haru::cel
