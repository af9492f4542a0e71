#pragma once
// Factories for every step kind; one .cc per family (const_step.cc, logic_step.cc, ...).

#include <string>
#include <vector>

#include "cel/interpreter/step.h"
#include "cel/runtime/function_registry.h"

namespace haru::cel {

// const_step.cc
StepPtr CreateConstStep(Value value);
// Reads slot `slot`; an unbound variable holds an error value put there by the Activation.
StepPtr CreateSlotStep(int slot);
// Always yields an error with `message` (calls that can never resolve, message literals).
StepPtr CreateErrorStep(std::string message);

// select_step.cc: `operand.field`, has(operand.field), and `operand.?field`.
StepPtr CreateSelectStep(StepPtr operand, std::string field, bool test_only);
StepPtr CreateOptionalSelectStep(StepPtr operand, std::string field);
// `operand[index]` and `operand[?index]`.
StepPtr CreateIndexStep(StepPtr operand, StepPtr index, bool optional);

// logic_step.cc: non-strict operators with CEL's error/unknown absorption.
StepPtr CreateAndStep(StepPtr left, StepPtr right);
StepPtr CreateOrStep(StepPtr left, StepPtr right);
StepPtr CreateNotStep(StepPtr operand);
StepPtr CreateTernaryStep(StepPtr cond, StepPtr if_true, StepPtr if_false);
StepPtr CreateNotStrictlyFalseStep(StepPtr operand);

// call_step.cc: a strict function call dispatched among `candidates` by argument kinds.
StepPtr CreateCallStep(std::string name, std::vector<const FunctionOverload*> candidates,
                       std::vector<StepPtr> args);

// create_step.cc: list and map literals.
StepPtr CreateListStep(std::vector<StepPtr> elements, std::vector<int32_t> optional_indices);
StepPtr CreateMapStep(std::vector<StepPtr> keys, std::vector<StepPtr> values,
                      std::vector<bool> optional);

// comprehension_step.cc
struct ComprehensionSlots {
  int iter = -1;
  int iter2 = -1;  // -1 for one-variable comprehensions
  int accu = -1;
};
StepPtr CreateComprehensionStep(ComprehensionSlots slots, StepPtr range, StepPtr init,
                                StepPtr cond, StepPtr step, StepPtr result);
// `@result + [element]` inside a comprehension: appends in place when the list is unshared.
StepPtr CreateAppendStep(int accu_slot, StepPtr element);
// `@map_insert(@result, key, value)` for transformMap.
StepPtr CreateMapInsertStep(int accu_slot, StepPtr key, StepPtr value);

// Helpers shared by steps and library functions.
Value NoSuchKeyError(const Value& key);
Value NoMatchingOverload(std::string_view function, const Value* args, size_t n);
// Returns the merged unknown, else the first error, among args that are errors or unknowns;
// REQUIRES at least one such argument.
Value PropagateErrorsAndUnknowns(const Value* args, size_t n);

}  // namespace haru::cel
