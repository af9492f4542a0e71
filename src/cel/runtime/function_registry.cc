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

void FunctionRegistry::AddTyped(std::string_view name, std::string id, bool receiver_style,
                                std::vector<ValueKind> params, std::vector<std::string> types,
                                FunctionImpl impl, bool foldable) {
  FunctionOverload o{std::move(id), receiver_style, std::move(params), impl, std::move(types), foldable};
  Add(name, std::move(o));
}

bool FunctionOverload::MatchesOpaqueTypes(const Value* args) const {
  for (size_t i = 0; i < opaque_types.size() && i < params.size(); ++i) {
    if (opaque_types[i].empty()) continue;
    if (!args[i].Is(ValueKind::kOpaque)) return false;
    std::string_view t = args[i].opaque().TypeName();
    if (t.size() != opaque_types[i].size() || t != opaque_types[i]) return false;
  }
  return true;
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
