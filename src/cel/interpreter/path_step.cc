// Variable access paths (`device.capacity['gpu.example.com'].memory`): the hot shape of DRA
// selectors and admission policies. The walk follows pointers into the bound document, so
// it neither copies Values nor touches reference counts; everything rooted in an Activation
// slot lives for the whole evaluation, so the result is handed out borrowed. Anything that
// is not a plain map lookup (lists, optionals, adapters, errors) continues on the general
// select/index rules from that point on.

#include "cel/interpreter/steps.h"

namespace haru::cel {
namespace {

struct PathElement {
  std::string key;
  Value key_value;  // the key as a string Value, for index semantics and error messages
  bool is_index = false;
};

class VariableStep : public Step {
 public:
  explicit VariableStep(int slot) : slot_(slot) {}
  Value Evaluate(EvalContext& ctx) const override { return ctx.slots[slot_].Borrowed(); }
  int slot() const { return slot_; }

 private:
  int slot_;
};

// A comprehension variable or accumulator: its slot changes between iterations, so reads
// copy (a borrowed slot value stays borrowed, which costs nothing).
class LocalSlotStep : public Step {
 public:
  explicit LocalSlotStep(int slot) : slot_(slot) {}
  Value Evaluate(EvalContext& ctx) const override { return ctx.slots[slot_]; }
  int slot() const { return slot_; }

 private:
  int slot_;
};

class PathStep final : public Step {
 public:
  // `local`: the root is a comprehension slot rather than a variable.
  PathStep(int slot, bool local) : slot_(slot), local_(local) {}
  void Append(std::string key, bool is_index) {
    PathElement e;
    e.key_value = Value::String(key);
    e.key = std::move(key);
    e.is_index = is_index;
    path_.push_back(std::move(e));
  }

  Value Evaluate(EvalContext& ctx) const override {
    const Value* root = &ctx.slots[slot_];
    const Value* cur = root;
    const size_t n = path_.size();
    for (size_t i = 0; i < n; ++i) {
      if (!cur->Is(ValueKind::kMap)) return Slow(cur->Borrowed(), i);
      bool supported;
      const Value* next = cur->map().FindStringRef(path_[i].key, &supported);
      if (!supported) return Slow(cur->Borrowed(), i);
      if (next == nullptr) return NoSuchKeyError(path_[i].key_value);
      cur = next;
    }
    // A local slot holding its own reference may be overwritten by the next iteration while
    // the result is still in use (`list.map(c, c.name)`): then the result takes a reference.
    if (local_ && root->IsOwned()) return *cur;
    return cur->Borrowed();
  }

 private:
  Value Slow(Value v, size_t from) const {
    for (size_t i = from; i < path_.size(); ++i) {
      v = path_[i].is_index ? IndexValue(std::move(v), path_[i].key_value, false)
                            : SelectValue(std::move(v), path_[i].key, false);
    }
    return v;
  }

  int slot_;
  bool local_;
  std::vector<PathElement> path_;
};

}  // namespace

StepPtr CreateVariableStep(int slot) { return std::make_unique<VariableStep>(slot); }
StepPtr CreateSlotStep(int slot) { return std::make_unique<LocalSlotStep>(slot); }

StepPtr TryExtendPath(StepPtr& step, std::string key, bool is_index) {
  if (auto* path = dynamic_cast<PathStep*>(step.get())) {
    path->Append(std::move(key), is_index);
    return std::move(step);
  }
  if (auto* var = dynamic_cast<VariableStep*>(step.get())) {
    auto path = std::make_unique<PathStep>(var->slot(), false);
    path->Append(std::move(key), is_index);
    return path;
  }
  if (auto* local = dynamic_cast<LocalSlotStep*>(step.get())) {
    auto path = std::make_unique<PathStep>(local->slot(), true);
    path->Append(std::move(key), is_index);
    return path;
  }
  return nullptr;
}

}  // namespace haru::cel
