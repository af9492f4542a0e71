#include <cmath>

#include "cel/interpreter/steps.h"

namespace haru::cel {

bool LookupField(const Value& map, std::string_view key, Value* out) {
  bool supported;
  const Value* ref = map.map().FindStringRef(key, &supported);
  if (!supported) return map.map().FindString(key, out);
  if (ref == nullptr) return false;
  // A child of a map that outlives the evaluation (an input, a constant) outlives it too,
  // so it is handed out borrowed: no reference-count traffic on the hot path.
  *out = map.IsOwned() ? *ref : ref->Borrowed();
  return true;
}

namespace {

Value NoSuchField(const Value& operand, std::string_view field) {
  return Value::Error("type '" + std::string(operand.TypeName()) +
                      "' does not support field selection (field '" + std::string(field) + "')");
}

// `operand.field` on a map; messages will join here when the runtime gets object types.
Value SelectField(const Value& operand, std::string_view field, bool test_only) {
  if (operand.Is(ValueKind::kMap)) {
    Value out;
    bool found = LookupField(operand, field, &out);
    if (test_only) return Value::Bool(found);
    if (!found) return Value::Error("no such key: " + std::string(field));
    return out;
  }
  return NoSuchField(operand, field);
}

}  // namespace

Value SelectValue(Value v, std::string_view field, bool test_only) {
  if (v.IsErrorOrUnknown()) return v;
  if (v.Is(ValueKind::kOptional)) {
    // Selecting through an optional continues the optional chain: none stays none, and
    // has() on none is false.
    if (!v.optional_has_value()) return test_only ? Value::Bool(false) : v;
    Value inner = v.optional_value();
    if (test_only) return SelectField(inner, field, true);
    if (inner.Is(ValueKind::kMap)) {
      Value out;
      if (!inner.map().FindString(field, &out)) return Value::OptionalNone();
      return Value::OptionalOf(std::move(out));
    }
    return NoSuchField(inner, field);
  }
  return SelectField(v, field, test_only);
}

namespace {

class SelectStep final : public Step {
 public:
  SelectStep(StepPtr operand, std::string field, bool test_only)
      : operand_(std::move(operand)), field_(std::move(field)), test_only_(test_only) {}
  Value Evaluate(EvalContext& ctx) const override {
    return SelectValue(operand_->Evaluate(ctx), field_, test_only_);
  }
  StepPtr& operand() { return operand_; }
  const std::string& field() const { return field_; }
  bool test_only() const { return test_only_; }

 private:
  StepPtr operand_;
  std::string field_;
  bool test_only_;
};

class OptionalSelectStep final : public Step {
 public:
  OptionalSelectStep(StepPtr operand, std::string field)
      : operand_(std::move(operand)), field_(std::move(field)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value v = operand_->Evaluate(ctx);
    if (v.IsErrorOrUnknown()) return v;
    if (v.Is(ValueKind::kOptional)) {
      if (!v.optional_has_value()) return v;
      v = Value(v.optional_value());
    }
    if (!v.Is(ValueKind::kMap)) return NoSuchField(v, field_);
    Value out;
    if (!v.map().FindString(field_, &out)) return Value::OptionalNone();
    return Value::OptionalOf(std::move(out));
  }

 private:
  StepPtr operand_;
  std::string field_;
};

// Converts a list index to a position; errors for non-integral or out-of-range indexes.
bool ListPosition(const Value& index, size_t size, size_t* pos, Value* error) {
  int64_t i;
  switch (index.kind()) {
    case ValueKind::kInt: i = index.int_value(); break;
    case ValueKind::kUint:
      if (index.uint_value() > static_cast<uint64_t>(INT64_MAX)) {
        *error = Value::Error("index out of bounds: " + index.DebugString());
        return false;
      }
      i = static_cast<int64_t>(index.uint_value());
      break;
    case ValueKind::kDouble: {
      double d = index.double_value();
      if (d != std::trunc(d) || !(d >= -9.2e18 && d <= 9.2e18)) {
        *error = Value::Error("unsupported index value: " + index.DebugString());
        return false;
      }
      i = static_cast<int64_t>(d);
      break;
    }
    default:
      *error = Value::Error("unsupported index type '" + std::string(index.TypeName()) + "' for list");
      return false;
  }
  if (i < 0 || static_cast<uint64_t>(i) >= size) {
    *error = Value::Error("index out of bounds: " + std::to_string(i));
    return false;
  }
  *pos = static_cast<size_t>(i);
  return true;
}

// Looks up `index` in a list or map; *found=false when absent (for the optional forms).
Value Lookup(const Value& container, const Value& index, bool* found) {
  *found = true;
  if (container.Is(ValueKind::kList)) {
    size_t pos;
    Value error;
    if (!ListPosition(index, container.list().size(), &pos, &error)) {
      if (error.error_message().rfind("index out of bounds", 0) == 0) *found = false;
      return error;
    }
    return container.list().Get(pos);
  }
  if (container.Is(ValueKind::kMap)) {
    switch (index.kind()) {
      case ValueKind::kBool: case ValueKind::kInt: case ValueKind::kUint:
      case ValueKind::kString: case ValueKind::kDouble:
        break;
      default:
        return Value::Error("unsupported key type '" + std::string(index.TypeName()) + "'");
    }
    Value out;
    if (container.map().Find(index, &out)) return out;
    *found = false;
    return NoSuchKeyError(index);
  }
  Value args[2] = {container, index};
  return NoMatchingOverload("_[_]", args, 2);
}

}  // namespace

Value IndexValue(Value c, const Value& i, bool optional) {
  if (c.IsErrorOrUnknown() || i.IsErrorOrUnknown()) {
    Value args[2] = {c, i};
    return PropagateErrorsAndUnknowns(args, 2);
  }
  if (c.Is(ValueKind::kOptional)) {
    if (!c.optional_has_value()) return c;
    c = Value(c.optional_value());
    optional = true;
  }
  if (!optional && c.Is(ValueKind::kMap) && i.Is(ValueKind::kString)) {
    Value out;
    if (LookupField(c, i.string_value(), &out)) return out;
    return NoSuchKeyError(i);
  }
  bool found;
  Value out = Lookup(c, i, &found);
  if (!optional) return out;
  if (!found) return Value::OptionalNone();
  if (out.IsError()) return out;
  return Value::OptionalOf(std::move(out));
}

namespace {

// `m['key']` with a constant key: the map lookup inline, everything else as IndexStep.
class ConstKeyIndexStep final : public Step {
 public:
  ConstKeyIndexStep(StepPtr operand, Value key) : operand_(std::move(operand)), key_(std::move(key)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value c = operand_->Evaluate(ctx);
    if (c.Is(ValueKind::kMap)) {
      Value out;
      if (LookupField(c, key_.string_value(), &out)) return out;
      return NoSuchKeyError(key_);
    }
    return IndexValue(std::move(c), key_, false);
  }

 private:
  StepPtr operand_;
  Value key_;
};

class IndexStep final : public Step {
 public:
  IndexStep(StepPtr operand, StepPtr index, bool optional)
      : operand_(std::move(operand)), index_(std::move(index)), optional_(optional) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value c = operand_->Evaluate(ctx);
    Value i = index_->Evaluate(ctx);
    return IndexValue(std::move(c), i, optional_);
  }

 private:
  StepPtr operand_, index_;
  bool optional_;
};

}  // namespace

StepPtr CreateSelectStep(StepPtr operand, std::string field, bool test_only) {
  return std::make_unique<SelectStep>(std::move(operand), std::move(field), test_only);
}
StepPtr CreateOptionalSelectStep(StepPtr operand, std::string field) {
  return std::make_unique<OptionalSelectStep>(std::move(operand), std::move(field));
}
StepPtr CreateConstKeyIndexStep(StepPtr operand, Value key) {
  return std::make_unique<ConstKeyIndexStep>(std::move(operand), std::move(key));
}
StepPtr CreateIndexStep(StepPtr operand, StepPtr index, bool optional) {
  return std::make_unique<IndexStep>(std::move(operand), std::move(index), optional);
}

}  // namespace haru::cel
