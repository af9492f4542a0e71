// Kubernetes lists library: isSorted, sum, min, max, indexOf, lastIndexOf on lists of
// comparable values (int, uint, double, string, bytes, bool, duration, timestamp).

#include <optional>

#include "cel/common/equality.h"
#include "cel/interpreter/steps.h"
#include "cel/library/k8s.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value Unorderable(const Value& a, const Value& b) {
  Value args[2] = {a, b};
  return NoMatchingOverload("_<_", args, 2);
}

Value IsSorted(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  for (size_t i = 1; i < l.size(); ++i) {
    Value x = l.Get(i - 1), y = l.Get(i);
    std::optional<int> c = CompareValues(x, y);
    if (!c) {
      if (!IsOrderablePair(x, y)) return Unorderable(x, y);
      continue;  // NaN
    }
    if (*c > 0) return Value::Bool(false);
  }
  return Value::Bool(true);
}

// Sums with the standard `+` semantics of the element kind (overflow is an error).
Value Sum(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  if (l.size() == 0) return Value::Int(0);
  Value acc = l.Get(0);
  for (size_t i = 1; i < l.size(); ++i) {
    Value x = l.Get(i);
    if (x.kind() != acc.kind()) return Unorderable(acc, x);
    switch (x.kind()) {
      case K::kInt: {
        int64_t r;
        if (__builtin_add_overflow(acc.int_value(), x.int_value(), &r)) return Value::Error("integer overflow");
        acc = Value::Int(r);
        break;
      }
      case K::kUint: {
        uint64_t r;
        if (__builtin_add_overflow(acc.uint_value(), x.uint_value(), &r)) return Value::Error("integer overflow");
        acc = Value::Uint(r);
        break;
      }
      case K::kDouble: acc = Value::Double(acc.double_value() + x.double_value()); break;
      case K::kDuration: {
        int64_t s = acc.seconds() + x.seconds(), n = int64_t{acc.nanos()} + x.nanos();
        s += n / 1000000000, n %= 1000000000;
        if (s > 0 && n < 0) s -= 1, n += 1000000000;
        if (s < 0 && n > 0) s += 1, n -= 1000000000;
        acc = Value::Duration(s, static_cast<int32_t>(n));
        break;
      }
      default: {
        Value args[1] = {a[0]};
        return NoMatchingOverload("sum", args, 1);
      }
    }
  }
  return acc;
}

template <int kSign>
Value Extreme(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  const char* name = kSign > 0 ? "max" : "min";
  if (l.size() == 0) return Value::Error(std::string(name) + " called on empty list");
  Value best = l.Get(0);
  for (size_t i = 1; i < l.size(); ++i) {
    Value x = l.Get(i);
    std::optional<int> c = CompareValues(x, best);
    if (!c && !IsOrderablePair(x, best)) return Unorderable(x, best);
    if (c && *c * kSign > 0) best = x;
  }
  return best;
}

Value IndexOf(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  for (size_t i = 0; i < l.size(); ++i) {
    if (ValueEquals(l.Get(i), a[1])) return Value::Int(static_cast<int64_t>(i));
  }
  return Value::Int(-1);
}

Value LastIndexOf(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  for (size_t i = l.size(); i > 0; --i) {
    if (ValueEquals(l.Get(i - 1), a[1])) return Value::Int(static_cast<int64_t>(i - 1));
  }
  return Value::Int(-1);
}

}  // namespace

void RegisterK8sLists(FunctionRegistry& r) {
  r.AddMember("isSorted", "list_is_sorted", {K::kList}, IsSorted);
  r.AddMember("sum", "list_sum", {K::kList}, Sum);
  r.AddMember("min", "list_min", {K::kList}, Extreme<-1>);
  r.AddMember("max", "list_max", {K::kList}, Extreme<1>);
  r.AddMember("indexOf", "list_index_of", {K::kList, kAnyKind}, IndexOf);
  r.AddMember("lastIndexOf", "list_last_index_of", {K::kList, kAnyKind}, LastIndexOf);
}

}  // namespace haru::cel
