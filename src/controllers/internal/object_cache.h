#pragma once
// ObjectCache: a local copy of one resource, kept fresh by list + watch through a Client (a
// small informer for the controllers in this folder). Objects are immutable shared JSON, so a
// controller pass takes a snapshot without copying documents.
//
// Writes a controller makes are recorded with Apply() right away, so the next pass sees them
// even before their watch event arrives (upstream's "mutation cache"); a newer resourceVersion
// always wins.
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
  void Changed();

  client::Client* client_;
  client::Resource resource_;
  std::function<void()> on_change_;

  mutable std::mutex mu_;
  std::map<std::string, ObjectPtr> objects_;  // "ns/name"; GUARDED_BY(mu_)
  std::atomic<uint64_t> generation_{0};

  std::mutex run_mu_;
  std::condition_variable run_cv_;
  bool stopped_ = false;       // GUARDED_BY(run_mu_)
  bool watch_closed_ = false;  // GUARDED_BY(run_mu_)
  std::thread thread_;
};

}  // namespace haru::controllers
