#pragma once
// A planned expression is a tree of steps. Each step is built once by the planner with its
// function overloads, slots and constants resolved, and evaluated many times.

#include <memory>
#include <string>

#include "cel/common/value.h"
#include "cel/interpreter/eval_context.h"

namespace haru::cel {

class Step {
 public:
  virtual ~Step() = default;
  virtual Value Evaluate(EvalContext& ctx) const = 0;
  // The constant this step always yields, if any (lets the planner fold and specialize).
  virtual const Value* AsConstant() const { return nullptr; }
};

using StepPtr = std::unique_ptr<Step>;

}  // namespace haru::cel
