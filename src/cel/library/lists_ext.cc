// The lists extension (cel-go ext.Lists, version 2): lists.range, slice, flatten, distinct,
// sort, the sortBy macro's helper, first and last.

#include <algorithm>
#include <optional>
#include <vector>

#include "cel/common/containers.h"
#include "cel/common/equality.h"
#include "cel/interpreter/eval_context.h"
#include "cel/library/extensions.h"

namespace haru::cel {
namespace {

using K = ValueKind;

std::vector<Value> Elements(const ListValue& l) {
  std::vector<Value> out;
  out.reserve(l.size());
  for (size_t i = 0; i < l.size(); ++i) out.push_back(l.Get(i));
  return out;
}

Value MakeList(std::vector<Value> v) { return Value::List(new ValueList(std::move(v))); }

Value Range(const Value* a, EvalContext&) {
  int64_t n = a[0].int_value();
  if (n > 1000000) return Value::Error("lists.range: size " + std::to_string(n) + " too large");
  std::vector<Value> out;
  for (int64_t i = 0; i < n; ++i) out.push_back(Value::Int(i));
  return MakeList(std::move(out));
}

Value Slice(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  int64_t start = a[1].int_value(), end = a[2].int_value();
  if (start < 0 || end < 0) {
    return Value::Error("cannot slice(" + std::to_string(start) + ", " + std::to_string(end) +
                        "), negative indexes not supported");
  }
  if (start > end) {
    return Value::Error("cannot slice(" + std::to_string(start) + ", " + std::to_string(end) +
                        "), start index must be less than or equal to end index");
  }
  if (end > static_cast<int64_t>(l.size())) {
    return Value::Error("cannot slice(" + std::to_string(start) + ", " + std::to_string(end) +
                        "), list is length " + std::to_string(l.size()));
  }
  std::vector<Value> out;
  for (int64_t i = start; i < end; ++i) out.push_back(l.Get(static_cast<size_t>(i)));
  return MakeList(std::move(out));
}

void FlattenInto(const ListValue& l, int64_t depth, std::vector<Value>* out) {
  for (size_t i = 0; i < l.size(); ++i) {
    Value e = l.Get(i);
    if (depth > 0 && e.Is(K::kList)) {
      FlattenInto(e.list(), depth - 1, out);
    } else {
      out->push_back(std::move(e));
    }
  }
}

Value Flatten(const Value* a, EvalContext&) {
  std::vector<Value> out;
  FlattenInto(a[0].list(), 1, &out);
  return MakeList(std::move(out));
}

Value FlattenDepth(const Value* a, EvalContext&) {
  int64_t depth = a[1].int_value();
  if (depth < 0) return Value::Error("level must be non-negative");
  std::vector<Value> out;
  FlattenInto(a[0].list(), depth, &out);
  return MakeList(std::move(out));
}

Value Distinct(const Value* a, EvalContext& ctx) {
  const ListValue& l = a[0].list();
  // Up to n² / 2 comparisons: charged before the work, one unit per 10.
  if (!ctx.Charge(static_cast<int64_t>(l.size() * l.size() / 20))) {
    return Value::Error(kCostLimitExceeded);
  }
  std::vector<Value> out;
  for (size_t i = 0; i < l.size(); ++i) {
    Value e = l.Get(i);
    bool seen = false;
    for (const Value& o : out) {
      if (ValueEquals(o, e)) {
        seen = true;
        break;
      }
    }
    if (!seen) out.push_back(std::move(e));
  }
  return MakeList(std::move(out));
}

bool IsSortable(const Value& v) {
  switch (v.kind()) {
    case K::kBool: case K::kInt: case K::kUint: case K::kDouble: case K::kString:
    case K::kBytes: case K::kDuration: case K::kTimestamp:
      return true;
    default:
      return false;
  }
}

// Sorts `order` (positions into keys) stably by keys; an error when keys are of mixed or
// unorderable kinds.
bool SortPositions(const std::vector<Value>& keys, std::vector<size_t>* order, Value* error) {
  for (const Value& k : keys) {
    if (!IsSortable(k) || k.kind() != keys[0].kind()) {
      *error = Value::Error("list elements must have the same type and be comparable, found " +
                            std::string(k.TypeName()));
      return false;
    }
  }
  order->resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) (*order)[i] = i;
  std::stable_sort(order->begin(), order->end(), [&](size_t x, size_t y) {
    std::optional<int> c = CompareValues(keys[x], keys[y]);
    return c && *c < 0;
  });
  return true;
}

Value Sort(const Value* a, EvalContext&) {
  std::vector<Value> items = Elements(a[0].list());
  std::vector<size_t> order;
  Value error;
  if (!SortPositions(items, &order, &error)) return error;
  std::vector<Value> out;
  out.reserve(items.size());
  for (size_t i : order) out.push_back(items[i]);
  return MakeList(std::move(out));
}

// `@sortByAssociatedKeys(list, keys)`: what the sortBy macro expands into.
Value SortByKeys(const Value* a, EvalContext&) {
  std::vector<Value> items = Elements(a[0].list());
  std::vector<Value> keys = Elements(a[1].list());
  if (items.size() != keys.size()) return Value::Error("sortBy: keys and list differ in size");
  std::vector<size_t> order;
  Value error;
  if (!SortPositions(keys, &order, &error)) return error;
  std::vector<Value> out;
  out.reserve(items.size());
  for (size_t i : order) out.push_back(items[i]);
  return MakeList(std::move(out));
}

Value First(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  return l.size() == 0 ? Value::OptionalNone() : Value::OptionalOf(l.Get(0));
}

Value Last(const Value* a, EvalContext&) {
  const ListValue& l = a[0].list();
  return l.size() == 0 ? Value::OptionalNone() : Value::OptionalOf(l.Get(l.size() - 1));
}

}  // namespace

void RegisterListExtensions(FunctionRegistry& r) {
  r.AddGlobal("lists.range", "lists_range", {K::kInt}, Range);
  r.AddMember("slice", "list_slice", {K::kList, K::kInt, K::kInt}, Slice);
  r.AddMember("flatten", "list_flatten", {K::kList}, Flatten);
  r.AddMember("flatten", "list_flatten_int", {K::kList, K::kInt}, FlattenDepth);
  r.AddMember("distinct", "list_distinct", {K::kList}, Distinct);
  r.AddMember("sort", "list_sort", {K::kList}, Sort);
  r.AddGlobal("@sortByAssociatedKeys", "list_sort_by_associated_keys", {K::kList, K::kList}, SortByKeys);
  r.AddMember("first", "list_first", {K::kList}, First);
  r.AddMember("last", "list_last", {K::kList}, Last);
}

}  // namespace haru::cel
