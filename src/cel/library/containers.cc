// size() of lists and maps.

#include "cel/library/standard.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value ListSize(const Value* a, EvalContext&) { return Value::Int(static_cast<int64_t>(a[0].list().size())); }
Value MapSize(const Value* a, EvalContext&) { return Value::Int(static_cast<int64_t>(a[0].map().size())); }

}  // namespace

void RegisterContainerFunctions(FunctionRegistry& r) {
  r.AddBoth("size", "size_list", {K::kList}, ListSize);
  r.AddBoth("size", "size_map", {K::kMap}, MapSize);
}

}  // namespace haru::cel
