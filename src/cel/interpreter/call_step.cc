#include <algorithm>

#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

// Calls with up to this many arguments keep them on the stack.
constexpr size_t kInlineArgs = 4;

class CallStep final : public Step {
 public:
  CallStep(std::string name, std::vector<const FunctionOverload*> candidates,
           std::vector<StepPtr> args)
      : name_(std::move(name)), candidates_(std::move(candidates)), args_(std::move(args)) {}

  Value Evaluate(EvalContext& ctx) const override {
    const size_t n = args_.size();
    if (n <= kInlineArgs) {
      Value buf[kInlineArgs];
      return Call(buf, n, ctx);
    }
    std::vector<Value> buf(n);
    return Call(buf.data(), n, ctx);
  }

 private:
  Value Call(Value* args, size_t n, EvalContext& ctx) const {
    bool bad = false;
    for (size_t i = 0; i < n; ++i) {
      args[i] = args_[i]->Evaluate(ctx);
      bad |= args[i].IsErrorOrUnknown();
    }
    if (bad) return PropagateErrorsAndUnknowns(args, n);
    return Dispatch(name_, candidates_, args, n, ctx);
  }

  std::string name_;
  std::vector<const FunctionOverload*> candidates_;
  std::vector<StepPtr> args_;
};

}  // namespace

StepPtr CreateCallStep(std::string name, std::vector<const FunctionOverload*> candidates,
                       std::vector<StepPtr> args) {
  return std::make_unique<CallStep>(std::move(name), std::move(candidates), std::move(args));
}

Value Dispatch(std::string_view name, const std::vector<const FunctionOverload*>& candidates,
               const Value* args, size_t n, EvalContext& ctx) {
  for (const FunctionOverload* o : candidates) {
    if (o->Matches(args)) return o->impl(args, ctx);
  }
  return NoMatchingOverload(name, args, n);
}

Value NoSuchKeyError(const Value& key) {
  if (key.Is(ValueKind::kString)) return Value::Error("no such key: " + std::string(key.string_value()));
  return Value::Error("no such key: " + key.DebugString());
}

Value NoMatchingOverload(std::string_view function, const Value* args, size_t n) {
  std::string msg = "no matching overload for '" + std::string(function) + "' applied to '(";
  for (size_t i = 0; i < n; ++i) {
    if (i) msg += ", ";
    msg += args[i].TypeName();
  }
  return Value::Error(msg + ")'");
}

Value PropagateErrorsAndUnknowns(const Value* args, size_t n) {
  std::vector<int64_t> ids;
  const Value* first_error = nullptr;
  size_t unknowns = 0;
  const Value* only_unknown = nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (args[i].IsUnknown()) {
      ++unknowns;
      only_unknown = &args[i];
      for (int64_t id : args[i].unknown().ids()) {
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      }
    } else if (args[i].IsError() && first_error == nullptr) {
      first_error = &args[i];
    }
  }
  if (unknowns == 1) return *only_unknown;
  if (unknowns > 1) {
    Value merged = Value::Unknown(ids[0]);
    const_cast<UnknownObject&>(merged.unknown()).mutable_ids() = std::move(ids);
    return merged;
  }
  return *first_error;
}

}  // namespace haru::cel
