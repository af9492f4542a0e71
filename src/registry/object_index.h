#pragma once
// The small parsed index the watch cache keeps beside each stored object's bytes: what LIST
// and WATCH need to filter without parsing the object again (DESIGN.md "bytes plus a small
// index").

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/selectors/label_selector.h"
#include "storage/store.h"

namespace haru::registry {

struct ObjectIndex {
  std::string ns;
  std::string name;
  std::string uid;
  Labels labels;
  // The kind's selectable fields (KindSpec::selectable_fields), in declaration order: the name
  // views the KindSpec's own string (specs are immutable and live for the process).
  std::vector<std::pair<std::string_view, std::string>> fields;
  bool has_owner_references = false;
  bool deleting = false;  // metadata.deletionTimestamp is set
};

// The watch cache's Indexer: parses the value once when it enters the cache.
std::shared_ptr<const void> IndexStoredObject(std::string_view key, const std::string& value);

// The index of a cached KeyValue; builds one on the fly for values from plain backends.
std::shared_ptr<const ObjectIndex> IndexOf(const storage::KeyValue& kv);

}  // namespace haru::registry
