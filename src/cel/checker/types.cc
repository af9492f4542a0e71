#include "cel/checker/types.h"

namespace haru::cel {
namespace {

using K = Type::Kind;

TypePtr Make(Type::Kind kind, std::vector<TypePtr> params = {}, std::string name = {}) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  t->params = std::move(params);
  t->name = std::move(name);
  return t;
}

bool Numeric(Type::Kind k) { return k == K::kInt || k == K::kUint || k == K::kDouble; }

std::string WithParams(const std::string& name, const std::vector<TypePtr>& params) {
  if (params.empty()) return name;
  std::string s = name + "(";
  for (size_t i = 0; i < params.size(); ++i) s += (i ? ", " : "") + params[i]->ToString();
  return s + ")";
}

}  // namespace

std::string Type::ToString() const {
  switch (kind) {
    case K::kDyn: return "dyn";
    case K::kNull: return "null";
    case K::kBool: return "bool";
    case K::kInt: return "int";
    case K::kUint: return "uint";
    case K::kDouble: return "double";
    case K::kString: return "string";
    case K::kBytes: return "bytes";
    case K::kDuration: return "duration";
    case K::kTimestamp: return "timestamp";
    case K::kList: return WithParams("list", params);
    case K::kMap: return WithParams("map", params);
    case K::kType: return WithParams("type", params);
    case K::kOptional: return WithParams("optional_type", params);
    case K::kOpaque: return WithParams(name, params);
    case K::kObject: case K::kTypeParam: return name;
    case K::kAny: return "any";
    case K::kError: return "!error!";
    case K::kWrapper: return "wrapper(" + params[0]->ToString() + ")";
  }
  return "?";
}

TypePtr DynType() {
  static const TypePtr kDyn = Make(K::kDyn);
  return kDyn;
}
TypePtr Primitive(Type::Kind kind) { return Make(kind); }
TypePtr ListType(TypePtr elem) { return Make(K::kList, {std::move(elem)}); }
TypePtr MapType(TypePtr key, TypePtr value) { return Make(K::kMap, {std::move(key), std::move(value)}); }
TypePtr OptionalType(TypePtr inner) { return Make(K::kOptional, {std::move(inner)}); }
TypePtr OpaqueType(std::string name, std::vector<TypePtr> params) {
  return Make(K::kOpaque, std::move(params), std::move(name));
}
TypePtr ObjectType(std::string name, std::map<std::string, TypePtr> fields) {
  auto t = std::make_shared<Type>();
  t->kind = K::kObject;
  t->name = std::move(name);
  t->fields = std::move(fields);
  return t;
}
TypePtr TypeType(TypePtr of) {
  if (!of) return Make(K::kType);
  return Make(K::kType, {std::move(of)});
}
TypePtr TypeParam(std::string name) { return Make(K::kTypeParam, {}, std::move(name)); }
TypePtr WrapperType(TypePtr primitive) { return Make(K::kWrapper, {std::move(primitive)}); }
TypePtr ErrorType() {
  static const TypePtr kError = Make(K::kError);
  return kError;
}
TypePtr AnyType() {
  static const TypePtr kAny = Make(K::kAny);
  return kAny;
}

bool IsDyn(const TypePtr& t) { return t->kind == K::kDyn; }

bool SameType(const TypePtr& a, const TypePtr& b) {
  if (a == b) return true;
  if (a->kind != b->kind || a->name != b->name || a->params.size() != b->params.size()) return false;
  for (size_t i = 0; i < a->params.size(); ++i) {
    if (!SameType(a->params[i], b->params[i])) return false;
  }
  return true;
}

bool Compatible(const TypePtr& a, const TypePtr& b) {
  if (IsDyn(a) || IsDyn(b)) return true;
  if (Numeric(a->kind) && Numeric(b->kind)) return true;
  if (a->kind != b->kind) return a->kind == K::kNull || b->kind == K::kNull;
  if (a->kind == K::kOpaque || a->kind == K::kObject) return a->name == b->name;
  return true;
}

}  // namespace haru::cel
