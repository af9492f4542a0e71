#include "cel/checker/checker.h"

#include <memory>

#include "cel/library/extensions.h"
#include "cel/library/k8s.h"
#include "cel/library/standard.h"
#include "cel/parser/macros.h"
#include "cel/parser/parser.h"

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

bool IsTypeName(std::string_view n) {
  for (std::string_view t : {"bool", "int", "uint", "double", "string", "bytes", "list", "map",
                             "null_type", "type", "dyn", "google.protobuf.Duration",
                             "google.protobuf.Timestamp"}) {
    if (t == n) return true;
  }
  return false;
}

bool IsRelation(std::string_view fn) {
  return fn == "_<_" || fn == "_<=_" || fn == "_>_" || fn == "_>=_";
}
bool IsArithmetic(std::string_view fn) {
  return fn == "_+_" || fn == "_-_" || fn == "_*_" || fn == "_/_" || fn == "_%_";
}

// Joins two types where either may be chosen (ternary branches, list elements).
TypePtr Join(const TypePtr& a, const TypePtr& b) {
  if (a->kind == K::kNull) return b;
  if (b->kind == K::kNull) return a;
  if (a->kind == K::kList && b->kind == K::kList) {
    if (IsDyn(a->params[0])) return b;
    if (IsDyn(b->params[0])) return a;
  }
  return SameType(a, b) ? a : DynType();
}

class Checker {
 public:
  Checker(const TypeEnv& env, const FunctionRegistry& functions) : env_(env), functions_(functions) {}

  CheckedExpr Run(const Expr& e) {
    CheckedExpr out;
    out.type = Visit(e);
    if (env_.require_bool && out.type->kind != K::kBool && !IsDyn(out.type) && issues_.empty()) {
      Error(e, "must evaluate to bool or the unknown type, not " + out.type->ToString());
    }
    out.issues = std::move(issues_);
    return out;
  }

 private:
  TypePtr Error(const Expr& at, std::string message) {
    issues_.push_back({at.offset, std::move(message)});
    return DynType();
  }

  std::string Signature(std::string_view fn, const std::vector<TypePtr>& args) {
    std::string s = "found no matching overload for '" + std::string(fn) + "' applied to '(";
    for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i]->ToString();
    return s + ")'";
  }

  const TypePtr* Local(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }

  // The dotted name of an ident/select chain, for qualified variables and namespaces.
  static bool ChainName(const Expr& e, std::string* out) {
    if (e.kind == ExprKind::kIdent) return *out = e.name, true;
    if (e.kind == ExprKind::kSelect && !e.test_only && ChainName(*e.target, out)) {
      *out += "." + e.name;
      return true;
    }
    return false;
  }

  TypePtr Visit(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kConst: return TypeOfConstant(e.constant);
      case ExprKind::kIdent: return VisitIdent(e);
      case ExprKind::kSelect: return VisitSelect(e);
      case ExprKind::kCall: return VisitCall(e);
      case ExprKind::kList: {
        TypePtr elem;
        for (const auto& a : e.args) {
          TypePtr t = Visit(*a);
          elem = elem ? Join(elem, t) : t;
        }
        return ListType(elem ? elem : DynType());
      }
      case ExprKind::kMap: {
        TypePtr key, value;
        for (const Entry& en : e.entries) {
          TypePtr k = Visit(*en.key), v = Visit(*en.value);
          key = key ? Join(key, k) : k;
          value = value ? Join(value, v) : v;
        }
        return MapType(key ? key : DynType(), value ? value : DynType());
      }
      case ExprKind::kStruct: return Error(e, "undeclared reference to '" + e.name + "'");
      case ExprKind::kComprehension: return VisitComprehension(e);
    }
    return DynType();
  }

  TypePtr VisitIdent(const Expr& e) {
    if (const TypePtr* t = Local(e.name)) return *t;
    std::string name = e.name[0] == '.' ? e.name.substr(1) : e.name;
    auto it = env_.variables.find(name);
    if (it != env_.variables.end()) return it->second;
    if (IsTypeName(name)) return Primitive(K::kType);
    return Error(e, "undeclared reference to '" + name + "' (in container '')");
  }

  TypePtr FieldOf(const Expr& at, const TypePtr& t, const std::string& field) {
    switch (t->kind) {
      case K::kDyn: return DynType();
      case K::kMap: return t->params[1];
      case K::kObject: {
        auto it = t->fields.find(field);
        if (it == t->fields.end()) return Error(at, "undefined field '" + field + "'");
        return it->second;
      }
      case K::kOptional: return OptionalType(FieldOf(at, t->params[0], field));
      default:
        return Error(at, "type '" + t->ToString() + "' does not support field selection");
    }
  }

  TypePtr VisitSelect(const Expr& e) {
    std::string chain;
    if (!e.test_only && ChainName(e, &chain)) {
      auto it = env_.variables.find(chain);
      if (it != env_.variables.end() && Local(chain.substr(0, chain.find('.'))) == nullptr) return it->second;
    }
    TypePtr operand = Visit(*e.target);
    TypePtr field = FieldOf(e, operand, e.name);
    return e.test_only ? Primitive(K::kBool) : field;
  }

  TypePtr VisitComprehension(const Expr& e) {
    TypePtr range = Visit(*e.iter_range);
    TypePtr it1 = DynType(), it2 = DynType();
    if (range->kind == K::kList) {
      if (e.iter_var2.empty()) {
        it1 = range->params[0];
      } else {
        it1 = Primitive(K::kInt), it2 = range->params[0];
      }
    } else if (range->kind == K::kMap) {
      it1 = range->params[0], it2 = range->params[1];
    } else if (!IsDyn(range)) {
      Error(*e.iter_range, "expression of type '" + range->ToString() +
                               "' cannot be range of a comprehension (must be list, map, or dynamic)");
    }
    TypePtr accu = Visit(*e.accu_init);
    scopes_.emplace_back(e.accu_var, accu);
    scopes_.emplace_back(e.iter_var, it1);
    if (!e.iter_var2.empty()) scopes_.emplace_back(e.iter_var2, it2);
    Visit(*e.loop_condition);
    TypePtr step = Visit(*e.loop_step);
    scopes_.resize(scopes_.size() - (e.iter_var2.empty() ? 2 : 3));
    // map()/filter() start from [] and refine it through the step.
    scopes_.emplace_back(e.accu_var, Join(accu, step));
    TypePtr result = Visit(*e.result);
    scopes_.pop_back();
    return result;
  }

  TypePtr VisitCall(const Expr& e) {
    const std::string& fn = e.name;
    // A namespaced function written as a receiver call: math.greatest(...), optional.of(...).
    std::string ns;
    if (e.target && ChainName(*e.target, &ns) && Local(ns.substr(0, ns.find('.'))) == nullptr &&
        !env_.variables.count(ns) && functions_.Has(ns + "." + fn)) {
      std::vector<TypePtr> args;
      for (const auto& a : e.args) args.push_back(Visit(*a));
      return Function(e, ns + "." + fn, false, args);
    }
    std::vector<TypePtr> args;
    if (e.target) args.push_back(Visit(*e.target));
    for (const auto& a : e.args) args.push_back(Visit(*a));
    const bool receiver = e.target != nullptr;
    if (!receiver) {
      if (fn == "_&&_" || fn == "_||_" || fn == "!_" || fn == "@not_strictly_false") {
        for (const TypePtr& a : args) {
          if (a->kind != K::kBool && !IsDyn(a)) return Error(e, Signature(fn, args));
        }
        return Primitive(K::kBool);
      }
      if (fn == "_?_:_") {
        if (args[0]->kind != K::kBool && !IsDyn(args[0])) return Error(e, Signature(fn, args));
        return Join(args[1], args[2]);
      }
      if (fn == "_==_" || fn == "_!=_") {
        if (!Compatible(args[0], args[1])) return Error(e, Signature(fn, args));
        return Primitive(K::kBool);
      }
      if (IsRelation(fn)) {
        if (!Compatible(args[0], args[1]) || args[0]->kind == K::kNull) return Error(e, Signature(fn, args));
        return Primitive(K::kBool);
      }
      if (fn == "@in") return Primitive(K::kBool);
      if (fn == "_[_]" || fn == "_[?_]") return Index(e, fn, args);
      if (fn == "_?._") return args[0]->kind == K::kOptional ? args[0] : OptionalType(DynType());
      if (fn == "-_") return args[0];
      if (IsArithmetic(fn)) return Arithmetic(e, fn, args);
      if (fn == "@block" || fn == "@map_insert") return args.back();
    }
    return Function(e, fn, receiver, args);
  }

  TypePtr Index(const Expr& e, const std::string& fn, const std::vector<TypePtr>& args) {
    TypePtr c = args[0];
    bool optional = fn == "_[?_]";
    if (c->kind == K::kOptional) c = c->params[0], optional = true;
    TypePtr out;
    switch (c->kind) {
      case K::kDyn: out = DynType(); break;
      case K::kList:
        if (args[1]->kind != K::kInt && args[1]->kind != K::kUint && !IsDyn(args[1])) {
          return Error(e, Signature(fn, args));
        }
        out = c->params[0];
        break;
      case K::kMap:
        if (!Compatible(c->params[0], args[1])) return Error(e, Signature(fn, args));
        out = c->params[1];
        break;
      default: return Error(e, Signature(fn, args));
    }
    return optional ? OptionalType(out) : out;
  }

  TypePtr Arithmetic(const Expr& e, const std::string& fn, const std::vector<TypePtr>& args) {
    const TypePtr &a = args[0], &b = args[1];
    if (IsDyn(a)) return IsDyn(b) ? a : b;
    if (IsDyn(b)) return a;
    if (a->kind == b->kind) {
      switch (a->kind) {
        case K::kInt: case K::kUint: case K::kDouble: return a;
        case K::kString: case K::kBytes: case K::kList:
          if (fn == "_+_") return a->kind == K::kList ? Join(a, b) : a;
          break;
        case K::kDuration:
          if (fn == "_+_" || fn == "_-_") return a;
          break;
        case K::kTimestamp:
          if (fn == "_-_") return Primitive(K::kDuration);
          break;
        default: break;
      }
    }
    if (a->kind == K::kTimestamp && b->kind == K::kDuration && (fn == "_+_" || fn == "_-_")) return a;
    if (a->kind == K::kDuration && b->kind == K::kTimestamp && fn == "_+_") return b;
    return Error(e, Signature(fn, args));
  }

  TypePtr Function(const Expr& e, const std::string& fn, bool receiver, const std::vector<TypePtr>& args) {
    if (!functions_.Has(fn)) return Error(e, "undeclared reference to '" + fn + "' (in container '')");
    if (functions_.Candidates(fn, receiver, args.size()).empty()) return Error(e, Signature(fn, args));
    TypePtr t = ResultType(fn, receiver, args);
    return t ? t : DynType();
  }

  const TypeEnv& env_;
  const FunctionRegistry& functions_;
  std::vector<std::pair<std::string, TypePtr>> scopes_;
  std::vector<Issue> issues_;
};

const FunctionRegistry& AllFunctions() {
  static const FunctionRegistry* const kRegistry = [] {
    auto* r = new FunctionRegistry();
    RegisterStandardLibrary(*r);
    RegisterExtensionLibraries(*r);
    RegisterKubernetesLibraries(*r);
    return r;
  }();
  return *kRegistry;
}

TypePtr Str() { return Primitive(K::kString); }

}  // namespace

bool LookupEnvironment(std::string_view name, TypeEnv* env) {
  if (name == "dra") {
    // k8s.io/dynamic-resource-allocation/cel: attribute values are int, bool, string or
    // semver, so they check as dyn; capacities are quantities.
    std::map<std::string, TypePtr> device{
        {"driver", Str()},
        {"attributes", MapType(Str(), MapType(Str(), DynType()))},
        {"capacity", MapType(Str(), MapType(Str(), OpaqueType(kQuantityType)))},
        {"allowMultipleAllocations", Primitive(K::kBool)},
    };
    env->variables = {{"device", ObjectType("kubernetes.DRADevice", std::move(device))}};
    env->require_bool = true;
    return true;
  }
  if (name == "admission") {
    TypePtr string_map = MapType(Str(), DynType());
    std::map<std::string, TypePtr> request{
        {"kind", string_map}, {"resource", string_map}, {"subResource", Str()},
        {"requestKind", string_map}, {"requestResource", string_map}, {"requestSubResource", Str()},
        {"name", Str()}, {"namespace", Str()}, {"operation", Str()}, {"userInfo", string_map},
        {"dryRun", Primitive(K::kBool)}, {"options", DynType()},
    };
    env->variables = {
        {"object", DynType()},
        {"oldObject", DynType()},
        {"params", DynType()},
        {"namespaceObject", DynType()},
        {"request", ObjectType("kubernetes.AdmissionRequest", std::move(request))},
        {"variables", MapType(Str(), DynType())},
        // Declared so expressions that use it check; it is bound once authorization exists.
        {"authorizer", OpaqueType("kubernetes.authorization.Authorizer")},
    };
    env->require_bool = false;
    return true;
  }
  return false;
}

std::vector<std::string> EnvironmentVariables(std::string_view name) {
  TypeEnv env;
  std::vector<std::string> out;
  if (!LookupEnvironment(name, &env)) return out;
  for (const auto& [n, t] : env.variables) out.push_back(n);
  return out;
}

CheckedExpr Check(const Expr& expr, const TypeEnv& env, const FunctionRegistry& functions) {
  Checker c(env, functions);
  return c.Run(expr);
}

CheckResult CheckExpression(std::string_view env_name, std::string_view expression) {
  CheckResult r;
  TypeEnv env;
  if (!LookupEnvironment(env_name, &env)) {
    r.error_text = "ERROR: unknown environment '" + std::string(env_name) + "' (want dra or admission)";
    return r;
  }
  Source source{std::string(expression)};
  ParseResult parsed = Parse(source);
  if (!parsed.ok()) {
    r.error_text = FormatIssues(source, parsed.issues);
    return r;
  }
  CheckedExpr checked = Check(*parsed.expr, env, AllFunctions());
  if (!checked.issues.empty()) {
    r.error_text = FormatIssues(source, checked.issues);
    return r;
  }
  r.type = checked.type->ToString();
  return r;
}

}  // namespace haru::cel
