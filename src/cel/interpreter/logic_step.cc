#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

// Combines two non-decisive operands of && or ||: unknowns win over errors, a left error
// over a right one, and a non-bool operand is "no matching overload".
Value Undecided(const char* fn, const Value& l, const Value& r) {
  if (l.IsUnknown() || r.IsUnknown()) {
    Value pair[2] = {l, r};
    return PropagateErrorsAndUnknowns(pair, 2);
  }
  if (l.IsError()) return l;
  if (r.IsError()) return r;
  Value pair[2] = {l, r};
  return NoMatchingOverload(fn, pair, 2);
}

class AndStep final : public Step {
 public:
  AndStep(StepPtr l, StepPtr r) : left_(std::move(l)), right_(std::move(r)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value l = left_->Evaluate(ctx);
    if (l.Is(ValueKind::kBool) && !l.bool_value()) return l;
    Value r = right_->Evaluate(ctx);
    if (r.Is(ValueKind::kBool)) {
      if (!r.bool_value()) return r;
      if (l.Is(ValueKind::kBool)) return r;
    }
    return Undecided("_&&_", l, r);
  }

 private:
  StepPtr left_, right_;
};

class OrStep final : public Step {
 public:
  OrStep(StepPtr l, StepPtr r) : left_(std::move(l)), right_(std::move(r)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value l = left_->Evaluate(ctx);
    if (l.Is(ValueKind::kBool) && l.bool_value()) return l;
    Value r = right_->Evaluate(ctx);
    if (r.Is(ValueKind::kBool)) {
      if (r.bool_value()) return r;
      if (l.Is(ValueKind::kBool)) return r;
    }
    return Undecided("_||_", l, r);
  }

 private:
  StepPtr left_, right_;
};

class NotStep final : public Step {
 public:
  explicit NotStep(StepPtr operand) : operand_(std::move(operand)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value v = operand_->Evaluate(ctx);
    if (v.Is(ValueKind::kBool)) return Value::Bool(!v.bool_value());
    if (v.IsErrorOrUnknown()) return v;
    return NoMatchingOverload("!_", &v, 1);
  }

 private:
  StepPtr operand_;
};

class TernaryStep final : public Step {
 public:
  TernaryStep(StepPtr c, StepPtr t, StepPtr f)
      : cond_(std::move(c)), if_true_(std::move(t)), if_false_(std::move(f)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value c = cond_->Evaluate(ctx);
    if (c.Is(ValueKind::kBool)) return c.bool_value() ? if_true_->Evaluate(ctx) : if_false_->Evaluate(ctx);
    if (c.IsErrorOrUnknown()) return c;
    return NoMatchingOverload("_?_:_", &c, 1);
  }

 private:
  StepPtr cond_, if_true_, if_false_;
};

// True unless the operand is false: errors and unknowns count as "not strictly false" so
// that all() keeps looking for a decisive false.
class NotStrictlyFalseStep final : public Step {
 public:
  explicit NotStrictlyFalseStep(StepPtr operand) : operand_(std::move(operand)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value v = operand_->Evaluate(ctx);
    if (v.Is(ValueKind::kBool)) return v;
    return Value::Bool(true);
  }

 private:
  StepPtr operand_;
};

}  // namespace

StepPtr CreateAndStep(StepPtr l, StepPtr r) { return std::make_unique<AndStep>(std::move(l), std::move(r)); }
StepPtr CreateOrStep(StepPtr l, StepPtr r) { return std::make_unique<OrStep>(std::move(l), std::move(r)); }
StepPtr CreateNotStep(StepPtr operand) { return std::make_unique<NotStep>(std::move(operand)); }
StepPtr CreateTernaryStep(StepPtr c, StepPtr t, StepPtr f) {
  return std::make_unique<TernaryStep>(std::move(c), std::move(t), std::move(f));
}
StepPtr CreateNotStrictlyFalseStep(StepPtr operand) {
  return std::make_unique<NotStrictlyFalseStep>(std::move(operand));
}

}  // namespace haru::cel
