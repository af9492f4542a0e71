#pragma once
// CacheController: the frame of a client-based controller. It owns ObjectCaches (list + watch)
// and a ReconcileLoop that runs Sync() when a cache changed, when a requested wake-up time has
// come, and every `resync` anyway. Subclasses write Sync() as a pass over what changed (the
// caches' TakeChanges() feeding WorkQueues); the first pass and every `resync` are full ones
// (TakeFullResync()), the safety net for anything an index missed. Tests refresh the caches
// (which records the differences) and call Sync() directly, with no threads.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "client/client.h"
#include "controllers/internal/controller_util.h"
#include "controllers/internal/object_cache.h"
#include "controllers/reconcile_loop.h"

namespace haru::controllers {

class CacheController {
 public:
  CacheController(client::Client* client, NowFn now);
  virtual ~CacheController();
  CacheController(const CacheController&) = delete;
  CacheController& operator=(const CacheController&) = delete;

  // Starts the caches' watches and the loop.
  void Start(std::chrono::milliseconds period = std::chrono::milliseconds(1000),
             std::chrono::seconds resync = std::chrono::seconds(30));
  void Stop();

  // Lists every cache now (tests, and a first consistent view).
  Status RefreshCaches();
  // One pass. Not thread-safe against itself: the loop, or a test, calls it.
  virtual void Sync() = 0;

 protected:
  ObjectCache* AddCache(const client::Resource& resource);
  // Asks for a pass at `unix_seconds` (the earliest request wins).
  void WakeAt(int64_t unix_seconds);
  int64_t Now() const { return now_(); }
  // Whether this pass must look at everything (the first pass, then every `resync`); clears it.
  bool TakeFullResync() { return full_resync_.exchange(false); }

  client::Client* client_;

 private:
  void MaybeSync();

  NowFn now_;
  std::vector<std::unique_ptr<ObjectCache>> caches_;
  std::unique_ptr<ReconcileLoop> loop_;
  std::chrono::seconds resync_{30};
  uint64_t synced_generation_ = ~uint64_t{0};
  int64_t last_full_sync_ = 0;
  std::atomic<int64_t> wake_at_{INT64_MAX};
  std::atomic<bool> full_resync_{true};
};

}  // namespace haru::controllers
