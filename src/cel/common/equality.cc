#include "cel/common/equality.h"

#include <cmath>
#include <string_view>

namespace haru::cel {
namespace {

bool IsNumber(ValueKind k) {
  return k == ValueKind::kInt || k == ValueKind::kUint || k == ValueKind::kDouble;
}

// Compares int/uint/double exactly (no rounding through double for large integers).
std::optional<int> CompareNumbers(const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  ValueKind ka = a.kind(), kb = b.kind();
  if (ka == ValueKind::kDouble || kb == ValueKind::kDouble) {
    if (ka == ValueKind::kDouble && kb == ValueKind::kDouble) {
      double x = a.double_value(), y = b.double_value();
      if (std::isnan(x) || std::isnan(y)) return std::nullopt;
      return sign(x, y);
    }
    // One double, one integer: compare the integer against the double's range first.
    bool flip = ka != ValueKind::kDouble;
    const Value& d = flip ? b : a;
    const Value& n = flip ? a : b;
    double x = d.double_value();
    if (std::isnan(x)) return std::nullopt;
    int r;
    if (n.kind() == ValueKind::kInt) {
      if (x >= 9223372036854775808.0) r = 1;
      else if (x < -9223372036854775808.0) r = -1;
      else {
        double t = std::trunc(x);
        int64_t xi = static_cast<int64_t>(t);
        r = xi < n.int_value() ? -1 : xi > n.int_value() ? 1 : (x > t ? 1 : x < t ? -1 : 0);
      }
    } else {
      if (x >= 18446744073709551616.0) r = 1;
      else if (x < 0) r = -1;
      else {
        double t = std::trunc(x);
        uint64_t xu = static_cast<uint64_t>(t);
        r = xu < n.uint_value() ? -1 : xu > n.uint_value() ? 1 : (x > t ? 1 : 0);
      }
    }
    return flip ? -r : r;
  }
  if (ka == kb) {
    return ka == ValueKind::kInt ? sign(a.int_value(), b.int_value())
                                 : sign(a.uint_value(), b.uint_value());
  }
  if (ka == ValueKind::kInt) {
    if (a.int_value() < 0) return -1;
    return sign(static_cast<uint64_t>(a.int_value()), b.uint_value());
  }
  if (b.int_value() < 0) return 1;
  return sign(a.uint_value(), static_cast<uint64_t>(b.int_value()));
}

int CompareSecondsNanos(const Value& a, const Value& b) {
  if (a.seconds() != b.seconds()) return a.seconds() < b.seconds() ? -1 : 1;
  if (a.nanos() != b.nanos()) return a.nanos() < b.nanos() ? -1 : 1;
  return 0;
}

}  // namespace

bool IsOrderablePair(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) return true;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kBool:
    case ValueKind::kString:
    case ValueKind::kBytes:
    case ValueKind::kDuration:
    case ValueKind::kTimestamp:
      return true;
    default:
      return false;
  }
}

double AsDouble(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kInt: return static_cast<double>(v.int_value());
    case ValueKind::kUint: return static_cast<double>(v.uint_value());
    default: return v.double_value();
  }
}

std::optional<int> CompareValues(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) {
    // Ordering against a double converts the integer to double, as upstream does
    // (conformance: dyn(9223372036854775807) >= 9223372036854775808.0 is true).
    if (a.kind() == ValueKind::kDouble || b.kind() == ValueKind::kDouble) {
      double x = AsDouble(a), y = AsDouble(b);
      if (std::isnan(x) || std::isnan(y)) return std::nullopt;
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    return CompareNumbers(a, b);
  }
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case ValueKind::kBool:
      return static_cast<int>(a.bool_value()) - static_cast<int>(b.bool_value());
    case ValueKind::kString:
    case ValueKind::kBytes: {
      int c = a.string_value().compare(b.string_value());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case ValueKind::kDuration:
    case ValueKind::kTimestamp:
      return CompareSecondsNanos(a, b);
    default:
      return std::nullopt;
  }
}

bool ValueEquals(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) {
    auto c = CompareNumbers(a, b);
    return c.has_value() && *c == 0;
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kNull:
      return true;
    case ValueKind::kBool:
      return a.bool_value() == b.bool_value();
    case ValueKind::kString:
    case ValueKind::kBytes:
    case ValueKind::kType:
      return a.string_value() == b.string_value();
    case ValueKind::kDuration:
    case ValueKind::kTimestamp:
      return CompareSecondsNanos(a, b) == 0;
    case ValueKind::kList: {
      const ListValue& x = a.list();
      const ListValue& y = b.list();
      if (&x == &y) return true;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!ValueEquals(x.Get(i), y.Get(i))) return false;
      }
      return true;
    }
    case ValueKind::kMap: {
      const MapValue& x = a.map();
      const MapValue& y = b.map();
      if (&x == &y) return true;
      if (x.size() != y.size()) return false;
      Value other;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!y.Find(x.KeyAt(i), &other) || !ValueEquals(x.ValueAt(i), other)) return false;
      }
      return true;
    }
    case ValueKind::kOptional:
      if (a.optional_has_value() != b.optional_has_value()) return false;
      return !a.optional_has_value() || ValueEquals(a.optional_value(), b.optional_value());
    case ValueKind::kOpaque:
      return a.opaque().TypeName() == b.opaque().TypeName() && a.opaque().Equals(b.opaque());
    default:
      return false;
  }
}

}  // namespace haru::cel
