// optional.of / none / ofNonZeroValue and the members hasValue, value, orValue, or.

#include "cel/library/standard.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value Of(const Value* a, EvalContext&) { return Value::OptionalOf(a[0]); }
Value None(const Value*, EvalContext&) { return Value::OptionalNone(); }

bool IsZeroValue(const Value& v) {
  switch (v.kind()) {
    case K::kNull: return true;
    case K::kBool: return !v.bool_value();
    case K::kInt: return v.int_value() == 0;
    case K::kUint: return v.uint_value() == 0;
    case K::kDouble: return v.double_value() == 0;
    case K::kString: case K::kBytes: return v.string_value().empty();
    case K::kList: return v.list().size() == 0;
    case K::kMap: return v.map().size() == 0;
    case K::kDuration: case K::kTimestamp: return v.seconds() == 0 && v.nanos() == 0;
    case K::kOptional: return !v.optional_has_value();
    default: return false;
  }
}

Value OfNonZero(const Value* a, EvalContext&) {
  return IsZeroValue(a[0]) ? Value::OptionalNone() : Value::OptionalOf(a[0]);
}
Value HasValue(const Value* a, EvalContext&) { return Value::Bool(a[0].optional_has_value()); }
Value GetValue(const Value* a, EvalContext&) {
  if (!a[0].optional_has_value()) return Value::Error("optional.none() dereference");
  return a[0].optional_value();
}
Value OrValue(const Value* a, EvalContext&) {
  return a[0].optional_has_value() ? a[0].optional_value() : a[1];
}
Value Or(const Value* a, EvalContext&) { return a[0].optional_has_value() ? a[0] : a[1]; }

}  // namespace

void RegisterOptionalFunctions(FunctionRegistry& r) {
  r.AddGlobal("optional.of", "optional_of", {kAnyKind}, Of);
  r.AddGlobal("optional.none", "optional_none", {}, None);
  r.AddGlobal("optional.ofNonZeroValue", "optional_ofNonZeroValue", {kAnyKind}, OfNonZero);
  r.AddMember("hasValue", "optional_hasValue", {K::kOptional}, HasValue);
  r.AddMember("value", "optional_value", {K::kOptional}, GetValue);
  r.AddMember("orValue", "optional_orValue_value", {K::kOptional, kAnyKind}, OrValue);
  r.AddMember("or", "optional_or_optional", {K::kOptional, K::kOptional}, Or);
}

}  // namespace haru::cel
