#pragma once
// Informer keeps a local copy of one resource (optionally one namespace, filtered by
// selectors) up to date: it lists, then watches from the list's resourceVersion, and when the
// watch ends it watches again from the last seen resourceVersion, or lists again (with
// backoff) when that is too old (410) or the watch cannot be opened. After a relist, objects
// that vanished are reported as deleted and changed ones as updated, so handlers see a
// consistent stream, as client-go's reflector + DeltaFIFO + shared informer do.
//
// Thread-safe: Get/List/HasSynced may be called from any thread. Handlers run one at a time,
// on the informer's own threads, in event order, after the cache has been updated; they may
// read the cache and call the Client, but must not call Stop().

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client/client.h"

namespace haru::client {

using ObjectPtr = std::shared_ptr<const Json>;

struct InformerOptions {
  Resource resource;
  std::string ns;  // "" = every namespace
  std::string label_selector;
  std::string field_selector;
  // Page size of the list; 0 = one request. Default: 0.
  int64_t page_size = 0;
  // Relist backoff after a failure: doubles from initial to max. Default: 100 ms .. 10 s.
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{10000};
};

struct InformerHandlers {
  std::function<void(const ObjectPtr& obj)> on_add;
  // Only when the resourceVersion changed.
  std::function<void(const ObjectPtr& old_obj, const ObjectPtr& new_obj)> on_update;
  // The last known state (for a relist, the cached object).
  std::function<void(const ObjectPtr& obj)> on_delete;
};

class Informer {
 public:
  // REQUIRES: client outlives the informer.
  Informer(Client* client, InformerOptions options);
  ~Informer();  // Stop()

  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // REQUIRES: before Start().
  void AddHandlers(InformerHandlers handlers);
  // Starts listing and watching in the background. Returns at once.
  void Start();
  // Stops the watch and joins; no handler runs after it returns. Idempotent.
  void Stop();

  // The first list has been applied (and its on_add handlers have run).
  bool HasSynced() const;
  // Waits until HasSynced() or the timeout; returns HasSynced().
  bool WaitForSync(std::chrono::milliseconds timeout) const;

  // "namespace/name" for namespaced objects, "name" otherwise (client-go's key).
  static std::string Key(std::string_view ns, std::string_view name);
  static std::string KeyOf(const Json& obj);

  // Cached object by key parts; null when absent.
  ObjectPtr Get(std::string_view ns, std::string_view name) const;
  // Every cached object (ns "" = all), in key order.
  std::vector<ObjectPtr> List(std::string_view ns = "") const;
  size_t Size() const;
  // The newest resourceVersion the cache reflects ("" before the first list).
  std::string LastSyncResourceVersion() const;
  // How many times a full list was made (1 after the first sync); for tests and metrics.
  int64_t ListCount() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace haru::client
