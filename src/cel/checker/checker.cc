#include "cel/checker/checker.h"

#include <algorithm>

#include "cel/checker/unify.h"

namespace haru::cel {
namespace {

using K = Type::Kind;

TypePtr TypeOfConstant(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNull: return Primitive(K::kNull);
    case ValueKind::kBool: return Primitive(K::kBool);
    case ValueKind::kInt: return Primitive(K::kInt);
    case ValueKind::kUint: return Primitive(K::kUint);
    case ValueKind::kDouble: return Primitive(K::kDouble);
    case ValueKind::kString: return Primitive(K::kString);
    case ValueKind::kBytes: return Primitive(K::kBytes);
    default: return DynType();
  }
}

bool IsOptional(const TypePtr& t) { return t->kind == K::kOptional; }

// The dotted name of an ident/select chain (`a.b.c`), for namespaced function names.
bool QualifiedName(const Expr& e, std::string* out, int depth = 0) {
  if (depth > 512) return false;
  if (e.kind == ExprKind::kIdent) return *out = e.name, true;
  if (e.kind == ExprKind::kSelect && !e.test_only && QualifiedName(*e.target, out, depth + 1)) {
    *out += "." + e.name;
    return true;
  }
  return false;
}

// Types a struct literal may name: messages and the well-known types cel-go accepts.
bool IsMessageLike(const TypePtr& t) {
  switch (t->kind) {
    case K::kObject: case K::kAny: case K::kTimestamp: case K::kDuration: case K::kDyn: case K::kNull:
    case K::kWrapper:
      return true;
    case K::kList: return IsDyn(t->params[0]);
    case K::kMap: return t->params[0]->kind == K::kString && IsDyn(t->params[1]);
    default: return false;
  }
}

// Collects the type parameters a signature mentions, in order of first appearance.
void CollectTypeParams(const TypePtr& t, std::vector<std::string>* out) {
  if (t->kind == K::kTypeParam) {
    if (std::find(out->begin(), out->end(), t->name) == out->end()) out->push_back(t->name);
    return;
  }
  for (const TypePtr& p : t->params) CollectTypeParams(p, out);
}

class Checker {
 public:
  explicit Checker(const Declarations& decls) : decls_(decls) {}

  CheckedAst Run(ExprPtr expr) {
    CheckedAst out;
    Visit(*expr);
    for (auto& [id, t] : types_) t = Substitute(subs_, t, true);
    std::stable_sort(issues_.begin(), issues_.end(),
                     [](const Issue& a, const Issue& b) { return a.offset < b.offset; });
    out.expr = std::move(expr);
    out.types = std::move(types_);
    out.references = std::move(refs_);
    out.issues = std::move(issues_);
    return out;
  }

 private:
  // ---- bookkeeping ----

  void Error(const Expr& at, std::string message) { issues_.push_back({at.offset, std::move(message)}); }
  void SetType(const Expr& e, TypePtr t) { types_[e.id] = std::move(t); }
  TypePtr TypeOf(const Expr& e) const {
    auto it = types_.find(e.id);
    return it == types_.end() ? DynType() : it->second;
  }
  void SetIdentRef(const Expr& e, std::string name) { refs_[e.id] = Reference{std::move(name), {}}; }
  TypePtr NewTypeVar() { return TypeParam("_var" + std::to_string(next_var_++)); }
  bool Assignable(const TypePtr& t1, const TypePtr& t2) { return IsAssignable(subs_, t1, t2); }

  void TypeMismatch(const Expr& at, const TypePtr& expected, const TypePtr& actual) {
    Error(at, "expected type '" + Substitute(subs_, expected, true)->ToString() + "' but found '" +
                  Substitute(subs_, actual, true)->ToString() + "'");
  }
  void Undeclared(const Expr& at, const std::string& name) {
    Error(at, "undeclared reference to '" + name + "' (in container '" + decls_.container() + "')");
  }

  const TypePtr* Local(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      auto found = it->find(name);
      if (found != it->end()) return &found->second;
    }
    return nullptr;
  }

  // A global variable or built-in type name among the container's candidates.
  bool ResolveGlobal(const std::string& name, std::string* resolved, TypePtr* type) const {
    for (const std::string& candidate : decls_.Candidates(name)) {
      if (const TypePtr* t = decls_.FindVariable(candidate)) return *resolved = candidate, *type = *t, true;
      if (TypePtr t = BuiltinTypeIdent(candidate)) return *resolved = candidate, *type = t, true;
    }
    return false;
  }

  const FunctionDecl* LookupFunction(const std::string& name) const {
    for (const std::string& candidate : decls_.Candidates(name)) {
      if (const FunctionDecl* fn = decls_.FindFunction(candidate)) return fn;
    }
    return nullptr;
  }

  // Rewrites `e` into an identifier naming a resolved variable.
  void BecomeIdent(Expr& e, std::string name, TypePtr type) {
    e.kind = ExprKind::kIdent;
    e.target.reset();
    e.test_only = false;
    e.name = name;
    SetType(e, std::move(type));
    SetIdentRef(e, std::move(name));
  }

  // ---- visitors ----

  void Visit(Expr& e) {
    switch (e.kind) {
      case ExprKind::kConst: SetType(e, TypeOfConstant(e.constant)); return;
      case ExprKind::kIdent: VisitIdent(e); return;
      case ExprKind::kSelect: VisitSelect(e); return;
      case ExprKind::kCall: VisitCall(e); return;
      case ExprKind::kList: VisitList(e); return;
      case ExprKind::kMap: VisitMap(e); return;
      case ExprKind::kStruct: VisitStruct(e); return;
      case ExprKind::kComprehension: VisitComprehension(e); return;
    }
  }

  void VisitIdent(Expr& e) {
    const bool absolute = !e.name.empty() && e.name[0] == '.';
    const TypePtr* local = absolute ? nullptr : Local(e.name);
    if (local != nullptr) {
      SetType(e, *local);
      SetIdentRef(e, e.name);
      return;
    }
    std::string resolved;
    TypePtr type;
    if (ResolveGlobal(e.name, &resolved, &type)) {
      // A global shadowed by a local keeps its leading dot so evaluation finds the global.
      if (Local(resolved) != nullptr) resolved = "." + resolved;
      BecomeIdent(e, resolved, type);
      return;
    }
    SetType(e, ErrorType());
    Undeclared(e, e.name);
  }

  void VisitSelect(Expr& e) {
    if (!e.test_only) {
      // Try the whole chain as one qualified variable name first: `a.b.c` may be declared.
      std::vector<const Expr*> chain;
      const Expr* at = &e;
      while (at->kind == ExprKind::kSelect && !at->test_only) {
        chain.push_back(at);
        at = at->target.get();
      }
      if (at->kind == ExprKind::kIdent) {
        const bool absolute = !at->name.empty() && at->name[0] == '.';
        if (absolute || Local(at->name) == nullptr) {
          std::string name = at->name;
          for (auto it = chain.rbegin(); it != chain.rend(); ++it) name += "." + (*it)->name;
          std::string resolved;
          TypePtr type;
          if (ResolveGlobal(name, &resolved, &type)) {
            BecomeIdent(e, resolved, type);
            return;
          }
        }
      }
    }
    TypePtr result = SelectField(e, *e.target, e.name, false);
    if (e.test_only) result = Primitive(K::kBool);
    SetType(e, Substitute(subs_, result, false));
  }

  TypePtr SelectField(const Expr& e, Expr& operand, const std::string& field, bool optional) {
    Visit(operand);
    TypePtr operand_type = Substitute(subs_, TypeOf(operand), false);
    const bool was_optional = IsOptional(operand_type);
    TypePtr target = was_optional ? operand_type->params[0] : operand_type;
    TypePtr result;
    switch (target->kind) {
      case K::kMap: result = target->params[1]; break;
      case K::kObject: {
        auto it = target->fields.find(field);
        if (it == target->fields.end()) {
          Error(e, "undefined field '" + field + "'");
          result = ErrorType();
        } else {
          result = it->second;
        }
        break;
      }
      case K::kTypeParam:
        // Pin the parameter to dyn so it cannot later bind to a type without fields.
        Assignable(DynType(), target);
        result = DynType();
        break;
      default:
        if (!IsDynOrError(target)) {
          Error(e, "type '" + target->ToString() + "' does not support field selection");
        }
        result = DynType();
    }
    return was_optional || optional ? OptionalType(result) : result;
  }

  void VisitCall(Expr& e) {
    if (e.name == "_?._" && !e.target) {
      VisitOptionalSelect(e);
      return;
    }
    if (e.name == "@block" && !e.target && e.args.size() == 2 && e.args[0]->kind == ExprKind::kList) {
      VisitBlock(e);
      return;
    }
    for (ExprPtr& arg : e.args) Visit(*arg);
    if (!e.target) {
      const FunctionDecl* fn = LookupFunction(e.name);
      if (fn == nullptr) {
        Undeclared(e, e.name);
        SetType(e, ErrorType());
        return;
      }
      e.name = fn->name;
      Resolve(e, *fn, false);
      return;
    }
    // `a.b.f(x)` is either the namespaced function `a.b.f` or `f` with receiver `a.b`.
    std::string prefix;
    if (QualifiedName(*e.target, &prefix)) {
      if (const FunctionDecl* fn = LookupFunction(prefix + "." + e.name)) {
        e.name = fn->name;
        e.target.reset();
        Resolve(e, *fn, false);
        return;
      }
    }
    Visit(*e.target);
    if (const FunctionDecl* fn = LookupFunction(e.name)) {
      Resolve(e, *fn, true);
      return;
    }
    SetType(e, ErrorType());
    Undeclared(e, e.name);
  }

  void VisitOptionalSelect(Expr& e) {
    if (e.args.size() != 2) {
      Error(e, "unsupported optional field selection: incorrect signature. argument count: " +
                   std::to_string(e.args.size()));
      return;
    }
    const Expr& field = *e.args[1];
    if (field.kind != ExprKind::kConst || field.constant.kind() != ValueKind::kString) {
      Error(field, "unsupported optional field selection");
      return;
    }
    TypePtr result = SelectField(e, *e.args[0], std::string(field.constant.string_value()), true);
    SetType(e, Substitute(subs_, result, false));
    refs_[e.id] = Reference{"", {"select_optional_field"}};
  }

  // cel.block([e0, e1, ...], result): each ei may use the earlier ones as @index0, @index1, ...
  void VisitBlock(Expr& e) {
    Expr& slots = *e.args[0];
    scopes_.emplace_back();
    std::vector<TypePtr> elems;
    for (size_t i = 0; i < slots.args.size(); ++i) {
      Visit(*slots.args[i]);
      elems.push_back(TypeOf(*slots.args[i]));
      scopes_.back()["@index" + std::to_string(i)] = elems.back();
    }
    TypePtr elem;
    for (size_t i = 0; i < elems.size(); ++i) elem = Join(*slots.args[i], elem, elems[i]);
    SetType(slots, ListType(elem ? elem : DynType()));
    Visit(*e.args[1]);
    scopes_.pop_back();
    SetType(e, TypeOf(*e.args[1]));
    refs_[e.id] = Reference{"", {"cel_block_list"}};
  }

  // Overload resolution: every overload whose parameters unify with the arguments matches;
  // the node refers to all of them and its type is their common result (dyn if they differ).
  void Resolve(Expr& e, const FunctionDecl& fn, bool member) {
    std::vector<TypePtr> arg_types;
    std::vector<const Expr*> arg_exprs;
    if (member) arg_exprs.push_back(e.target.get());
    for (const ExprPtr& a : e.args) arg_exprs.push_back(a.get());
    for (const Expr* a : arg_exprs) arg_types.push_back(TypeOf(*a));

    TypePtr result;
    Reference ref;
    for (const OverloadDecl& overload : fn.overloads) {
      if (overload.member != member) continue;
      if (fn.name == "_&&_" || fn.name == "_||_") {
        // Logical operators may be flattened to many arguments; each must be bool.
        bool failed = false;
        for (size_t i = 0; i < arg_types.size(); ++i) {
          if (!Assignable(arg_types[i], Primitive(K::kBool))) {
            TypeMismatch(*arg_exprs[i], Primitive(K::kBool), arg_types[i]);
            failed = true;
          }
        }
        if (failed) {
          SetType(e, ErrorType());
          return;
        }
        SetType(e, Primitive(K::kBool));
        refs_[e.id] = Reference{"", {overload.id}};
        return;
      }
      std::vector<TypePtr> params = overload.params;
      TypePtr overload_result = overload.result;
      std::vector<std::string> type_params;
      for (const TypePtr& p : params) CollectTypeParams(p, &type_params);
      CollectTypeParams(overload_result, &type_params);
      if (!type_params.empty()) {
        // Fresh variables per use, so two calls of a generic function do not interfere.
        Substitutions fresh;
        for (const std::string& name : type_params) fresh[name] = NewTypeVar();
        for (TypePtr& p : params) p = Substitute(fresh, p, false);
        overload_result = Substitute(fresh, overload_result, false);
      }
      if (!IsAssignableList(subs_, arg_types, params)) continue;
      ref.overload_ids.push_back(overload.id);
      TypePtr fn_result = Substitute(subs_, overload_result, false);
      if (!result) {
        result = fn_result;
      } else if (!IsDyn(result) && !SameType(fn_result, result)) {
        result = DynType();
      }
    }
    if (!result) {
      std::string sig;
      size_t first = 0;
      if (member) {
        sig = Substitute(subs_, arg_types[0], true)->ToString() + ".";
        first = 1;
      }
      sig += "(";
      for (size_t i = first; i < arg_types.size(); ++i) {
        sig += (i > first ? ", " : "") + Substitute(subs_, arg_types[i], true)->ToString();
      }
      sig += ")";
      Error(e, "found no matching overload for '" + fn.name + "' applied to '" + sig + "'");
      SetType(e, ErrorType());
      return;
    }
    SetType(e, result);
    std::sort(ref.overload_ids.begin(), ref.overload_ids.end());
    refs_[e.id] = std::move(ref);
  }

  TypePtr Join(const Expr& at, const TypePtr& previous, const TypePtr& current) {
    (void)at;
    if (!previous) return current;
    if (Assignable(previous, current)) return MostGeneral(previous, current);
    // Mixed element types make a dyn aggregate, as cel-go's default environment does.
    return DynType();
  }

  // For `?x` entries: the optional's inner type, or a mismatch when `t` is not optional.
  TypePtr UnwrapOptionalEntry(const Expr& value, const TypePtr& t) {
    if (IsOptional(t)) return t->params[0];
    if (!IsDyn(t)) TypeMismatch(value, OptionalType(t), t);
    return t;
  }

  void VisitList(Expr& e) {
    TypePtr elem;
    for (size_t i = 0; i < e.args.size(); ++i) {
      Expr& item = *e.args[i];
      Visit(item);
      TypePtr t = TypeOf(item);
      if (std::find(e.optional_indices.begin(), e.optional_indices.end(), static_cast<int32_t>(i)) !=
          e.optional_indices.end()) {
        t = UnwrapOptionalEntry(item, t);
      }
      elem = Join(item, elem, t);
    }
    SetType(e, ListType(elem ? elem : NewTypeVar()));
  }

  void VisitMap(Expr& e) {
    TypePtr key, value;
    for (Entry& entry : e.entries) {
      Visit(*entry.key);
      key = Join(*entry.key, key, TypeOf(*entry.key));
      Visit(*entry.value);
      TypePtr t = TypeOf(*entry.value);
      if (entry.optional) t = UnwrapOptionalEntry(*entry.value, t);
      value = Join(*entry.value, value, t);
    }
    if (!key) {
      key = NewTypeVar();
      value = NewTypeVar();
    }
    SetType(e, MapType(key, value));
  }

  void VisitStruct(Expr& e) {
    std::string resolved;
    TypePtr ident_type;
    if (!ResolveGlobal(e.name, &resolved, &ident_type)) {
      // Like cel-go, the field values of an unknown message are left unchecked.
      Undeclared(e, e.name);
      SetType(e, ErrorType());
      return;
    }
    e.name = resolved;
    SetIdentRef(e, resolved);
    TypePtr result = ErrorType();
    if (ident_type->kind != K::kError) {
      if (ident_type->kind != K::kType || ident_type->params.empty()) {
        Error(e, "'" + ident_type->ToString() + "' is not a type");
      } else if (IsMessageLike(ident_type->params[0])) {
        result = ident_type->params[0];
      } else {
        Error(e, "'" + ident_type->params[0]->ToString() + "' is not a message type");
      }
    }
    SetType(e, result);
    for (Entry& entry : e.entries) {
      Visit(*entry.value);
      TypePtr value_type = TypeOf(*entry.value);
      if (entry.optional) value_type = UnwrapOptionalEntry(*entry.value, value_type);
      TypePtr field_type = DynType();
      if (result->kind == K::kObject) {
        auto it = result->fields.find(entry.field);
        if (it == result->fields.end()) {
          issues_.push_back({entry.offset, "undefined field '" + entry.field + "'"});
          field_type = ErrorType();
        } else {
          field_type = it->second;
        }
      }
      if (!Assignable(field_type, value_type)) {
        issues_.push_back({entry.offset, "expected type of field '" + entry.field + "' is '" +
                                             field_type->ToString() + "' but provided type is '" +
                                             value_type->ToString() + "'"});
      }
    }
  }

  void VisitComprehension(Expr& e) {
    Visit(*e.iter_range);
    Visit(*e.accu_init);
    TypePtr range = Substitute(subs_, TypeOf(*e.iter_range), false);
    TypePtr accu = TypeOf(*e.accu_init);
    const bool two_vars = !e.iter_var2.empty();
    scopes_.push_back({{e.accu_var, accu}});

    TypePtr var, var2;
    switch (range->kind) {
      case K::kList:
        var = range->params[0];
        if (two_vars) var2 = var, var = Primitive(K::kInt);
        break;
      case K::kMap:
        var = range->params[0];
        if (two_vars) var2 = range->params[1];
        break;
      case K::kDyn: case K::kAny: case K::kError: case K::kTypeParam:
        Assignable(DynType(), range);
        var = DynType();
        var2 = DynType();
        break;
      default:
        Error(*e.iter_range, "expression of type '" + range->ToString() +
                                 "' cannot be range of a comprehension (must be list, map, or dynamic)");
        var = ErrorType();
        var2 = ErrorType();
    }
    std::map<std::string, TypePtr> loop_scope{{e.iter_var, var}};
    if (two_vars) loop_scope[e.iter_var2] = var2;
    scopes_.push_back(std::move(loop_scope));
    Visit(*e.loop_condition);
    if (!Assignable(Primitive(K::kBool), TypeOf(*e.loop_condition))) {
      TypeMismatch(*e.loop_condition, Primitive(K::kBool), TypeOf(*e.loop_condition));
    }
    Visit(*e.loop_step);
    if (!Assignable(accu, TypeOf(*e.loop_step))) TypeMismatch(*e.loop_step, accu, TypeOf(*e.loop_step));
    scopes_.pop_back();
    Visit(*e.result);
    scopes_.pop_back();
    SetType(e, Substitute(subs_, TypeOf(*e.result), false));
  }

  const Declarations& decls_;
  Substitutions subs_;
  std::map<int64_t, TypePtr> types_;
  std::map<int64_t, Reference> refs_;
  std::vector<Issue> issues_;
  std::vector<std::map<std::string, TypePtr>> scopes_;
  int next_var_ = 0;
};

}  // namespace

TypePtr CheckedAst::type() const {
  if (!expr) return DynType();
  auto it = types.find(expr->id);
  return it == types.end() ? DynType() : it->second;
}

CheckedAst Check(ExprPtr expr, const Declarations& decls) {
  Checker c(decls);
  return c.Run(std::move(expr));
}

}  // namespace haru::cel
