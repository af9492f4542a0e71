#pragma once
// ObjectCache: a local copy of one resource, kept fresh by list + watch through a Client (a
// small informer for the controllers in this folder). Objects are immutable shared JSON, so a
// controller pass takes a snapshot without copying documents.
//
// Writes a controller makes are recorded with Apply() right away, so the next pass sees them
// even before their watch event arrives (upstream's "mutation cache"); a newer resourceVersion
// always wins.
//
// Every change is also recorded, keyed by "ns/name", with the object before the first change
// not yet taken and after the last one (null when absent), so a controller can handle only
// what moved since its last pass (an informer's event handlers feeding a work queue). A relist
// records the difference with what the cache held.
//
// Thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "client/client.h"
#include "common/json.h"
#include "common/status.h"

namespace haru::controllers {

using ObjectPtr = std::shared_ptr<const Json>;

class ObjectCache {
 public:
  ObjectCache(client::Client* client, client::Resource resource);
  ~ObjectCache();
  ObjectCache(const ObjectCache&) = delete;
  ObjectCache& operator=(const ObjectCache&) = delete;

  // Lists the resource now and replaces the contents (start-up, tests).
  Status Refresh();
  // Keeps the cache fresh on a thread of its own: list, then watch from the list's
  // resourceVersion; relists when the watch ends. `on_change` runs after every change it
  // applies, on that thread; keep it short (a Poke()).
  void Start(std::function<void()> on_change);
  void Stop();

  std::vector<ObjectPtr> List() const;
  ObjectPtr Get(std::string_view ns, std::string_view name) const;
  ObjectPtr GetKey(const std::string& key) const;
  static std::string KeyOf(std::string_view ns, std::string_view name);
  static std::string KeyOf(const Json& object);

  struct Change {
    std::string key;
    ObjectPtr before;  // null when it did not exist
    ObjectPtr after;   // null when it is gone
  };
  // The changes recorded since the last call, oldest key first; clears the record.
  std::vector<Change> TakeChanges();
  // Records an object this process just wrote (its response body).
  void Apply(const Json& object);
  // Records that an object is gone.
  void Forget(std::string_view ns, std::string_view name);
  // Bumped by every change; lets a controller skip a pass when nothing moved.
  uint64_t generation() const { return generation_.load(); }

 private:
  void Run();
  // Stores `object` unless the cache holds a newer version; returns whether it changed.
  bool Put(ObjectPtr object);
  bool Erase(const std::string& key, std::string_view resource_version);
  // Replaces the contents with a fresh list, recording what differs.
  void Replace(std::vector<Json>& items);
  // REQUIRES: mu_ is held.
  void Record(const std::string& key, const ObjectPtr& before, const ObjectPtr& after);
  void Changed();

  client::Client* client_;
  client::Resource resource_;
  std::function<void()> on_change_;

  mutable std::mutex mu_;
  std::map<std::string, ObjectPtr> objects_;  // "ns/name"; GUARDED_BY(mu_)
  std::map<std::string, size_t> change_index_;  // key -> position in changes_; GUARDED_BY(mu_)
  std::vector<Change> changes_;                 // GUARDED_BY(mu_)
  std::atomic<uint64_t> generation_{0};

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stopped_ = false;       // GUARDED_BY(run_mu_)
  bool watch_closed_ = false;  // GUARDED_BY(run_mu_)
  std::thread thread_;
};

}  // namespace haru::controllers
