#include "cel/common/containers.h"
#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

bool IsOptionalIndex(const std::vector<int32_t>& indices, size_t i) {
  for (int32_t x : indices) {
    if (static_cast<size_t>(x) == i) return true;
  }
  return false;
}

class ListStep final : public Step {
 public:
  ListStep(std::vector<StepPtr> elements, std::vector<int32_t> optional)
      : elements_(std::move(elements)), optional_(std::move(optional)) {}
  Value Evaluate(EvalContext& ctx) const override {
    if (!ctx.Charge(static_cast<int64_t>(elements_.size()))) {
      return Value::Error(kCostLimitExceeded);
    }
    std::vector<Value> out;
    out.reserve(elements_.size());
    for (size_t i = 0; i < elements_.size(); ++i) {
      Value v = elements_[i]->Evaluate(ctx);
      if (v.IsErrorOrUnknown()) return v;
      if (!optional_.empty() && IsOptionalIndex(optional_, i)) {
        if (!v.Is(ValueKind::kOptional)) {
          return Value::Error("cannot use a non-optional value as an optional list element");
        }
        if (!v.optional_has_value()) continue;
        out.push_back(v.optional_value());
        continue;
      }
      out.push_back(std::move(v));
    }
    return Value::List(new ValueList(std::move(out)));
  }

 private:
  std::vector<StepPtr> elements_;
  std::vector<int32_t> optional_;
};

class MapStep final : public Step {
 public:
  MapStep(std::vector<StepPtr> keys, std::vector<StepPtr> values, std::vector<bool> optional)
      : keys_(std::move(keys)), values_(std::move(values)), optional_(std::move(optional)) {}
  Value Evaluate(EvalContext& ctx) const override {
    if (!ctx.Charge(static_cast<int64_t>(keys_.size()))) return Value::Error(kCostLimitExceeded);
    auto* map = new ValueMap();
    Value result = Value::Map(map);
    for (size_t i = 0; i < keys_.size(); ++i) {
      Value k = keys_[i]->Evaluate(ctx);
      if (k.IsErrorOrUnknown()) return k;
      Value v = values_[i]->Evaluate(ctx);
      if (v.IsErrorOrUnknown()) return v;
      if (!IsValidMapKey(k)) {
        return Value::Error("unsupported key type '" + std::string(k.TypeName()) + "'");
      }
      if (optional_[i]) {
        if (!v.Is(ValueKind::kOptional)) {
          return Value::Error("cannot use a non-optional value as an optional map entry");
        }
        if (!v.optional_has_value()) continue;
        v = Value(v.optional_value());
      }
      if (!map->Insert(std::move(k), std::move(v))) {
        return Value::Error("Failed with repeated key: " + keys_[i]->Evaluate(ctx).DebugString());
      }
    }
    return result;
  }

 private:
  std::vector<StepPtr> keys_, values_;
  std::vector<bool> optional_;
};

}  // namespace

StepPtr CreateListStep(std::vector<StepPtr> elements, std::vector<int32_t> optional_indices) {
  return std::make_unique<ListStep>(std::move(elements), std::move(optional_indices));
}

StepPtr CreateMapStep(std::vector<StepPtr> keys, std::vector<StepPtr> values,
                      std::vector<bool> optional) {
  return std::make_unique<MapStep>(std::move(keys), std::move(values), std::move(optional));
}

}  // namespace haru::cel
