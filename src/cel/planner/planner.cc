#include "cel/planner/planner.h"

#include <algorithm>
#include <unordered_map>

#include "cel/common/containers.h"
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
    if (variable_slots_.count(name)) return CreateSlotStep(variable_slots_[name]);
    if (IsTypeName(name)) return CreateConstStep(Value::Type(name));
    *resolved = false;
    return nullptr;
  }

  StepPtr PlanIdent(const Expr& e) {
    if (const int* slot = LookupLocal(e.name)) return CreateSlotStep(*slot);
    bool resolved;
    StepPtr s = ResolveGlobal(e, e.name, &resolved);
    if (resolved) return s;
    std::string name = e.name[0] == '.' ? e.name.substr(1) : e.name;
    if (options_.allow_undeclared_variables) return CreateSlotStep(VariableSlot(name));
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
              s = CreateSelectStep(std::move(s), rest.substr(0, dot), false);
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
    return CreateSelectStep(PlanExpr(*e.target), e.name, e.test_only);
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
        return CreateIndexStep(PlanExpr(*e.args[0]), PlanExpr(*e.args[1]), fn == "_[?_]");
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
    return CreateCallStep(fn, std::move(candidates), std::move(args));
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
