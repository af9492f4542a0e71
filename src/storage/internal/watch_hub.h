#pragma once
// WatchHub fans committed events out to watchers on one dispatch thread, in revision order.
// A store publishes each event once; every matching watcher gets the same shared_ptr. Sinks
// run on the dispatch thread, so a slow sink delays the others but never a writer.
//
// Thread-safe. Gap-free registration is the owner's job: it must serialize Publish() with
// "read the state at revision P, then Add(..., P, initial)" (usually under its own mutex), so a
// watcher added at P receives exactly the published events with revision > P.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "storage/store.h"

namespace haru::storage::internal {

using EventPtr = std::shared_ptr<const Event>;

class WatchHub {
 public:
  // bookmark_interval > 0: every interval, watchers with periodic_bookmarks get a kBookmark at
  // the latest dispatched revision.
  explicit WatchHub(std::chrono::milliseconds bookmark_interval = std::chrono::milliseconds(0));
  ~WatchHub();  // Stops the dispatch thread; undelivered events are dropped.

  WatchHub(const WatchHub&) = delete;
  WatchHub& operator=(const WatchHub&) = delete;

  // Revision that bookmarks report before the first event is published.
  void SetRevision(int64_t revision);

  // REQUIRES: events in increasing revision order, each newer than everything published.
  void Publish(std::vector<EventPtr> events);
  void Publish(EventPtr event);

  // Delivers `initial` first (as given), then published events under options.prefix with
  // revision > start_revision.
  std::unique_ptr<WatchHandle> Add(const WatchOptions& options, EventSink sink,
                                   int64_t start_revision, std::vector<EventPtr> initial);

  size_t watcher_count();

 private:
  struct Watcher;
  class Handle;

  void Run();
  void Deliver(Watcher& w, const EventPtr& e);

  const std::chrono::milliseconds bookmark_interval_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                           // GUARDED_BY(mu_)
  std::vector<EventPtr> queue_;                 // GUARDED_BY(mu_)
  std::vector<std::shared_ptr<Watcher>> added_;  // GUARDED_BY(mu_)
  size_t watcher_count_ = 0;                    // GUARDED_BY(mu_)
  int64_t initial_revision_ = 0;                // GUARDED_BY(mu_)

  // Owned by the dispatch thread.
  std::vector<std::shared_ptr<Watcher>> watchers_;
  int64_t dispatched_revision_ = 0;

  std::thread thread_;  // last: starts after every member above is ready
};

}  // namespace haru::storage::internal
