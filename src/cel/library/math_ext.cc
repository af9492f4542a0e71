// The math extension (cel-go ext.Math, version 2): math.greatest/least over numbers of mixed
// kinds, rounding, abs/sign, the IEEE predicates, bit operations and sqrt.

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cel/common/equality.h"
#include "cel/interpreter/steps.h"
#include "cel/library/extensions.h"

namespace haru::cel {
namespace {

using K = ValueKind;

// greatest/least take 1..kMaxArgs numbers, or one list of numbers.
constexpr size_t kMaxArgs = 12;

bool IsNumber(const Value& v) { return v.Is(K::kInt) || v.Is(K::kUint) || v.Is(K::kDouble); }

// Keeps the first of equal values, so math.greatest(1, 1u) is the int 1, as upstream.
template <int kSign>
Value Extreme(const char* name, const Value* args, size_t n) {
  if (n == 0) return Value::Error(std::string(name) + "(list) argument must not be empty");
  const Value* best = nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (!IsNumber(args[i])) return NoMatchingOverload(name, args, n);
    if (best == nullptr) {
      best = &args[i];
      continue;
    }
    std::optional<int> c = CompareValues(args[i], *best);
    if (c && *c * kSign > 0) best = &args[i];
  }
  return *best;
}

template <int kSign, size_t kN>
Value ExtremeArgs(const Value* a, EvalContext&) {
  const char* name = kSign > 0 ? "math.greatest" : "math.least";
  if (kN == 1 && a[0].Is(K::kList)) {
    const ListValue& l = a[0].list();
    std::vector<Value> items;
    items.reserve(l.size());
    for (size_t i = 0; i < l.size(); ++i) items.push_back(l.Get(i));
    return Extreme<kSign>(name, items.data(), items.size());
  }
  return Extreme<kSign>(name, a, kN);
}

template <int kSign, size_t... kN>
void RegisterExtremes(FunctionRegistry& r, const char* name, std::index_sequence<kN...>) {
  (r.AddGlobal(name, std::string(name) + "_" + std::to_string(kN + 1),
               std::vector<ValueKind>(kN + 1, kAnyKind), ExtremeArgs<kSign, kN + 1>),
   ...);
}

Value Ceil(const Value* a, EvalContext&) { return Value::Double(std::ceil(a[0].double_value())); }
Value Floor(const Value* a, EvalContext&) { return Value::Double(std::floor(a[0].double_value())); }
// Half away from zero, like Go's math.Round.
Value Round(const Value* a, EvalContext&) { return Value::Double(std::round(a[0].double_value())); }
Value Trunc(const Value* a, EvalContext&) { return Value::Double(std::trunc(a[0].double_value())); }

Value AbsInt(const Value* a, EvalContext&) {
  int64_t i = a[0].int_value();
  if (i == INT64_MIN) return Value::Error("integer overflow");
  return Value::Int(i < 0 ? -i : i);
}
Value AbsUint(const Value* a, EvalContext&) { return a[0]; }
Value AbsDouble(const Value* a, EvalContext&) { return Value::Double(std::fabs(a[0].double_value())); }

Value SignInt(const Value* a, EvalContext&) {
  int64_t i = a[0].int_value();
  return Value::Int(i > 0 ? 1 : i < 0 ? -1 : 0);
}
Value SignUint(const Value* a, EvalContext&) { return Value::Uint(a[0].uint_value() > 0 ? 1 : 0); }
Value SignDouble(const Value* a, EvalContext&) {
  double d = a[0].double_value();
  if (std::isnan(d)) return a[0];
  return Value::Double(d > 0 ? 1.0 : d < 0 ? -1.0 : 0.0);
}

Value IsInf(const Value* a, EvalContext&) { return Value::Bool(std::isinf(a[0].double_value())); }
Value IsNaN(const Value* a, EvalContext&) { return Value::Bool(std::isnan(a[0].double_value())); }
Value IsFinite(const Value* a, EvalContext&) { return Value::Bool(std::isfinite(a[0].double_value())); }

Value AndInt(const Value* a, EvalContext&) { return Value::Int(a[0].int_value() & a[1].int_value()); }
Value AndUint(const Value* a, EvalContext&) { return Value::Uint(a[0].uint_value() & a[1].uint_value()); }
Value OrInt(const Value* a, EvalContext&) { return Value::Int(a[0].int_value() | a[1].int_value()); }
Value OrUint(const Value* a, EvalContext&) { return Value::Uint(a[0].uint_value() | a[1].uint_value()); }
Value XorInt(const Value* a, EvalContext&) { return Value::Int(a[0].int_value() ^ a[1].int_value()); }
Value XorUint(const Value* a, EvalContext&) { return Value::Uint(a[0].uint_value() ^ a[1].uint_value()); }
Value NotInt(const Value* a, EvalContext&) { return Value::Int(~a[0].int_value()); }
Value NotUint(const Value* a, EvalContext&) { return Value::Uint(~a[0].uint_value()); }

Value NegativeShift(int64_t n) {
  return Value::Error("math.bitShift: negative offset: " + std::to_string(n));
}

// Shifts of 64 bits or more yield 0 (Go semantics); right shifts of ints are logical, as
// upstream defines them on the bit pattern.
Value ShiftLeftInt(const Value* a, EvalContext&) {
  int64_t n = a[1].int_value();
  if (n < 0) return NegativeShift(n);
  if (n >= 64) return Value::Int(0);
  return Value::Int(static_cast<int64_t>(static_cast<uint64_t>(a[0].int_value()) << n));
}
Value ShiftLeftUint(const Value* a, EvalContext&) {
  int64_t n = a[1].int_value();
  if (n < 0) return NegativeShift(n);
  return Value::Uint(n >= 64 ? 0 : a[0].uint_value() << n);
}
Value ShiftRightInt(const Value* a, EvalContext&) {
  int64_t n = a[1].int_value();
  if (n < 0) return NegativeShift(n);
  if (n >= 64) return Value::Int(0);
  return Value::Int(static_cast<int64_t>(static_cast<uint64_t>(a[0].int_value()) >> n));
}
Value ShiftRightUint(const Value* a, EvalContext&) {
  int64_t n = a[1].int_value();
  if (n < 0) return NegativeShift(n);
  return Value::Uint(n >= 64 ? 0 : a[0].uint_value() >> n);
}

Value SqrtInt(const Value* a, EvalContext&) { return Value::Double(std::sqrt(static_cast<double>(a[0].int_value()))); }
Value SqrtUint(const Value* a, EvalContext&) { return Value::Double(std::sqrt(static_cast<double>(a[0].uint_value()))); }
Value SqrtDouble(const Value* a, EvalContext&) { return Value::Double(std::sqrt(a[0].double_value())); }

}  // namespace

void RegisterMathExtensions(FunctionRegistry& r) {
  RegisterExtremes<1>(r, "math.greatest", std::make_index_sequence<kMaxArgs>());
  RegisterExtremes<-1>(r, "math.least", std::make_index_sequence<kMaxArgs>());
  r.AddGlobal("math.ceil", "math_ceil_double", {K::kDouble}, Ceil);
  r.AddGlobal("math.floor", "math_floor_double", {K::kDouble}, Floor);
  r.AddGlobal("math.round", "math_round_double", {K::kDouble}, Round);
  r.AddGlobal("math.trunc", "math_trunc_double", {K::kDouble}, Trunc);
  r.AddGlobal("math.abs", "math_abs_int", {K::kInt}, AbsInt);
  r.AddGlobal("math.abs", "math_abs_uint", {K::kUint}, AbsUint);
  r.AddGlobal("math.abs", "math_abs_double", {K::kDouble}, AbsDouble);
  r.AddGlobal("math.sign", "math_sign_int", {K::kInt}, SignInt);
  r.AddGlobal("math.sign", "math_sign_uint", {K::kUint}, SignUint);
  r.AddGlobal("math.sign", "math_sign_double", {K::kDouble}, SignDouble);
  r.AddGlobal("math.isInf", "math_isInf_double", {K::kDouble}, IsInf);
  r.AddGlobal("math.isNaN", "math_isNaN_double", {K::kDouble}, IsNaN);
  r.AddGlobal("math.isFinite", "math_isFinite_double", {K::kDouble}, IsFinite);
  r.AddGlobal("math.bitAnd", "math_bitAnd_int_int", {K::kInt, K::kInt}, AndInt);
  r.AddGlobal("math.bitAnd", "math_bitAnd_uint_uint", {K::kUint, K::kUint}, AndUint);
  r.AddGlobal("math.bitOr", "math_bitOr_int_int", {K::kInt, K::kInt}, OrInt);
  r.AddGlobal("math.bitOr", "math_bitOr_uint_uint", {K::kUint, K::kUint}, OrUint);
  r.AddGlobal("math.bitXor", "math_bitXor_int_int", {K::kInt, K::kInt}, XorInt);
  r.AddGlobal("math.bitXor", "math_bitXor_uint_uint", {K::kUint, K::kUint}, XorUint);
  r.AddGlobal("math.bitNot", "math_bitNot_int", {K::kInt}, NotInt);
  r.AddGlobal("math.bitNot", "math_bitNot_uint", {K::kUint}, NotUint);
  r.AddGlobal("math.bitShiftLeft", "math_bitShiftLeft_int_int", {K::kInt, K::kInt}, ShiftLeftInt);
  r.AddGlobal("math.bitShiftLeft", "math_bitShiftLeft_uint_int", {K::kUint, K::kInt}, ShiftLeftUint);
  r.AddGlobal("math.bitShiftRight", "math_bitShiftRight_int_int", {K::kInt, K::kInt}, ShiftRightInt);
  r.AddGlobal("math.bitShiftRight", "math_bitShiftRight_uint_int", {K::kUint, K::kInt}, ShiftRightUint);
  r.AddGlobal("math.sqrt", "math_sqrt_int", {K::kInt}, SqrtInt);
  r.AddGlobal("math.sqrt", "math_sqrt_uint", {K::kUint}, SqrtUint);
  r.AddGlobal("math.sqrt", "math_sqrt_double", {K::kDouble}, SqrtDouble);
}

}  // namespace haru::cel
