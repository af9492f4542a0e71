#pragma once
// Test fixtures for client tests (header-only, so nothing here is linked into the library):
// a Registry on the memory store behind a watch cache, and small valid objects.

#include <map>
#include <memory>
#include <string>

#include "common/json.h"
#include "registry/object_index.h"
#include "registry/registry.h"
#include "storage/memory/memory_store.h"
#include "storage/watch_cache/watch_cache.h"

namespace haru::client::test {

class TestRegistry {
 public:
  explicit TestRegistry(std::unique_ptr<storage::Store> store)
      : store_(std::move(store)), registry_(std::make_unique<registry::Registry>(store_.get())) {}
  registry::Registry* registry() { return registry_.get(); }
  storage::Store* store() { return store_.get(); }

 private:
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
};

// event_window: events the cache keeps for watches that resume from an older revision.
inline std::unique_ptr<TestRegistry> NewTestRegistry(size_t event_window = 10000) {
  storage::WatchCacheOptions options;
  options.event_window = event_window;
  auto cache = storage::NewWatchCache(storage::NewMemoryStore(), &registry::IndexStoredObject, options);
  if (!cache.ok()) return nullptr;
  return std::make_unique<TestRegistry>(std::move(cache).value());
}

inline Json ConfigMap(const std::string& name, const std::map<std::string, std::string>& data) {
  Json cm = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}};
  if (!data.empty()) cm["data"] = data;
  return cm;
}

inline Json Pod(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}}},
          {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "busybox"}}})}}}};
}

}  // namespace haru::client::test
