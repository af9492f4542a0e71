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

int64_t SizeCost(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kString:
    case ValueKind::kBytes: return static_cast<int64_t>((v.string_value().size() + 9) / 10);
    case ValueKind::kList: return static_cast<int64_t>(v.list().size());
    case ValueKind::kMap: return static_cast<int64_t>(v.map().size());
    default: return 0;
  }
}

// Functions whose work does not grow with their arguments' size (upstream charges them 1).
bool ConstantTime(std::string_view name) {
  return name == "size" || name == "_[_]" || name == "_[?_]" || name == "dyn" || name == "type" ||
         name == "optional.of" || name == "optional.ofNonZeroValue" || name == "hasValue" ||
         name == "value" || name == "orValue" || name == "or";
}

Value Dispatch(std::string_view name, const std::vector<const FunctionOverload*>& candidates,
               const Value* args, size_t n, EvalContext& ctx) {
  for (const FunctionOverload* o : candidates) {
    if (o->Matches(args)) {
      // A call costs 1, plus the size of its string/bytes/list/map arguments (most functions
      // walk them: `in`, `contains`, `matches`, `==` on lists, `sum`, ...) unless it is
      // constant-time, plus the size of its result (see eval_context.h). The arguments are
      // charged first so that a linear scan inside a long loop stops at the limit.
      int64_t units = 1;
      if (!ConstantTime(name)) {
        for (size_t i = 0; i < n; ++i) units += SizeCost(args[i]);
      }
      if (!ctx.Charge(units)) return Value::Error(kCostLimitExceeded);
      Value r = o->impl(args, ctx);
      if (!ctx.Charge(SizeCost(r))) return Value::Error(kCostLimitExceeded);
      return r;
    }
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
