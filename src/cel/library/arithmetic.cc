// + - * / % and unary minus over int, uint, double, string, bytes, list, duration, timestamp.
// Integer overflow is an error value, as the spec requires.

#include <cmath>

#include "cel/common/containers.h"
#include "cel/common/time.h"
#include "cel/library/standard.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value Overflow() { return Value::Error("integer overflow"); }

Value AddInt(const Value* a, EvalContext&) {
  int64_t r;
  if (__builtin_add_overflow(a[0].int_value(), a[1].int_value(), &r)) return Overflow();
  return Value::Int(r);
}
Value SubInt(const Value* a, EvalContext&) {
  int64_t r;
  if (__builtin_sub_overflow(a[0].int_value(), a[1].int_value(), &r)) return Overflow();
  return Value::Int(r);
}
Value MulInt(const Value* a, EvalContext&) {
  int64_t r;
  if (__builtin_mul_overflow(a[0].int_value(), a[1].int_value(), &r)) return Overflow();
  return Value::Int(r);
}
Value DivInt(const Value* a, EvalContext&) {
  int64_t x = a[0].int_value(), y = a[1].int_value();
  if (y == 0) return Value::Error("division by zero");
  if (x == INT64_MIN && y == -1) return Overflow();
  return Value::Int(x / y);
}
Value ModInt(const Value* a, EvalContext&) {
  int64_t x = a[0].int_value(), y = a[1].int_value();
  if (y == 0) return Value::Error("modulus by zero");
  if (x == INT64_MIN && y == -1) return Overflow();
  return Value::Int(x % y);
}
Value NegInt(const Value* a, EvalContext&) {
  if (a[0].int_value() == INT64_MIN) return Overflow();
  return Value::Int(-a[0].int_value());
}

Value AddUint(const Value* a, EvalContext&) {
  uint64_t r;
  if (__builtin_add_overflow(a[0].uint_value(), a[1].uint_value(), &r)) return Overflow();
  return Value::Uint(r);
}
Value SubUint(const Value* a, EvalContext&) {
  uint64_t r;
  if (__builtin_sub_overflow(a[0].uint_value(), a[1].uint_value(), &r)) return Overflow();
  return Value::Uint(r);
}
Value MulUint(const Value* a, EvalContext&) {
  uint64_t r;
  if (__builtin_mul_overflow(a[0].uint_value(), a[1].uint_value(), &r)) return Overflow();
  return Value::Uint(r);
}
Value DivUint(const Value* a, EvalContext&) {
  if (a[1].uint_value() == 0) return Value::Error("division by zero");
  return Value::Uint(a[0].uint_value() / a[1].uint_value());
}
Value ModUint(const Value* a, EvalContext&) {
  if (a[1].uint_value() == 0) return Value::Error("modulus by zero");
  return Value::Uint(a[0].uint_value() % a[1].uint_value());
}

Value AddDouble(const Value* a, EvalContext&) { return Value::Double(a[0].double_value() + a[1].double_value()); }
Value SubDouble(const Value* a, EvalContext&) { return Value::Double(a[0].double_value() - a[1].double_value()); }
Value MulDouble(const Value* a, EvalContext&) { return Value::Double(a[0].double_value() * a[1].double_value()); }
Value DivDouble(const Value* a, EvalContext&) { return Value::Double(a[0].double_value() / a[1].double_value()); }
Value NegDouble(const Value* a, EvalContext&) { return Value::Double(-a[0].double_value()); }

Value Concat(const Value* a, bool bytes) {
  std::string_view x = a[0].string_value(), y = a[1].string_value();
  if (y.empty()) return a[0];
  if (x.empty()) return a[1];
  std::string s;
  s.reserve(x.size() + y.size());
  s.append(x).append(y);
  return bytes ? Value::Bytes(s) : Value::String(s);
}
Value AddString(const Value* a, EvalContext&) { return Concat(a, false); }
Value AddBytes(const Value* a, EvalContext&) { return Concat(a, true); }

Value AddList(const Value* a, EvalContext&) {
  const ListValue& x = a[0].list();
  const ListValue& y = a[1].list();
  if (y.size() == 0) return a[0];
  if (x.size() == 0) return a[1];
  std::vector<Value> out;
  out.reserve(x.size() + y.size());
  for (size_t i = 0; i < x.size(); ++i) out.push_back(x.Get(i));
  for (size_t i = 0; i < y.size(); ++i) out.push_back(y.Get(i));
  return Value::List(new ValueList(std::move(out)));
}

Value MakeDuration(int64_t s, int64_t n) {
  SecondsNanos r;
  if (!NormalizeDuration(s, n, &r) || !DurationInRange(r.seconds, r.nanos)) {
    return Value::Error("duration out of range");
  }
  return Value::Duration(r.seconds, r.nanos);
}
Value MakeTimestamp(int64_t s, int64_t n) {
  SecondsNanos r;
  if (!NormalizeTimestamp(s, n, &r) || !TimestampInRange(r.seconds)) {
    return Value::Error("timestamp out of range");
  }
  return Value::Timestamp(r.seconds, r.nanos);
}
int64_t Plus(int64_t x, int64_t y, bool* overflow) {
  int64_t r;
  *overflow |= __builtin_add_overflow(x, y, &r);
  return r;
}
int64_t Minus(int64_t x, int64_t y, bool* overflow) {
  int64_t r;
  *overflow |= __builtin_sub_overflow(x, y, &r);
  return r;
}

Value AddDurations(const Value* a, EvalContext&) {
  bool o = false;
  int64_t s = Plus(a[0].seconds(), a[1].seconds(), &o);
  if (o) return Value::Error("duration out of range");
  return MakeDuration(s, int64_t{a[0].nanos()} + a[1].nanos());
}
Value SubDurations(const Value* a, EvalContext&) {
  bool o = false;
  int64_t s = Minus(a[0].seconds(), a[1].seconds(), &o);
  if (o) return Value::Error("duration out of range");
  return MakeDuration(s, int64_t{a[0].nanos()} - a[1].nanos());
}
Value AddTimestampDuration(const Value* a, EvalContext&) {
  bool o = false;
  int64_t s = Plus(a[0].seconds(), a[1].seconds(), &o);
  if (o) return Value::Error("timestamp out of range");
  return MakeTimestamp(s, int64_t{a[0].nanos()} + a[1].nanos());
}
Value AddDurationTimestamp(const Value* a, EvalContext& ctx) {
  Value swapped[2] = {a[1], a[0]};
  return AddTimestampDuration(swapped, ctx);
}
Value SubTimestampDuration(const Value* a, EvalContext&) {
  bool o = false;
  int64_t s = Minus(a[0].seconds(), a[1].seconds(), &o);
  if (o) return Value::Error("timestamp out of range");
  return MakeTimestamp(s, int64_t{a[0].nanos()} - a[1].nanos());
}
Value SubTimestamps(const Value* a, EvalContext&) {
  bool o = false;
  int64_t s = Minus(a[0].seconds(), a[1].seconds(), &o);
  if (o) return Value::Error("duration out of range");
  return MakeDuration(s, int64_t{a[0].nanos()} - a[1].nanos());
}
Value NegDuration(const Value* a, EvalContext&) {
  return Value::Duration(-a[0].seconds(), -a[0].nanos());
}

}  // namespace

void RegisterArithmeticFunctions(FunctionRegistry& r) {
  r.AddGlobal("_+_", "add_int64", {K::kInt, K::kInt}, AddInt);
  r.AddGlobal("_+_", "add_uint64", {K::kUint, K::kUint}, AddUint);
  r.AddGlobal("_+_", "add_double", {K::kDouble, K::kDouble}, AddDouble);
  r.AddGlobal("_+_", "add_string", {K::kString, K::kString}, AddString);
  r.AddGlobal("_+_", "add_bytes", {K::kBytes, K::kBytes}, AddBytes);
  r.AddGlobal("_+_", "add_list", {K::kList, K::kList}, AddList);
  r.AddGlobal("_+_", "add_duration_duration", {K::kDuration, K::kDuration}, AddDurations);
  r.AddGlobal("_+_", "add_timestamp_duration", {K::kTimestamp, K::kDuration}, AddTimestampDuration);
  r.AddGlobal("_+_", "add_duration_timestamp", {K::kDuration, K::kTimestamp}, AddDurationTimestamp);
  r.AddGlobal("_-_", "subtract_int64", {K::kInt, K::kInt}, SubInt);
  r.AddGlobal("_-_", "subtract_uint64", {K::kUint, K::kUint}, SubUint);
  r.AddGlobal("_-_", "subtract_double", {K::kDouble, K::kDouble}, SubDouble);
  r.AddGlobal("_-_", "subtract_duration_duration", {K::kDuration, K::kDuration}, SubDurations);
  r.AddGlobal("_-_", "subtract_timestamp_duration", {K::kTimestamp, K::kDuration}, SubTimestampDuration);
  r.AddGlobal("_-_", "subtract_timestamp_timestamp", {K::kTimestamp, K::kTimestamp}, SubTimestamps);
  r.AddGlobal("_*_", "multiply_int64", {K::kInt, K::kInt}, MulInt);
  r.AddGlobal("_*_", "multiply_uint64", {K::kUint, K::kUint}, MulUint);
  r.AddGlobal("_*_", "multiply_double", {K::kDouble, K::kDouble}, MulDouble);
  r.AddGlobal("_/_", "divide_int64", {K::kInt, K::kInt}, DivInt);
  r.AddGlobal("_/_", "divide_uint64", {K::kUint, K::kUint}, DivUint);
  r.AddGlobal("_/_", "divide_double", {K::kDouble, K::kDouble}, DivDouble);
  r.AddGlobal("_%_", "modulo_int64", {K::kInt, K::kInt}, ModInt);
  r.AddGlobal("_%_", "modulo_uint64", {K::kUint, K::kUint}, ModUint);
  r.AddGlobal("-_", "negate_int64", {K::kInt}, NegInt);
  r.AddGlobal("-_", "negate_double", {K::kDouble}, NegDouble);
  r.AddGlobal("-_", "negate_duration", {K::kDuration}, NegDuration);
}

}  // namespace haru::cel
