#include "api/managedfields/internal/schema_walk.h"

namespace haru::api::managedfields::internal {

namespace {

// Upstream converts a list without x-kubernetes-list-type but with a strategic merge key into
// an associative list keyed by it, and a scalar list with strategy "merge" into a set.
std::vector<std::string> ListMapKeys(const Field& f) {
  if (f.list_type == "map") {
    if (!f.list_map_keys.empty()) return f.list_map_keys;
    if (!f.patch_merge_key.empty()) return {f.patch_merge_key};
    return {};
  }
  if (f.list_type.empty() && !f.patch_merge_key.empty()) return {f.patch_merge_key};
  return {};
}

bool IsSet(const Field& f) {
  if (f.list_type == "set") return true;
  return f.list_type.empty() && f.patch_merge_key.empty() &&
         f.patch_strategy.find("merge") != std::string::npos;
}

}  // namespace

Shape ShapeOf(const Type& type, const Json& value) {
  if (type.schema == nullptr) return Shape::kAtomic;
  switch (type.schema->type) {
    case SchemaType::kObject: return value.is_object() ? Shape::kStruct : Shape::kAtomic;
    case SchemaType::kMap: return value.is_object() ? Shape::kMap : Shape::kAtomic;
    case SchemaType::kArray: {
      if (!value.is_array() || type.field == nullptr) return Shape::kAtomic;
      if (!ListMapKeys(*type.field).empty()) return Shape::kListMap;
      if (IsSet(*type.field)) return Shape::kSet;
      return Shape::kAtomic;
    }
    default: return Shape::kAtomic;
  }
}

Type RootType(const Schema* schema) {
  static const Schema* const kUntyped = [] {
    auto* s = new Schema();
    s->type = SchemaType::kObject;
    return s;
  }();
  return {schema != nullptr ? schema : kUntyped, nullptr};
}

Type ChildType(const Type& type, Shape shape, const std::string& key) {
  if (type.schema == nullptr) return {};
  if (shape == Shape::kMap) return {type.schema->additional_properties, nullptr};
  const Field* f = type.schema->FindField(key);
  if (f == nullptr) return {};
  return {f->schema, f};
}

Type ItemType(const Type& type) {
  if (type.schema == nullptr) return {};
  return {type.schema->items, nullptr};
}

std::string ItemKey(const Type& list_type, Shape shape, const Json& item, size_t index) {
  if (shape == Shape::kSet) return "v:" + item.dump();
  Json key = Json::object();
  if (item.is_object() && list_type.field != nullptr) {
    for (const std::string& k : ListMapKeys(*list_type.field)) {
      auto it = item.find(k);
      if (it != item.end() && !it->is_null()) key[k] = *it;
    }
  }
  if (key.empty()) return "i:" + std::to_string(index);
  return "k:" + key.dump();
}

bool IsEmptyValue(const Json& value) {
  return value.is_null() || (value.is_structured() && value.empty());
}

}  // namespace haru::api::managedfields::internal
