#include "cel/checker/types.h"

namespace haru::cel {
namespace {

TypePtr Make(Type::Kind kind, std::vector<TypePtr> params = {}, std::string name = {}) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  t->params = std::move(params);
  t->name = std::move(name);
  return t;
}

bool Numeric(Type::Kind k) {
  return k == Type::Kind::kInt || k == Type::Kind::kUint || k == Type::Kind::kDouble;
}

}  // namespace

std::string Type::ToString() const {
  switch (kind) {
    case Kind::kDyn: return "dyn";
    case Kind::kNull: return "null_type";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kUint: return "uint";
    case Kind::kDouble: return "double";
    case Kind::kString: return "string";
    case Kind::kBytes: return "bytes";
    case Kind::kDuration: return "google.protobuf.Duration";
    case Kind::kTimestamp: return "google.protobuf.Timestamp";
    case Kind::kList: return "list(" + params[0]->ToString() + ")";
    case Kind::kMap: return "map(" + params[0]->ToString() + ", " + params[1]->ToString() + ")";
    case Kind::kType: return "type";
    case Kind::kOptional: return "optional_type(" + params[0]->ToString() + ")";
    case Kind::kOpaque: case Kind::kObject: return name;
  }
  return "?";
}

TypePtr DynType() {
  static const TypePtr kDyn = Make(Type::Kind::kDyn);
  return kDyn;
}
TypePtr Primitive(Type::Kind kind) { return Make(kind); }
TypePtr ListType(TypePtr elem) { return Make(Type::Kind::kList, {std::move(elem)}); }
TypePtr MapType(TypePtr key, TypePtr value) { return Make(Type::Kind::kMap, {std::move(key), std::move(value)}); }
TypePtr OptionalType(TypePtr inner) { return Make(Type::Kind::kOptional, {std::move(inner)}); }
TypePtr OpaqueType(std::string name) { return Make(Type::Kind::kOpaque, {}, std::move(name)); }
TypePtr ObjectType(std::string name, std::map<std::string, TypePtr> fields) {
  auto t = std::make_shared<Type>();
  t->kind = Type::Kind::kObject;
  t->name = std::move(name);
  t->fields = std::move(fields);
  return t;
}

bool IsDyn(const TypePtr& t) { return t->kind == Type::Kind::kDyn; }

bool SameType(const TypePtr& a, const TypePtr& b) { return a->ToString() == b->ToString(); }

bool Compatible(const TypePtr& a, const TypePtr& b) {
  if (IsDyn(a) || IsDyn(b)) return true;
  if (Numeric(a->kind) && Numeric(b->kind)) return true;
  if (a->kind != b->kind) return a->kind == Type::Kind::kNull || b->kind == Type::Kind::kNull;
  if (a->kind == Type::Kind::kOpaque || a->kind == Type::Kind::kObject) return a->name == b->name;
  return true;
}

}  // namespace haru::cel
