#pragma once
// The watch cache: an in-memory copy of a backend's current state plus a window of recent
// events, in front of any Store. Get, List at the latest revision, Count and Revision are
// served from memory; List at an explicit revision goes to the backend; writes go to the
// backend and return once the cache has applied them (read-your-writes). Watches fan out on
// one dispatch thread, each event allocated once and shared by every watcher. Thread-safe.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/store.h"

namespace haru::storage {

// Computes the small parsed index kept beside each stored value (KeyValue::index), once per
// stored value. Runs on the cache's apply thread; must be thread-safe and must not call the
// cache.
using Indexer =
    std::function<std::shared_ptr<const void>(std::string_view key, const std::string& value)>;

struct WatchCacheOptions {
  // Events kept for watchers resuming from an older revision. Default: 10000.
  size_t event_window = 10000;
  // Period of kBookmark events for watchers that set WatchOptions::periodic_bookmarks.
  std::chrono::milliseconds bookmark_interval{std::chrono::seconds(60)};
  // Longest wait for the backend's history replay while starting. Default: 30 s.
  std::chrono::milliseconds start_timeout{std::chrono::seconds(30)};
};

// Lists the backend, then follows its watch. indexer may be null (no index).
StatusOr<std::unique_ptr<Store>> NewWatchCache(std::unique_ptr<Store> backend, Indexer indexer,
                                               WatchCacheOptions options = {});

}  // namespace haru::storage
