// Type conversions: int(), uint(), double(), string(), bytes(), bool(), type(), dyn(),
// duration(), timestamp().

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "cel/common/format.h"
#include "cel/common/time.h"
#include "cel/library/standard.h"
#include "cel/library/utf8.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value RangeError(std::string_view what) { return Value::Error(std::string(what) + " range error"); }

Value Identity(const Value* a, EvalContext&) { return a[0]; }

Value IntFromUint(const Value* a, EvalContext&) {
  if (a[0].uint_value() > static_cast<uint64_t>(INT64_MAX)) return RangeError("int");
  return Value::Int(static_cast<int64_t>(a[0].uint_value()));
}
Value IntFromDouble(const Value* a, EvalContext&) {
  double d = a[0].double_value();
  // The open range excludes both ends: 2^63 is not representable and -2^63 is treated as
  // out of range by upstream's conformance tests.
  if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) return RangeError("int");
  return Value::Int(static_cast<int64_t>(d));
}
Value IntFromString(const Value* a, EvalContext&) {
  std::string_view s = a[0].string_value();
  int64_t v;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return Value::Error("type conversion error from 'string' to 'int'");
  }
  return Value::Int(v);
}
Value IntFromTimestamp(const Value* a, EvalContext&) { return Value::Int(a[0].seconds()); }

Value UintFromInt(const Value* a, EvalContext&) {
  if (a[0].int_value() < 0) return RangeError("uint");
  return Value::Uint(static_cast<uint64_t>(a[0].int_value()));
}
Value UintFromDouble(const Value* a, EvalContext&) {
  double d = a[0].double_value();
  if (!(d > -1.0 && d < 18446744073709551616.0)) return RangeError("uint");
  return Value::Uint(static_cast<uint64_t>(d));
}
Value UintFromString(const Value* a, EvalContext&) {
  std::string_view s = a[0].string_value();
  uint64_t v;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return Value::Error("type conversion error from 'string' to 'uint'");
  }
  return Value::Uint(v);
}

Value DoubleFromInt(const Value* a, EvalContext&) { return Value::Double(static_cast<double>(a[0].int_value())); }
Value DoubleFromUint(const Value* a, EvalContext&) { return Value::Double(static_cast<double>(a[0].uint_value())); }
Value DoubleFromString(const Value* a, EvalContext&) {
  std::string s(a[0].string_value());
  if (s == "NaN") return Value::Double(std::nan(""));
  if (s == "Infinity" || s == "+Infinity" || s == "inf" || s == "+inf") return Value::Double(INFINITY);
  if (s == "-Infinity" || s == "-inf") return Value::Double(-INFINITY);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || std::isnan(d)) {
    return Value::Error("type conversion error from 'string' to 'double'");
  }
  return Value::Double(d);
}

Value StringFromInt(const Value* a, EvalContext&) { return Value::String(std::to_string(a[0].int_value())); }
Value StringFromUint(const Value* a, EvalContext&) { return Value::String(std::to_string(a[0].uint_value())); }
Value StringFromDouble(const Value* a, EvalContext&) { return Value::String(FormatDouble(a[0].double_value())); }
Value StringFromBool(const Value* a, EvalContext&) { return Value::StringView(a[0].bool_value() ? "true" : "false"); }
Value StringFromBytes(const Value* a, EvalContext&) {
  if (!IsValidUtf8(a[0].string_value())) return Value::Error("invalid UTF-8 in bytes, cannot convert to string");
  Value v = a[0];
  return a[0].IsOwned() ? Value::String(v.string_value()) : Value::StringView(v.string_value());
}
Value StringFromDuration(const Value* a, EvalContext&) {
  return Value::String(FormatDuration(a[0].seconds(), a[0].nanos()));
}
Value StringFromTimestamp(const Value* a, EvalContext&) {
  return Value::String(FormatTimestamp(a[0].seconds(), a[0].nanos()));
}
Value BytesFromString(const Value* a, EvalContext&) {
  return a[0].IsOwned() ? Value::Bytes(a[0].string_value()) : Value::BytesView(a[0].string_value());
}

Value BoolFromString(const Value* a, EvalContext&) {
  std::string_view s = a[0].string_value();
  if (s == "true" || s == "TRUE" || s == "True" || s == "t" || s == "1") return Value::Bool(true);
  if (s == "false" || s == "FALSE" || s == "False" || s == "f" || s == "0") return Value::Bool(false);
  return Value::Error("Type conversion error from 'string' to 'bool'");
}

Value TypeOf(const Value* a, EvalContext&) {
  if (a[0].Is(K::kOpaque)) return Value::Type(a[0].TypeName());
  return Value::TypeView(a[0].TypeName());  // KindName strings are static
}

Value DurationFromString(const Value* a, EvalContext&) {
  auto d = ParseDuration(a[0].string_value());
  if (!d) return Value::Error("invalid duration: '" + std::string(a[0].string_value()) + "'");
  if (!DurationInRange(d->seconds, d->nanos)) return Value::Error("duration out of range");
  return Value::Duration(d->seconds, d->nanos);
}
Value TimestampFromString(const Value* a, EvalContext&) {
  auto t = ParseTimestamp(a[0].string_value());
  if (!t) return Value::Error("invalid timestamp: '" + std::string(a[0].string_value()) + "'");
  if (!TimestampInRange(t->seconds)) return Value::Error("timestamp out of range");
  return Value::Timestamp(t->seconds, t->nanos);
}
Value TimestampFromInt(const Value* a, EvalContext&) {
  if (!TimestampInRange(a[0].int_value())) return Value::Error("timestamp out of range");
  return Value::Timestamp(a[0].int_value(), 0);
}

}  // namespace

void RegisterConversionFunctions(FunctionRegistry& r) {
  r.AddGlobal("int", "int64_to_int64", {K::kInt}, Identity);
  r.AddGlobal("int", "uint64_to_int64", {K::kUint}, IntFromUint);
  r.AddGlobal("int", "double_to_int64", {K::kDouble}, IntFromDouble);
  r.AddGlobal("int", "string_to_int64", {K::kString}, IntFromString);
  r.AddGlobal("int", "timestamp_to_int64", {K::kTimestamp}, IntFromTimestamp);
  r.AddGlobal("uint", "uint64_to_uint64", {K::kUint}, Identity);
  r.AddGlobal("uint", "int64_to_uint64", {K::kInt}, UintFromInt);
  r.AddGlobal("uint", "double_to_uint64", {K::kDouble}, UintFromDouble);
  r.AddGlobal("uint", "string_to_uint64", {K::kString}, UintFromString);
  r.AddGlobal("double", "double_to_double", {K::kDouble}, Identity);
  r.AddGlobal("double", "int64_to_double", {K::kInt}, DoubleFromInt);
  r.AddGlobal("double", "uint64_to_double", {K::kUint}, DoubleFromUint);
  r.AddGlobal("double", "string_to_double", {K::kString}, DoubleFromString);
  r.AddGlobal("string", "string_to_string", {K::kString}, Identity);
  r.AddGlobal("string", "int64_to_string", {K::kInt}, StringFromInt);
  r.AddGlobal("string", "uint64_to_string", {K::kUint}, StringFromUint);
  r.AddGlobal("string", "double_to_string", {K::kDouble}, StringFromDouble);
  r.AddGlobal("string", "bool_to_string", {K::kBool}, StringFromBool);
  r.AddGlobal("string", "bytes_to_string", {K::kBytes}, StringFromBytes);
  r.AddGlobal("string", "duration_to_string", {K::kDuration}, StringFromDuration);
  r.AddGlobal("string", "timestamp_to_string", {K::kTimestamp}, StringFromTimestamp);
  r.AddGlobal("bytes", "bytes_to_bytes", {K::kBytes}, Identity);
  r.AddGlobal("bytes", "string_to_bytes", {K::kString}, BytesFromString);
  r.AddGlobal("bool", "bool_to_bool", {K::kBool}, Identity);
  r.AddGlobal("bool", "string_to_bool", {K::kString}, BoolFromString);
  r.AddGlobal("type", "type", {kAnyKind}, TypeOf);
  r.AddGlobal("dyn", "to_dyn", {kAnyKind}, Identity);
  r.AddGlobal("duration", "duration_to_duration", {K::kDuration}, Identity);
  r.AddGlobal("duration", "string_to_duration", {K::kString}, DurationFromString);
  r.AddGlobal("timestamp", "timestamp_to_timestamp", {K::kTimestamp}, Identity);
  r.AddGlobal("timestamp", "string_to_timestamp", {K::kString}, TimestampFromString);
  r.AddGlobal("timestamp", "int64_to_timestamp", {K::kInt}, TimestampFromInt);
}

}  // namespace haru::cel
