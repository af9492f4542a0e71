// Kubernetes quantity library: quantity(string), isQuantity(string), and on a quantity
// sign (global), isInteger, asInteger, asApproximateFloat, add, sub (quantity or int), compareTo,
// isGreaterThan, isLessThan. Arithmetic keeps the receiver's format, as upstream's.

#include <cmath>

#include "cel/interpreter/eval_context.h"
#include "cel/library/k8s.h"
#include "cel/library/k8s_value.h"
#include "common/quantity/quantity.h"

namespace haru::cel {
namespace {

using K = ValueKind;
using QuantityValue = LibraryValue<Quantity, kQuantityType>;

Value Make(const Quantity& q) { return QuantityValue::Make(q, q.ToString()); }
const Quantity& Q(const Value& v) { return QuantityValue::Of(v); }

Value Parse(const Value* a, EvalContext&) {
  StatusOr<Quantity> q = ParseQuantity(a[0].string_value());
  if (!q.ok()) return Value::Error("quantity: " + q.status().message());
  return Make(*q);
}

Value IsQuantity(const Value* a, EvalContext&) { return Value::Bool(ParseQuantity(a[0].string_value()).ok()); }

// Integral and within int64, like upstream's AsInt64.
bool AsInt64(const Quantity& q, int64_t* out) {
  double approx = q.AsApproximateDouble();
  if (!(approx > -9.2e18 && approx < 9.2e18)) return false;
  int64_t v = q.Value();
  if (q.Cmp(Quantity::FromInt(v)) != 0) return false;
  *out = v;
  return true;
}

Value Sign(const Value* a, EvalContext&) { return Value::Int(Q(a[0]).Sign()); }

Value IsInteger(const Value* a, EvalContext&) {
  int64_t v;
  return Value::Bool(AsInt64(Q(a[0]), &v));
}

Value AsInteger(const Value* a, EvalContext&) {
  int64_t v;
  if (!AsInt64(Q(a[0]), &v)) return Value::Error("cannot convert value to integer");
  return Value::Int(v);
}

Value AsApproximateFloat(const Value* a, EvalContext&) { return Value::Double(Q(a[0]).AsApproximateDouble()); }

Value Add(const Value* a, EvalContext&) { return Make(Q(a[0]).Add(Q(a[1]))); }
Value AddInt(const Value* a, EvalContext&) { return Make(Q(a[0]).Add(Quantity::FromInt(a[1].int_value()))); }
Value Sub(const Value* a, EvalContext&) { return Make(Q(a[0]).Sub(Q(a[1]))); }
Value SubInt(const Value* a, EvalContext&) { return Make(Q(a[0]).Sub(Quantity::FromInt(a[1].int_value()))); }

Value CompareTo(const Value* a, EvalContext&) { return Value::Int(Q(a[0]).Cmp(Q(a[1]))); }
Value IsGreaterThan(const Value* a, EvalContext&) { return Value::Bool(Q(a[0]).Cmp(Q(a[1])) > 0); }
Value IsLessThan(const Value* a, EvalContext&) { return Value::Bool(Q(a[0]).Cmp(Q(a[1])) < 0); }

}  // namespace

Value QuantityFromString(std::string_view text) {
  Value arg = Value::StringView(text);
  EvalContext unused;
  return Parse(&arg, unused);
}

void RegisterK8sQuantity(FunctionRegistry& r) {
  const std::string q = kQuantityType;
  r.AddTyped("quantity", "string_to_quantity", false, {K::kString}, {}, Parse, /*foldable=*/true);
  r.AddTyped("isQuantity", "is_quantity_string", false, {K::kString}, {}, IsQuantity, true);
  // Upstream declares sign as a global function; the member form stays for unchecked programs.
  r.AddTyped("sign", "quantity_sign", false, {K::kOpaque}, {q}, Sign);
  r.AddTyped("sign", "quantity_sign_member", true, {K::kOpaque}, {q}, Sign);
  r.AddTyped("isInteger", "quantity_is_integer", true, {K::kOpaque}, {q}, IsInteger);
  r.AddTyped("asInteger", "quantity_get_integer", true, {K::kOpaque}, {q}, AsInteger);
  r.AddTyped("asApproximateFloat", "quantity_get_float", true, {K::kOpaque}, {q}, AsApproximateFloat);
  r.AddTyped("add", "quantity_add", true, {K::kOpaque, K::kOpaque}, {q, q}, Add);
  r.AddTyped("add", "quantity_add_int", true, {K::kOpaque, K::kInt}, {q, ""}, AddInt);
  r.AddTyped("sub", "quantity_sub", true, {K::kOpaque, K::kOpaque}, {q, q}, Sub);
  r.AddTyped("sub", "quantity_sub_int", true, {K::kOpaque, K::kInt}, {q, ""}, SubInt);
  r.AddTyped("compareTo", "quantity_compare_to", true, {K::kOpaque, K::kOpaque}, {q, q}, CompareTo);
  r.AddTyped("isGreaterThan", "quantity_is_greater_than", true, {K::kOpaque, K::kOpaque}, {q, q}, IsGreaterThan);
  r.AddTyped("isLessThan", "quantity_is_less_than", true, {K::kOpaque, K::kOpaque}, {q, q}, IsLessThan);
}

}  // namespace haru::cel
