#pragma once
// Factories for every step kind; one .cc per family (const_step.cc, logic_step.cc, ...).

#include <memory>
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

// block_step.cc: cel.block. Binding i keeps its value and an evaluated-yet flag in two slots;
// `steps` (shared with the index steps) holds the bindings' expressions.
struct BlockBinding {
  int value_slot = -1;
  int done_slot = -1;
};
StepPtr CreateBlockStep(std::vector<BlockBinding> bindings,
                        std::shared_ptr<std::vector<StepPtr>> steps, StepPtr result);
StepPtr CreateBlockIndexStep(BlockBinding binding, std::shared_ptr<std::vector<StepPtr>> steps,
                             size_t index);

// specialized_step.cc: fast paths the planner picks for common shapes; each falls back to
// the generic overload dispatch when the operands are not of the expected kinds.
// `x + k`, `x - k` with an int constant k.
StepPtr CreateIntArithConstStep(std::string name, std::vector<const FunctionOverload*> candidates,
                                StepPtr operand, Value constant);
// `x op k` for the six relations with a constant right operand.
StepPtr CreateCompareConstStep(std::string name, std::vector<const FunctionOverload*> candidates,
                               StepPtr operand, Value constant);
// `s.startsWith(k)`, `s.endsWith(k)`, `s.contains(k)` with a constant string k.
StepPtr CreateStringTestConstStep(std::string name, std::vector<const FunctionOverload*> candidates,
                                  StepPtr receiver, Value constant);
// `m['key']` with a constant string key.
StepPtr CreateConstKeyIndexStep(StepPtr operand, Value key);
// A free variable: bound by the Activation for the whole evaluation, so handed out borrowed.
StepPtr CreateVariableStep(int slot);
// path_step.cc: `var.f1['k2'].f3...`, a chain of field selections and constant-key indexes
// on a variable, walked by pointer with no copies. `TryExtendPath` appends to `step` when it
// is a variable or a path and returns the new step (or null when it is neither).
StepPtr TryExtendPath(StepPtr& step, std::string key, bool is_index);

// Helpers shared by steps and library functions.
// Calls the first of `candidates` matching the evaluated `args` (no errors among them).
Value Dispatch(std::string_view name, const std::vector<const FunctionOverload*>& candidates,
               const Value* args, size_t n, EvalContext& ctx);
// `v.field` (and has()) and `c[i]` on evaluated operands, with all of CEL's rules.
Value SelectValue(Value v, std::string_view field, bool test_only);
Value IndexValue(Value c, const Value& i, bool optional);
// Map field lookup; borrows the child when the map itself is borrowed.
bool LookupField(const Value& map, std::string_view key, Value* out);
Value NoSuchKeyError(const Value& key);
Value NoMatchingOverload(std::string_view function, const Value* args, size_t n);
// Returns the merged unknown, else the first error, among args that are errors or unknowns;
// REQUIRES at least one such argument.
Value PropagateErrorsAndUnknowns(const Value* args, size_t n);

}  // namespace haru::cel
