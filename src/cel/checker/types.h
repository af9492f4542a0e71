#pragma once
// Static types for the checker: CEL's primitive types, list/map/optional, library (opaque)
// types, and object types with declared fields (the OpenAPI-like shape Kubernetes gives
// `device`, `request`, ...). Types are immutable and shared.

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace haru::cel {

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct Type {
  enum class Kind {
    kDyn, kNull, kBool, kInt, kUint, kDouble, kString, kBytes, kDuration, kTimestamp,
    kList, kMap, kType, kOptional, kOpaque, kObject,
  };
  Kind kind = Kind::kDyn;
  std::string name;               // opaque and object types
  std::vector<TypePtr> params;    // list: elem; map: key, value; optional: inner
  std::map<std::string, TypePtr> fields;  // object

  // Upstream's spelling: "int", "list(string)", "map(string, int)", "kubernetes.Quantity".
  std::string ToString() const;
};

TypePtr DynType();
TypePtr Primitive(Type::Kind kind);
TypePtr ListType(TypePtr elem);
TypePtr MapType(TypePtr key, TypePtr value);
TypePtr OptionalType(TypePtr inner);
TypePtr OpaqueType(std::string name);
TypePtr ObjectType(std::string name, std::map<std::string, TypePtr> fields);

bool IsDyn(const TypePtr& t);
// Whether values of `a` and `b` can meet (equal kinds, either dyn, or both numeric).
bool Compatible(const TypePtr& a, const TypePtr& b);
bool SameType(const TypePtr& a, const TypePtr& b);

}  // namespace haru::cel
