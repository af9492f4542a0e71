#pragma once
// Static types for the checker, in the shape of cel-go's types.Type: CEL's primitive types,
// list/map/type(T), optional_type(T) and other abstract (opaque) types with parameters, type
// parameters for generic signatures, and object types with declared fields (the OpenAPI-like
// shape Kubernetes gives `device`, `request`, ...). Types are immutable and shared.

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
    kAny,        // google.protobuf.Any: checks like dyn
    kError,      // the type of an expression that failed to check
    kTypeParam,  // a type variable (`A`, `_var0`); name holds it
    kWrapper,    // a nullable primitive (google.protobuf.Int64Value): params[0] is the primitive
  };
  Kind kind = Kind::kDyn;
  std::string name;               // opaque, object and type-parameter names
  std::vector<TypePtr> params;    // list: elem; map: key, value; type/optional/opaque: params
  std::map<std::string, TypePtr> fields;  // object

  // cel-go's spelling (FormatCELType): "int", "list(string)", "map(string, int)", "null",
  // "type(int)", "optional_type(int)", "timestamp", "_var0", "kubernetes.Quantity".
  std::string ToString() const;
};

TypePtr DynType();
TypePtr Primitive(Type::Kind kind);
TypePtr ListType(TypePtr elem);
TypePtr MapType(TypePtr key, TypePtr value);
TypePtr OptionalType(TypePtr inner);
TypePtr OpaqueType(std::string name, std::vector<TypePtr> params = {});
TypePtr ObjectType(std::string name, std::map<std::string, TypePtr> fields);
TypePtr TypeType(TypePtr of = nullptr);  // "type" alone when `of` is null
TypePtr TypeParam(std::string name);
TypePtr WrapperType(TypePtr primitive);
TypePtr ErrorType();
TypePtr AnyType();

bool IsDyn(const TypePtr& t);
// Whether values of `a` and `b` can meet (equal kinds, either dyn, or both numeric).
bool Compatible(const TypePtr& a, const TypePtr& b);
// Structural identity, type-parameter names included (cel-go's IsExactType).
bool SameType(const TypePtr& a, const TypePtr& b);

}  // namespace haru::cel
