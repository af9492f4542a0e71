#include "cel/planner/planner.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <unordered_map>

#include "cel/common/containers.h"
#include "cel/interpreter/eval_context.h"
#include "cel/interpreter/steps.h"
#include "cel/parser/macros.h"

namespace haru::cel {
namespace {

// Type names usable as values (`type(1) == int`).
bool IsTypeName(std::string_view n) {
  static constexpr std::string_view kNames[] = {
      "bool", "int", "uint", "double", "string", "bytes", "list", "map", "null_type", "type",
      "google.protobuf.Duration", "google.protobuf.Timestamp", "optional_type"};
  return std::find(std::begin(kNames), std::end(kNames), n) != std::end(kNames);
}

class Planner {
 public:
  Planner(const FunctionRegistry& functions, const std::vector<std::string>& declared,
          const PlannerOptions& options)
      : functions_(functions), options_(options) {
    for (const std::string& name : declared) VariableSlot(name);
  }

  Plan Run(const Expr& expr) {
    Plan plan;
    plan.root = PlanExpr(expr);
    for (const std::string& name : variables_) plan.variables.emplace_back(name, variable_slots_[name]);
    plan.slot_count = next_slot_;
    plan.issues = std::move(issues_);
    return plan;
  }

 private:
  int VariableSlot(const std::string& name) {
    auto it = variable_slots_.find(name);
    if (it != variable_slots_.end()) return it->second;
    int slot = next_slot_++;
    variable_slots_.emplace(name, slot);
    variables_.push_back(name);
    return slot;
  }

  const int* LookupLocal(std::string_view name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }

  StepPtr Error(const Expr& at, std::string message) {
    issues_.push_back({at.offset, std::move(message)});
    return CreateErrorStep("invalid expression");
  }

  // The dotted name of an ident/select chain ("a.b.c"), or "" if it is not one.
  static bool ChainName(const Expr& e, std::string* out) {
    if (e.kind == ExprKind::kIdent) {
      *out = e.name;
      return true;
    }
    if (e.kind == ExprKind::kSelect && !e.test_only) {
      if (!ChainName(*e.target, out)) return false;
      *out += "." + e.name;
      return true;
    }
    return false;
  }

  // Resolves a name that is not a local: declared variable, type name, or undeclared.
  StepPtr ResolveGlobal(const Expr& at, std::string name, bool* resolved) {
    *resolved = true;
    if (!name.empty() && name[0] == '.') name.erase(0, 1);
    if (variable_slots_.count(name)) return CreateVariableStep(variable_slots_[name]);
    if (IsTypeName(name)) return CreateConstStep(Value::Type(name));
    *resolved = false;
    return nullptr;
  }

  StepPtr PlanIdent(const Expr& e) {
    if (const int* slot = LookupLocal(e.name)) return CreateSlotStep(*slot);
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) {
      if (e.name.rfind("@index", 0) != 0) break;
      size_t i = std::strtoul(e.name.c_str() + 6, nullptr, 10);
      if (i < it->bindings.size()) return CreateBlockIndexStep(it->bindings[i], it->steps, i);
      return Error(e, "cel.index(" + std::to_string(i) + ") is not bound in this cel.block");
    }
    bool resolved;
    StepPtr s = ResolveGlobal(e, e.name, &resolved);
    if (resolved) return s;
    std::string name = e.name[0] == '.' ? e.name.substr(1) : e.name;
    if (options_.allow_undeclared_variables) return CreateVariableStep(VariableSlot(name));
    return Error(e, "undeclared reference to '" + name + "' (in container '')");
  }

  StepPtr PlanSelect(const Expr& e) {
    // A qualified name may itself be a variable ("a.b.c" declared) or a type name.
    std::string chain;
    if (!e.test_only && ChainName(e, &chain)) {
      std::string root = chain.substr(0, chain.find('.'));
      if (root[0] != '.' && LookupLocal(root) == nullptr) {
        // Longest declared prefix wins.
        std::string prefix = chain;
        while (true) {
          bool resolved;
          StepPtr s = ResolveGlobal(e, prefix, &resolved);
          if (resolved) {
            size_t used = prefix.size();
            std::string rest = chain.size() > used ? chain.substr(used + 1) : "";
            while (!rest.empty()) {
              size_t dot = rest.find('.');
              s = Select(std::move(s), rest.substr(0, dot));
              rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
            }
            return s;
          }
          size_t dot = prefix.rfind('.');
          if (dot == std::string::npos) break;
          prefix.resize(dot);
        }
      }
    }
    if (e.test_only) return CreateSelectStep(PlanExpr(*e.target), e.name, true);
    return Select(PlanExpr(*e.target), e.name);
  }

  static StepPtr Select(StepPtr operand, std::string field) {
    if (StepPtr path = TryExtendPath(operand, field, false)) return path;
    return CreateSelectStep(std::move(operand), std::move(field), false);
  }

  std::vector<StepPtr> PlanArgs(const std::vector<ExprPtr>& args) {
    std::vector<StepPtr> out;
    out.reserve(args.size());
    for (const auto& a : args) out.push_back(PlanExpr(*a));
    return out;
  }

  StepPtr PlanCall(const Expr& e) {
    const std::string& fn = e.name;
    const size_t n = e.args.size();
    if (!e.target) {
      if (fn == "_&&_" && n == 2) return CreateAndStep(PlanExpr(*e.args[0]), PlanExpr(*e.args[1]));
      if (fn == "_||_" && n == 2) return CreateOrStep(PlanExpr(*e.args[0]), PlanExpr(*e.args[1]));
      if (fn == "!_" && n == 1) return CreateNotStep(PlanExpr(*e.args[0]));
      if (fn == "_?_:_" && n == 3) {
        return CreateTernaryStep(PlanExpr(*e.args[0]), PlanExpr(*e.args[1]), PlanExpr(*e.args[2]));
      }
      if (fn == "@not_strictly_false" && n == 1) return CreateNotStrictlyFalseStep(PlanExpr(*e.args[0]));
      if ((fn == "_[_]" || fn == "_[?_]") && n == 2) {
        StepPtr operand = PlanExpr(*e.args[0]);
        StepPtr index = PlanExpr(*e.args[1]);
        const Value* k = index->AsConstant();
        if (fn == "_[_]" && k != nullptr && k->Is(ValueKind::kString)) {
          if (StepPtr path = TryExtendPath(operand, std::string(k->string_value()), true)) return path;
          return CreateConstKeyIndexStep(std::move(operand), *k);
        }
        return CreateIndexStep(std::move(operand), std::move(index), fn == "_[?_]");
      }
      if (fn == "_?._" && n == 2 && e.args[1]->kind == ExprKind::kConst) {
        return CreateOptionalSelectStep(PlanExpr(*e.args[0]),
                                        std::string(e.args[1]->constant.string_value()));
      }
      if (fn == "_+_" && n == 2 && accu_slot_ >= 0 && IsAccumulator(*e.args[0]) &&
          e.args[1]->kind == ExprKind::kList && e.args[1]->args.size() == 1 &&
          e.args[1]->optional_indices.empty()) {
        return CreateAppendStep(accu_slot_, PlanExpr(*e.args[1]->args[0]));
      }
      if (fn == "@block" && n == 2 && e.args[0]->kind == ExprKind::kList) return PlanBlock(e);
      if (fn == "@map_insert" && n == 3 && accu_slot_ >= 0) {
        return CreateMapInsertStep(accu_slot_, PlanExpr(*e.args[1]), PlanExpr(*e.args[2]));
      }
      return PlanFunction(e, fn, false, PlanArgs(e.args));
    }
    // `ns.fn(args)` where ns.fn is a namespaced global function (optional.of, math.least).
    std::string chain;
    if (ChainName(*e.target, &chain) && chain[0] != '.' &&
        LookupLocal(chain.substr(0, chain.find('.'))) == nullptr &&
        !variable_slots_.count(chain) && functions_.Has(chain + "." + fn)) {
      return PlanFunction(e, chain + "." + fn, false, PlanArgs(e.args));
    }
    std::vector<StepPtr> args;
    args.push_back(PlanExpr(*e.target));
    for (auto& a : PlanArgs(e.args)) args.push_back(std::move(a));
    return PlanFunction(e, fn, true, std::move(args));
  }

  StepPtr PlanFunction(const Expr&, const std::string& fn, bool receiver, std::vector<StepPtr> args) {
    auto candidates = functions_.Candidates(fn, receiver, args.size());
    if (candidates.empty()) {
      // Unknown functions fail at evaluation, as upstream does with checking disabled.
      return CreateCallStep(fn, {}, std::move(args));
    }
    if (StepPtr folded = Fold(candidates, args)) return folded;
    if (StepPtr fast = Specialize(fn, receiver, candidates, args)) return fast;
    return CreateCallStep(fn, std::move(candidates), std::move(args));
  }

  // Picks a fast-path step for `operand op constant` shapes (see specialized_step.cc).
  static StepPtr Specialize(const std::string& fn, bool receiver,
                            const std::vector<const FunctionOverload*>& candidates,
                            std::vector<StepPtr>& args) {
    if (args.size() != 2 || args[0]->AsConstant() != nullptr) return nullptr;
    const Value* k = args[1]->AsConstant();
    if (k == nullptr) return nullptr;
    if (!receiver && (fn == "_+_" || fn == "_-_") && k->Is(ValueKind::kInt)) {
      return CreateIntArithConstStep(fn, candidates, std::move(args[0]), *k);
    }
    if (!receiver && (fn == "_<_" || fn == "_<=_" || fn == "_>_" || fn == "_>=_" || fn == "_==_" ||
                      fn == "_!=_") &&
        (k->Is(ValueKind::kInt) || k->Is(ValueKind::kString))) {
      return CreateCompareConstStep(fn, candidates, std::move(args[0]), *k);
    }
    if (receiver && (fn == "startsWith" || fn == "endsWith" || fn == "contains") &&
        k->Is(ValueKind::kString)) {
      return CreateStringTestConstStep(fn, candidates, std::move(args[0]), *k);
    }
    return nullptr;
  }

  // Evaluates a foldable call on constant arguments now, so `quantity('10Gi')` costs nothing
  // per evaluation. Errors fold too: they are what every evaluation would produce.
  static StepPtr Fold(const std::vector<const FunctionOverload*>& candidates,
                      const std::vector<StepPtr>& args) {
    constexpr size_t kMaxArgs = 4;
    if (args.size() > kMaxArgs) return nullptr;
    Value values[kMaxArgs];
    for (size_t i = 0; i < args.size(); ++i) {
      const Value* c = args[i]->AsConstant();
      if (c == nullptr || c->IsErrorOrUnknown()) return nullptr;
      values[i] = *c;
    }
    for (const FunctionOverload* o : candidates) {
      if (!o->Matches(values)) continue;
      if (!o->foldable) return nullptr;
      EvalContext ctx;
      return CreateConstStep(o->impl(values, ctx));
    }
    return nullptr;
  }

  bool IsAccumulator(const Expr& e) const {
    return e.kind == ExprKind::kIdent && e.name == kAccumulatorName;
  }

  StepPtr PlanList(const Expr& e) {
    std::vector<StepPtr> elems = PlanArgs(e.args);
    bool all_const = e.optional_indices.empty();
    for (const auto& s : elems) all_const = all_const && s->AsConstant() != nullptr;
    if (all_const) {
      std::vector<Value> values;
      for (const auto& s : elems) values.push_back(*s->AsConstant());
      return CreateConstStep(Value::List(new ValueList(std::move(values))));
    }
    return CreateListStep(std::move(elems), e.optional_indices);
  }

  StepPtr PlanMap(const Expr& e) {
    std::vector<StepPtr> keys, values;
    std::vector<bool> optional;
    for (const Entry& en : e.entries) {
      keys.push_back(PlanExpr(*en.key));
      values.push_back(PlanExpr(*en.value));
      optional.push_back(en.optional);
    }
    return CreateMapStep(std::move(keys), std::move(values), std::move(optional));
  }

  // Binding i may read bindings before it; the result reads them all.
  StepPtr PlanBlock(const Expr& e) {
    const Expr& list = *e.args[0];
    blocks_.push_back({{}, std::make_shared<std::vector<StepPtr>>()});
    for (const ExprPtr& binding : list.args) {
      StepPtr step = PlanExpr(*binding);
      Block& b = blocks_.back();
      b.steps->push_back(std::move(step));
      BlockBinding slots;
      slots.value_slot = next_slot_++;
      slots.done_slot = next_slot_++;
      b.bindings.push_back(slots);
    }
    StepPtr result = PlanExpr(*e.args[1]);
    Block b = std::move(blocks_.back());
    blocks_.pop_back();
    return CreateBlockStep(std::move(b.bindings), std::move(b.steps), std::move(result));
  }

  StepPtr PlanComprehension(const Expr& e) {
    StepPtr range = PlanExpr(*e.iter_range);
    StepPtr init = PlanExpr(*e.accu_init);
    ComprehensionSlots slots;
    slots.accu = next_slot_++;
    slots.iter = next_slot_++;
    if (!e.iter_var2.empty()) slots.iter2 = next_slot_++;
    scopes_.emplace_back(e.accu_var, slots.accu);
    scopes_.emplace_back(e.iter_var, slots.iter);
    if (slots.iter2 >= 0) scopes_.emplace_back(e.iter_var2, slots.iter2);
    int saved_accu = accu_slot_;
    accu_slot_ = e.accu_var == kAccumulatorName ? slots.accu : -1;
    StepPtr cond = PlanExpr(*e.loop_condition);
    StepPtr step = PlanExpr(*e.loop_step);
    accu_slot_ = saved_accu;
    // The result sees the accumulator but not the iteration variables.
    scopes_.resize(scopes_.size() - (slots.iter2 >= 0 ? 3 : 2));
    scopes_.emplace_back(e.accu_var, slots.accu);
    StepPtr result = PlanExpr(*e.result);
    scopes_.pop_back();
    return CreateComprehensionStep(slots, std::move(range), std::move(init), std::move(cond),
                                   std::move(step), std::move(result));
  }

  StepPtr PlanExpr(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kConst: return CreateConstStep(e.constant);
      case ExprKind::kIdent: return PlanIdent(e);
      case ExprKind::kSelect: return PlanSelect(e);
      case ExprKind::kCall: return PlanCall(e);
      case ExprKind::kList: return PlanList(e);
      case ExprKind::kMap: return PlanMap(e);
      case ExprKind::kStruct:
        return CreateErrorStep("unknown type: message types are not supported ('" + e.name + "')");
      case ExprKind::kComprehension: return PlanComprehension(e);
    }
    return Error(e, "unsupported expression");
  }

  const FunctionRegistry& functions_;
  const PlannerOptions& options_;
  std::unordered_map<std::string, int> variable_slots_;
  std::vector<std::string> variables_;
  std::vector<std::pair<std::string, int>> scopes_;
  struct Block {
    std::vector<BlockBinding> bindings;
    std::shared_ptr<std::vector<StepPtr>> steps;
  };
  std::vector<Block> blocks_;  // enclosing cel.blocks, innermost last
  int next_slot_ = 0;
  int accu_slot_ = -1;
  std::vector<Issue> issues_;
};

}  // namespace

Plan PlanExpression(const Expr& expr, const FunctionRegistry& functions,
                    const std::vector<std::string>& declared_variables,
                    const PlannerOptions& options) {
  Planner p(functions, declared_variables, options);
  return p.Run(expr);
}

}  // namespace haru::cel
