#pragma once
// Checker types from OpenAPI v3 / structural schemas, the way Kubernetes derives CEL types
// for CRD validation rules and admission policies (apiserver/pkg/cel/common SchemaDeclType):
//
//   object with properties          object type; nested objects are named by their path from
//                                   the root: "Object.spec", "Object.spec.template"
//   object with additionalProperties map(string, T); value objects named "<path>.@elem"
//   array with items                list(T); element objects named "<path>.@idx"
//   string                          string; format byte -> bytes, duration ->
//                                   google.protobuf.Duration, date / date-time ->
//                                   google.protobuf.Timestamp
//   integer / number / boolean      int / double / bool
//   x-kubernetes-int-or-string      dyn
//   x-kubernetes-preserve-unknown-fields without properties: dyn (upstream exposes an
//                                   object without fields; haru lets such data through)
//   x-kubernetes-embedded-resource  object that always has apiVersion, kind and
//                                   metadata.{name, generateName}
//
// Property names are escaped as upstream does (`a.b` -> `a__dot__b`, `x-y` -> `x__dash__y`,
// `a/b` -> `a__slash__b`, `__` -> `__underscores__`); a property named like a CEL reserved word
// (`namespace`, `in`, ...) is declared both as itself and as `__namespace__`, as upstream's
// provider resolves both. Properties whose names cannot be escaped, and schemas with no CEL
// type (an array without items, a property without a type), are left out. `nullable` does
// not change the type.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "cel/checker/types.h"
#include "common/json.h"

namespace haru::cel {

// Declared size limits by the same paths the types are named by ("Object.spec.containers",
// "Object.spec.containers.@idx.name"): maxLength for strings (characters), maxItems for
// arrays, maxProperties for maps. Only limits the schema states are recorded; a cost
// estimator can use them as upstream's MaxElements.
struct SchemaSizes {
  std::map<std::string, int64_t> max_elements;
};

struct SchemaTypeOptions {
  // The schema is the root of a resource: apiVersion, kind and metadata.{name,generateName}
  // are added when missing (upstream's WithTypeAndObjectMeta).
  bool resource_root = false;
  // When set, receives the declared size limits.
  SchemaSizes* sizes = nullptr;
};

// The type of values of `schema`, its objects named from `type_name` ("Object" for admission
// policies' object/oldObject, "Params" for params). Dyn when the schema has no CEL type.
TypePtr TypeFromSchema(const Json& schema, std::string_view type_name,
                       const SchemaTypeOptions& options = {});

// Upstream's property-name escaping; false when the name cannot be a CEL field.
bool EscapeFieldName(std::string_view name, std::string* out);

}  // namespace haru::cel
