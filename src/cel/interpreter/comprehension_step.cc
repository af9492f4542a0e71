#include "cel/common/containers.h"
#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

class ComprehensionStep final : public Step {
 public:
  ComprehensionStep(ComprehensionSlots slots, StepPtr range, StepPtr init, StepPtr cond,
                    StepPtr step, StepPtr result)
      : slots_(slots), range_(std::move(range)), init_(std::move(init)), cond_(std::move(cond)),
        step_(std::move(step)), result_(std::move(result)) {}

  Value Evaluate(EvalContext& ctx) const override {
    Value range = range_->Evaluate(ctx);
    if (range.IsErrorOrUnknown()) return range;
    Value* s = ctx.slots;
    Value init = init_->Evaluate(ctx);
    if (init.IsErrorOrUnknown()) return init;
    s[slots_.accu] = std::move(init);
    Value out;
    if (range.Is(ValueKind::kList)) {
      const ListValue& list = range.list();
      const size_t n = list.size();
      // Elements of a range that outlives the evaluation (an input) are bound borrowed,
      // which keeps the loop free of reference-count traffic.
      const bool borrow = !range.IsOwned();
      const int elem_slot = slots_.iter2 >= 0 ? slots_.iter2 : slots_.iter;
      for (size_t i = 0; i < n; ++i) {
        if (slots_.iter2 >= 0) s[slots_.iter] = Value::Int(static_cast<int64_t>(i));
        const Value* ref = borrow ? list.GetRef(i) : nullptr;
        s[elem_slot] = ref != nullptr ? ref->Borrowed() : list.Get(i);
        if (!Iterate(ctx, &out)) break;
      }
    } else if (range.Is(ValueKind::kMap)) {
      const MapValue& map = range.map();
      const size_t n = map.size();
      for (size_t i = 0; i < n; ++i) {
        s[slots_.iter] = map.KeyAt(i);
        if (slots_.iter2 >= 0) s[slots_.iter2] = map.ValueAt(i);
        if (!Iterate(ctx, &out)) break;
      }
    } else {
      Clear(s);
      return Value::Error("expression of type '" + std::string(range.TypeName()) +
                          "' cannot be range of a comprehension (must be list, map, or dynamic)");
    }
    if (out.IsError()) {
      Clear(s);
      return out;
    }
    Value result = result_->Evaluate(ctx);
    Clear(s);
    return result;
  }

 private:
  // Runs one iteration; false when the loop must stop (condition false, budget spent).
  bool Iterate(EvalContext& ctx, Value* out) const {
    if (++ctx.iterations > ctx.max_iterations && ctx.max_iterations > 0) {
      if (ctx.abort.ok()) {
        ctx.abort = Status::Invalid(kCostLimitExceeded);
      }
      *out = Value::Error("comprehension iteration limit exceeded");
      return false;
    }
    if (!ctx.Charge(1)) {
      *out = Value::Error(kCostLimitExceeded);
      return false;
    }
    Value c = cond_->Evaluate(ctx);
    if (c.Is(ValueKind::kBool)) {
      if (!c.bool_value()) return false;
    } else {
      *out = c.IsError() ? c : Value::Error("loop condition is not a bool");
      return false;
    }
    ctx.slots[slots_.accu] = step_->Evaluate(ctx);
    return !ctx.Aborted();
  }

  // Drops the loop's references so large intermediate values do not outlive the loop.
  void Clear(Value* s) const {
    s[slots_.iter] = Value();
    if (slots_.iter2 >= 0) s[slots_.iter2] = Value();
    s[slots_.accu] = Value();
  }

  ComprehensionSlots slots_;
  StepPtr range_, init_, cond_, step_, result_;
};

class AppendStep final : public Step {
 public:
  AppendStep(int accu, StepPtr element) : accu_(accu), element_(std::move(element)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value e = element_->Evaluate(ctx);
    if (e.IsErrorOrUnknown()) return e;
    Value acc = std::move(ctx.slots[accu_]);
    if (acc.IsErrorOrUnknown()) return acc;
    if (!acc.Is(ValueKind::kList)) return Value::Error("accumulator is not a list");
    auto* mine = dynamic_cast<const ValueList*>(acc.list_ptr());
    if (acc.IsOwned() && mine != nullptr && mine->IsUnique()) {
      const_cast<ValueList*>(mine)->mutable_elements().push_back(std::move(e));
      return acc;
    }
    std::vector<Value> copy;
    const ListValue& l = acc.list();
    copy.reserve(l.size() + 1);
    for (size_t i = 0; i < l.size(); ++i) copy.push_back(l.Get(i));
    copy.push_back(std::move(e));
    return Value::List(new ValueList(std::move(copy)));
  }

 private:
  int accu_;
  StepPtr element_;
};

class MapInsertStep final : public Step {
 public:
  MapInsertStep(int accu, StepPtr key, StepPtr value)
      : accu_(accu), key_(std::move(key)), value_(std::move(value)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value k = key_->Evaluate(ctx);
    if (k.IsErrorOrUnknown()) return k;
    Value v = value_->Evaluate(ctx);
    if (v.IsErrorOrUnknown()) return v;
    Value acc = std::move(ctx.slots[accu_]);
    if (!acc.Is(ValueKind::kMap)) return Value::Error("accumulator is not a map");
    auto* mine = dynamic_cast<const ValueMap*>(&acc.map());
    ValueMap* target;
    Value result;
    if (acc.IsOwned() && mine != nullptr && mine->IsUnique()) {
      target = const_cast<ValueMap*>(mine);
      result = std::move(acc);
    } else {
      target = new ValueMap();
      result = Value::Map(target);
      const MapValue& m = acc.map();
      for (size_t i = 0; i < m.size(); ++i) target->Insert(m.KeyAt(i), m.ValueAt(i));
    }
    if (!target->Insert(k, std::move(v))) {
      return Value::Error("insert failed: key " + k.DebugString() + " already exists");
    }
    return result;
  }

 private:
  int accu_;
  StepPtr key_, value_;
};

}  // namespace

StepPtr CreateComprehensionStep(ComprehensionSlots slots, StepPtr range, StepPtr init,
                                StepPtr cond, StepPtr step, StepPtr result) {
  return std::make_unique<ComprehensionStep>(slots, std::move(range), std::move(init),
                                             std::move(cond), std::move(step), std::move(result));
}

StepPtr CreateAppendStep(int accu_slot, StepPtr element) {
  return std::make_unique<AppendStep>(accu_slot, std::move(element));
}

StepPtr CreateMapInsertStep(int accu_slot, StepPtr key, StepPtr value) {
  return std::make_unique<MapInsertStep>(accu_slot, std::move(key), std::move(value));
}

}  // namespace haru::cel
