#pragma once
// Store is haru's storage interface: a revisioned key-value store in the shape of etcd's v3
// API, narrowed to what the registry needs. One monotonic revision counter orders every write;
// writes are compare-and-swap on the key's mod revision; watches deliver committed writes in
// revision order from any revision not yet compacted. Backends: memory (tests), sqlite
// (default), etcd (later); the watch cache wraps any backend and implements the same interface.
//
// Thread-safe: every method may be called from any thread. Writes block the calling thread
// until the write is durable (group commit: concurrent writers share one fsync).
//
// Errors (haru::Status codes, storage vocabulary; the registry maps them to API statuses):
//   kNotFound       key absent (Get, Update, Delete)
//   kAlreadyExists  Create of a key that exists
//   kConflict       Update/Delete whose expected revision is not the key's mod revision
//   kGone           a revision older than the compacted revision (List at revision, Watch)
//   kTimeout        a revision newer than the store's (List at revision; Watch on the watch
//                   cache, whose every revision was handed out by itself)
//   kInternalError  I/O failure (disk full, read-only dir); nothing was written

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace haru::storage {

// Produces the bytes to store once the write's revision is known, so a stored object can carry
// its own resourceVersion. Called exactly once per successful write, while the store holds its
// ordering lock: it must be cheap and must not call back into the store.
using ValueFn = std::function<std::string(int64_t revision)>;

// Bytes are shared and immutable: the watch cache, lists and watch events hand out the same
// buffer without copying.
using Bytes = std::shared_ptr<const std::string>;

struct KeyValue {
  std::string key;
  Bytes value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  // Set by the watch cache from its Indexer (see watch_cache.h); null from plain backends.
  std::shared_ptr<const void> index;
};

// Watch event types. kBookmark carries only a revision: every event up to it was delivered.
enum class EventType { kAdded, kModified, kDeleted, kBookmark };

struct Event {
  EventType type = EventType::kAdded;
  // kAdded/kModified: the new value. kDeleted: the value the delete's ValueFn produced, with
  // mod_revision = the delete's revision. kBookmark: only kv.mod_revision is set.
  KeyValue kv;
  Bytes prev_value;  // kModified/kDeleted: the value before the write (may be null)
};

struct ListOptions {
  std::string prefix;       // keys starting with it
  std::string start_after;  // exclusive lower bound on the key (continue tokens); "" = none
  int64_t limit = 0;        // 0 = no limit
  int64_t revision = 0;     // 0 = latest; otherwise the snapshot at that revision (kGone if compacted)
};

struct ListResult {
  std::vector<KeyValue> items;  // ordered by key
  int64_t revision = 0;         // the snapshot the list was taken at
  bool more = false;            // another page exists after items.back().key
  int64_t remaining = 0;        // keys left after this page, when known (else 0)
};

// Delivers events to a watcher. Called from the store's delivery thread, in revision order;
// must not block. Returning false cancels the watch (closed or too-slow client).
using EventSink = std::function<bool(const std::shared_ptr<const Event>&)>;

struct WatchOptions {
  std::string prefix;
  // Deliver events with revision > after_revision. 0 = from the current revision.
  int64_t after_revision = 0;
  // First deliver every key under prefix at the start revision as kAdded (upstream's watch
  // with resourceVersion "0"/unset, and sendInitialEvents=true).
  bool send_initial_events = false;
  // After the initial events, deliver one kBookmark at the start revision (watch-list's
  // "initial-events-end" marker).
  bool bookmark_after_initial_events = false;
  // Also deliver a kBookmark with the latest delivered revision every bookmark interval (watch
  // cache only; upstream's allowWatchBookmarks). Backends ignore it.
  bool periodic_bookmarks = false;
};

// Cancels the watch when destroyed. After Cancel() returns, the sink is never called again.
class WatchHandle {
 public:
  virtual ~WatchHandle() = default;
  virtual void Cancel() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Writes return the revision of the write.
  virtual StatusOr<int64_t> Create(std::string_view key, const ValueFn& value) = 0;
  // expected_revision: the key's current mod revision; 0 = any (unconditional).
  virtual StatusOr<int64_t> Update(std::string_view key, int64_t expected_revision,
                                   const ValueFn& value) = 0;
  // The ValueFn gives the object's final state, carried by the kDeleted event.
  virtual StatusOr<int64_t> Delete(std::string_view key, int64_t expected_revision,
                                   const ValueFn& final_value) = 0;

  virtual StatusOr<KeyValue> Get(std::string_view key) = 0;
  virtual StatusOr<ListResult> List(const ListOptions& options) = 0;
  virtual StatusOr<std::unique_ptr<WatchHandle>> Watch(const WatchOptions& options,
                                                       EventSink sink) = 0;

  // The newest committed revision.
  virtual int64_t Revision() = 0;
  // The oldest revision still readable (List at revision / Watch after it).
  virtual int64_t CompactedRevision() = 0;
  // Drops history older than `revision`. Runs in small slices; never stalls writes for long.
  virtual Status Compact(int64_t revision) = 0;
  // Number of live keys under prefix (metrics).
  virtual int64_t Count(std::string_view prefix) = 0;
};

}  // namespace haru::storage
