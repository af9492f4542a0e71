// Fast paths for the shapes that dominate selectors and policies: a variable or field
// compared with a constant, `x + 1`, `s.startsWith('ab')`, `m['key']`. Each step checks
// the operand kind inline and otherwise defers to the generic overload dispatch, so
// semantics (errors, heterogeneous numbers, overloads) stay those of the call it replaces.

#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

// Shared by the steps: the generic call on (operand, constant).
class ConstArgCall {
 public:
  ConstArgCall(std::string name, std::vector<const FunctionOverload*> candidates, StepPtr operand,
               Value constant)
      : name_(std::move(name)), candidates_(std::move(candidates)), operand_(std::move(operand)),
        constant_(std::move(constant)) {}

  Value Generic(Value v, EvalContext& ctx) const {
    if (v.IsErrorOrUnknown()) return v;
    Value args[2] = {std::move(v), constant_.Borrowed()};
    return Dispatch(name_, candidates_, args, 2, ctx);
  }

 protected:
  std::string name_;
  std::vector<const FunctionOverload*> candidates_;
  StepPtr operand_;
  Value constant_;
};

class IntArithConstStep final : public Step, ConstArgCall {
 public:
  IntArithConstStep(std::string name, std::vector<const FunctionOverload*> c, StepPtr operand, Value k)
      : ConstArgCall(std::move(name), std::move(c), std::move(operand), std::move(k)),
        subtract_(name_ == "_-_") {}
  Value Evaluate(EvalContext& ctx) const override {
    Value v = operand_->Evaluate(ctx);
    if (v.Is(ValueKind::kInt)) {
      int64_t r;
      bool overflow = subtract_ ? __builtin_sub_overflow(v.int_value(), constant_.int_value(), &r)
                                : __builtin_add_overflow(v.int_value(), constant_.int_value(), &r);
      if (!overflow) return Value::Int(r);
    }
    return Generic(std::move(v), ctx);
  }

 private:
  bool subtract_;
};

enum class Rel { kLt, kLe, kGt, kGe, kEq, kNe };

Rel RelOf(std::string_view name) {
  if (name == "_<_") return Rel::kLt;
  if (name == "_<=_") return Rel::kLe;
  if (name == "_>_") return Rel::kGt;
  if (name == "_>=_") return Rel::kGe;
  if (name == "_==_") return Rel::kEq;
  return Rel::kNe;
}

bool Holds(Rel rel, int c) {
  switch (rel) {
    case Rel::kLt: return c < 0;
    case Rel::kLe: return c <= 0;
    case Rel::kGt: return c > 0;
    case Rel::kGe: return c >= 0;
    case Rel::kEq: return c == 0;
    case Rel::kNe: return c != 0;
  }
  return false;
}

class CompareConstStep final : public Step, ConstArgCall {
 public:
  CompareConstStep(std::string name, std::vector<const FunctionOverload*> c, StepPtr operand, Value k)
      : ConstArgCall(std::move(name), std::move(c), std::move(operand), std::move(k)),
        rel_(RelOf(name_)) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value v = operand_->Evaluate(ctx);
    if (v.kind() == constant_.kind()) {
      switch (v.kind()) {
        case ValueKind::kInt: {
          int64_t a = v.int_value(), b = constant_.int_value();
          return Value::Bool(Holds(rel_, a < b ? -1 : a > b ? 1 : 0));
        }
        case ValueKind::kString: {
          int c = v.string_value().compare(constant_.string_value());
          return Value::Bool(Holds(rel_, c < 0 ? -1 : c > 0 ? 1 : 0));
        }
        default:
          break;
      }
    }
    return Generic(std::move(v), ctx);
  }

 private:
  Rel rel_;
};

class StringTestConstStep final : public Step, ConstArgCall {
 public:
  enum class Op { kStartsWith, kEndsWith, kContains };
  StringTestConstStep(std::string name, std::vector<const FunctionOverload*> c, StepPtr operand, Value k)
      : ConstArgCall(std::move(name), std::move(c), std::move(operand), std::move(k)),
        op_(name_ == "startsWith" ? Op::kStartsWith : name_ == "endsWith" ? Op::kEndsWith : Op::kContains) {}
  Value Evaluate(EvalContext& ctx) const override {
    Value v = operand_->Evaluate(ctx);
    if (v.Is(ValueKind::kString)) {
      std::string_view s = v.string_value(), k = constant_.string_value();
      switch (op_) {
        case Op::kStartsWith: return Value::Bool(s.size() >= k.size() && s.compare(0, k.size(), k) == 0);
        case Op::kEndsWith: return Value::Bool(s.size() >= k.size() && s.compare(s.size() - k.size(), k.size(), k) == 0);
        case Op::kContains: return Value::Bool(s.find(k) != std::string_view::npos);
      }
    }
    return Generic(std::move(v), ctx);
  }

 private:
  Op op_;
};

}  // namespace

StepPtr CreateIntArithConstStep(std::string name, std::vector<const FunctionOverload*> candidates,
                                StepPtr operand, Value constant) {
  return std::make_unique<IntArithConstStep>(std::move(name), std::move(candidates),
                                             std::move(operand), std::move(constant));
}

StepPtr CreateCompareConstStep(std::string name, std::vector<const FunctionOverload*> candidates,
                               StepPtr operand, Value constant) {
  return std::make_unique<CompareConstStep>(std::move(name), std::move(candidates),
                                            std::move(operand), std::move(constant));
}

StepPtr CreateStringTestConstStep(std::string name, std::vector<const FunctionOverload*> candidates,
                                  StepPtr receiver, Value constant) {
  return std::make_unique<StringTestConstStep>(std::move(name), std::move(candidates),
                                               std::move(receiver), std::move(constant));
}


}  // namespace haru::cel
