// cel.block: bindings evaluated at most once per evaluation, and only when first read, so a
// binding that errors but is never used does not fail the expression (upstream is lazy too).

#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

class BlockStep final : public Step {
 public:
  BlockStep(std::vector<BlockBinding> bindings, std::shared_ptr<std::vector<StepPtr>> steps,
            StepPtr result)
      : bindings_(std::move(bindings)), steps_(std::move(steps)), result_(std::move(result)) {}

  Value Evaluate(EvalContext& ctx) const override {
    for (const BlockBinding& b : bindings_) ctx.slots[b.done_slot] = Value::Bool(false);
    Value out = result_->Evaluate(ctx);
    for (const BlockBinding& b : bindings_) ctx.slots[b.value_slot] = Value();
    return out;
  }

 private:
  std::vector<BlockBinding> bindings_;
  std::shared_ptr<std::vector<StepPtr>> steps_;  // the bindings' expressions, by index
  StepPtr result_;
};

class BlockIndexStep final : public Step {
 public:
  BlockIndexStep(BlockBinding binding, std::shared_ptr<std::vector<StepPtr>> steps, size_t index)
      : binding_(binding), steps_(std::move(steps)), index_(index) {}

  Value Evaluate(EvalContext& ctx) const override {
    Value* s = ctx.slots;
    if (!s[binding_.done_slot].bool_value()) {
      s[binding_.value_slot] = (*steps_)[index_]->Evaluate(ctx);
      s[binding_.done_slot] = Value::Bool(true);
    }
    return s[binding_.value_slot];
  }

 private:
  BlockBinding binding_;
  std::shared_ptr<std::vector<StepPtr>> steps_;
  size_t index_;
};

}  // namespace

StepPtr CreateBlockStep(std::vector<BlockBinding> bindings,
                        std::shared_ptr<std::vector<StepPtr>> steps, StepPtr result) {
  return std::make_unique<BlockStep>(std::move(bindings), std::move(steps), std::move(result));
}

StepPtr CreateBlockIndexStep(BlockBinding binding, std::shared_ptr<std::vector<StepPtr>> steps,
                             size_t index) {
  return std::make_unique<BlockIndexStep>(binding, std::move(steps), index);
}

}  // namespace haru::cel
