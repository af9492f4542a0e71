// The sets extension (cel-go ext.Sets): sets.contains, sets.equivalent and sets.intersects
// over lists, with CEL's heterogeneous equality (1 == 1u == 1.0).

#include "cel/common/equality.h"
#include "cel/interpreter/eval_context.h"
#include "cel/library/extensions.h"

namespace haru::cel {
namespace {

using K = ValueKind;

bool ListHas(const ListValue& l, const Value& v) {
  for (size_t i = 0; i < l.size(); ++i) {
    if (ValueEquals(l.Get(i), v)) return true;
  }
  return false;
}

bool ContainsAll(const ListValue& set, const ListValue& sub) {
  for (size_t i = 0; i < sub.size(); ++i) {
    if (!ListHas(set, sub.Get(i))) return false;
  }
  return true;
}

// The work is up to |a| * |b| comparisons: charged before it is done (one unit per 10).
bool ChargePairs(const Value* a, EvalContext& ctx) {
  return ctx.Charge(static_cast<int64_t>(a[0].list().size() * a[1].list().size() / 10));
}

Value Contains(const Value* a, EvalContext& ctx) {
  if (!ChargePairs(a, ctx)) return Value::Error(kCostLimitExceeded);
  return Value::Bool(ContainsAll(a[0].list(), a[1].list()));
}

Value Equivalent(const Value* a, EvalContext& ctx) {
  if (!ChargePairs(a, ctx)) return Value::Error(kCostLimitExceeded);
  return Value::Bool(ContainsAll(a[0].list(), a[1].list()) && ContainsAll(a[1].list(), a[0].list()));
}

Value Intersects(const Value* a, EvalContext& ctx) {
  if (!ChargePairs(a, ctx)) return Value::Error(kCostLimitExceeded);
  const ListValue& b = a[1].list();
  for (size_t i = 0; i < b.size(); ++i) {
    if (ListHas(a[0].list(), b.Get(i))) return Value::Bool(true);
  }
  return Value::Bool(false);
}

}  // namespace

void RegisterSetExtensions(FunctionRegistry& r) {
  r.AddGlobal("sets.contains", "list_sets_contains_list", {K::kList, K::kList}, Contains);
  r.AddGlobal("sets.equivalent", "list_sets_equivalent_list", {K::kList, K::kList}, Equivalent);
  r.AddGlobal("sets.intersects", "list_sets_intersects_list", {K::kList, K::kList}, Intersects);
}

}  // namespace haru::cel
