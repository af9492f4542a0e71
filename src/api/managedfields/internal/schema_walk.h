#pragma once
// How structured-merge-diff sees a schema node: the element relationship of a value (struct,
// granular map, list-map, set, or an atomic/leaf value) and the path element key of list
// items. Shared by the field-set, compare, merge and prune walks.

#include <string>
#include <vector>

#include "api/schema/schema.h"
#include "common/json.h"

namespace haru::api::managedfields::internal {

// A position in the schema: the node's schema plus the struct field that declared it, which
// carries the list semantics (listType, listMapKeys, patch strategy).
struct Type {
  const Schema* schema = nullptr;
  const Field* field = nullptr;
};

enum class Shape { kAtomic, kStruct, kMap, kListMap, kSet };

// The shape of `value` at `type`. Values that do not match their schema, kAny
// (preserve-unknown-fields) and fields without a schema are atomic.
Shape ShapeOf(const Type& type, const Json& value);

// The whole object: a struct even without a schema (its fields are then atomic).
Type RootType(const Schema* schema);
Type ChildType(const Type& type, Shape shape, const std::string& key);  // struct field or map value
Type ItemType(const Type& type);                                        // list item

// The FieldsV1 key of a list item: `k:{"name":"c"}` (list-map), `v:"x"` (set), and `i:<n>`
// for a list-map item that lacks every key field.
std::string ItemKey(const Type& list_type, Shape shape, const Json& item, size_t index);

// An empty object or list, or null: structured-merge-diff treats it as a leaf.
bool IsEmptyValue(const Json& value);

}  // namespace haru::api::managedfields::internal
