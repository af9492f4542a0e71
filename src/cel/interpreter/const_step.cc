#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

class ConstStep final : public Step {
 public:
  explicit ConstStep(Value v) : value_(std::move(v)) {}
  Value Evaluate(EvalContext&) const override { return value_.Borrowed(); }
  const Value* AsConstant() const override { return &value_; }

 private:
  Value value_;
};

class ErrorStep final : public Step {
 public:
  explicit ErrorStep(std::string message) : message_(std::move(message)) {}
  Value Evaluate(EvalContext&) const override { return Value::Error(message_); }

 private:
  std::string message_;
};

}  // namespace

StepPtr CreateConstStep(Value value) { return std::make_unique<ConstStep>(std::move(value)); }
StepPtr CreateErrorStep(std::string message) { return std::make_unique<ErrorStep>(std::move(message)); }

}  // namespace haru::cel
