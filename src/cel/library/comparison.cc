// == != < <= > >= and `in`, with heterogeneous numeric comparison.

#include "cel/common/equality.h"
#include "cel/interpreter/steps.h"
#include "cel/library/standard.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value Equal(const Value* a, EvalContext&) { return Value::Bool(ValueEquals(a[0], a[1])); }
Value NotEqual(const Value* a, EvalContext&) { return Value::Bool(!ValueEquals(a[0], a[1])); }

template <int kOp>  // 0 <, 1 <=, 2 >, 3 >=
Value Relation(const Value* a, EvalContext&) {
  static constexpr const char* kNames[] = {"_<_", "_<=_", "_>_", "_>=_"};
  if (!IsOrderablePair(a[0], a[1])) return NoMatchingOverload(kNames[kOp], a, 2);
  std::optional<int> c = CompareValues(a[0], a[1]);
  if (!c) return Value::Bool(false);  // NaN is unordered
  switch (kOp) {
    case 0: return Value::Bool(*c < 0);
    case 1: return Value::Bool(*c <= 0);
    case 2: return Value::Bool(*c > 0);
    default: return Value::Bool(*c >= 0);
  }
}

Value InList(const Value* a, EvalContext&) {
  const ListValue& l = a[1].list();
  for (size_t i = 0; i < l.size(); ++i) {
    if (ValueEquals(a[0], l.Get(i))) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value InMap(const Value* a, EvalContext&) {
  Value ignored;
  return Value::Bool(a[1].map().Find(a[0], &ignored));
}

}  // namespace

void RegisterComparisonFunctions(FunctionRegistry& r) {
  r.AddGlobal("_==_", "equals", {kAnyKind, kAnyKind}, Equal);
  r.AddGlobal("_!=_", "not_equals", {kAnyKind, kAnyKind}, NotEqual);
  r.AddGlobal("_<_", "less", {kAnyKind, kAnyKind}, Relation<0>);
  r.AddGlobal("_<=_", "less_equals", {kAnyKind, kAnyKind}, Relation<1>);
  r.AddGlobal("_>_", "greater", {kAnyKind, kAnyKind}, Relation<2>);
  r.AddGlobal("_>=_", "greater_equals", {kAnyKind, kAnyKind}, Relation<3>);
  r.AddGlobal("@in", "in_list", {kAnyKind, K::kList}, InList);
  r.AddGlobal("@in", "in_map", {kAnyKind, K::kMap}, InMap);
}

}  // namespace haru::cel
