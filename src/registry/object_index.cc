#include "registry/object_index.h"

#include "common/json.h"
#include "registry/keys.h"

namespace haru::registry {

std::shared_ptr<const void> IndexStoredObject(std::string_view key, const std::string& value) {
  auto index = std::make_shared<ObjectIndex>();
  Json obj = Json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!obj.is_object()) return index;
  const Json& meta = obj.contains("metadata") ? obj["metadata"] : Json::object();
  if (meta.is_object()) {
    index->ns = meta.value("namespace", "");
    index->name = meta.value("name", "");
    index->uid = meta.value("uid", "");
    if (auto it = meta.find("labels"); it != meta.end() && it->is_object()) {
      for (auto& [k, v] : it->items()) {
        if (v.is_string()) index->labels.emplace(k, v.get<std::string>());
      }
    }
    if (auto it = meta.find("ownerReferences"); it != meta.end() && it->is_array()) {
      index->has_owner_references = !it->empty();
    }
    index->deleting = meta.contains("deletionTimestamp") && !meta["deletionTimestamp"].is_null();
  }
  if (const api::KindSpec* kind = KindOfKey(key)) {
    for (const api::SelectableField& f : kind->selectable_fields) {
      index->fields.emplace_back(f.name, f.value ? f.value(obj) : "");
    }
  }
  return index;
}

std::shared_ptr<const ObjectIndex> IndexOf(const storage::KeyValue& kv) {
  if (kv.index) return std::static_pointer_cast<const ObjectIndex>(kv.index);
  if (!kv.value) return std::make_shared<ObjectIndex>();
  return std::static_pointer_cast<const ObjectIndex>(IndexStoredObject(kv.key, *kv.value));
}

}  // namespace haru::registry
