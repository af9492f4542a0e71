#include "storage/watch_cache/watch_cache.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "storage/internal/errors.h"
#include "storage/internal/keys.h"
#include "storage/internal/watch_hub.h"

namespace haru::storage {
namespace {

using internal::EventPtr;

class WatchCache : public Store {
 public:
  WatchCache(std::unique_ptr<Store> backend, Indexer indexer, WatchCacheOptions options)
      : backend_(std::move(backend)),
        indexer_(std::move(indexer)),
        options_(options),
        hub_(options.bookmark_interval) {}

  ~WatchCache() override {
    // Stop the feed first: after this no callback touches the members below.
    backend_watch_.reset();
  }

  Status Start();

  StatusOr<int64_t> Create(std::string_view key, const ValueFn& value) override {
    return AfterApplied(backend_->Create(key, value));
  }
  StatusOr<int64_t> Update(std::string_view key, int64_t expected, const ValueFn& value) override {
    return AfterApplied(backend_->Update(key, expected, value));
  }
  StatusOr<int64_t> Delete(std::string_view key, int64_t expected, const ValueFn& value) override {
    return AfterApplied(backend_->Delete(key, expected, value));
  }

  StatusOr<KeyValue> Get(std::string_view key) override {
    std::shared_lock<std::shared_mutex> l(mu_);
    auto it = items_.find(key);
    if (it == items_.end()) return internal::KeyNotFound(key);
    return it->second.ToKeyValue(it->first);
  }

  StatusOr<ListResult> List(const ListOptions& options) override {
    {
      std::shared_lock<std::shared_mutex> l(mu_);
      if (options.revision == 0 || options.revision == revision_) return ListLocked(options);
    }
    // An exact older snapshot: only the backend has it.
    HARU_ASSIGN_OR_RETURN(ListResult r, backend_->List(options));
    for (auto& kv : r.items) kv.index = Index(kv.key, kv.value);
    return r;
  }

  StatusOr<std::unique_ptr<WatchHandle>> Watch(const WatchOptions& options,
                                               EventSink sink) override;

  int64_t Revision() override { return applied_.load(); }
  int64_t CompactedRevision() override { return backend_->CompactedRevision(); }
  Status Compact(int64_t revision) override { return backend_->Compact(revision); }

  int64_t Count(std::string_view prefix) override {
    std::shared_lock<std::shared_mutex> l(mu_);
    int64_t n = 0;
    for (auto it = items_.lower_bound(prefix);
         it != items_.end() && internal::HasPrefix(it->first, prefix); ++it) {
      ++n;
    }
    return n;
  }

 private:
  std::shared_ptr<const void> Index(std::string_view key, const Bytes& value) {
    if (!indexer_ || !value) return nullptr;
    return indexer_(key, *value);
  }

  // Read-your-writes: a write returns once the cache has applied its revision. Each writer
  // waits on its own condition variable and is woken only when its revision is applied;
  // waking every writer for every applied event cost a quarter of the CPU under load.
  StatusOr<int64_t> AfterApplied(StatusOr<int64_t> r) {
    if (r.ok()) {
      std::unique_lock<std::mutex> l(applied_mu_);
      if (applied_.load() < *r) {
        AppliedWaiter waiter;
        waiters_.emplace(*r, &waiter);
        waiter.cv.wait(l, [&] { return waiter.done; });
      }
    }
    return r;
  }

  struct AppliedWaiter {
    std::condition_variable cv;
    bool done = false;  // GUARDED_BY(applied_mu_)
  };

  ListResult ListLocked(const ListOptions& options);
  bool OnEvent(const EventPtr& e);

  std::unique_ptr<Store> backend_;
  const Indexer indexer_;
  const WatchCacheOptions options_;

  std::shared_mutex mu_;  // exclusive to apply an event, shared to read or register a watcher
  // A cached object: KeyValue without the key, which the map holds once.
  struct Item {
    Bytes value;
    int64_t create_revision = 0;
    int64_t mod_revision = 0;
    std::shared_ptr<const void> index;

    KeyValue ToKeyValue(const std::string& key) const {
      return KeyValue{key, value, create_revision, mod_revision, index};
    }
    static Item From(KeyValue&& kv) {
      return Item{std::move(kv.value), kv.create_revision, kv.mod_revision, std::move(kv.index)};
    }
  };
  // Indexes list items on up to two threads (start-up: the index parse dominates).
  void IndexAll(std::vector<KeyValue>& items);

  std::map<std::string, Item, std::less<>> items_;  // GUARDED_BY(mu_)
  std::deque<EventPtr> window_;                          // GUARDED_BY(mu_)
  // Every event with revision > window_start_ is in window_.
  int64_t window_start_ = 0;  // GUARDED_BY(mu_)
  int64_t revision_ = 0;      // GUARDED_BY(mu_): items_ reflect this revision

  std::mutex applied_mu_;
  std::condition_variable applied_cv_;  // start-up: the backend's history replay arrived
  std::multimap<int64_t, AppliedWaiter*> waiters_;  // GUARDED_BY(applied_mu_), by revision
  std::atomic<int64_t> applied_{0};   // == revision_, readable without mu_
  int64_t received_ = 0;              // GUARDED_BY(applied_mu_): newest event seen, prefill too
  bool starting_ = false;             // GUARDED_BY(applied_mu_): Start() waits on applied_cv_

  internal::WatchHub hub_;
  std::unique_ptr<WatchHandle> backend_watch_;
};

Status WatchCache::Start() {
  Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    HARU_ASSIGN_OR_RETURN(ListResult list, backend_->List(ListOptions{}));
    const int64_t at = list.revision;
    // Prefill the window from the backend's history so clients that resume from a revision
    // just before a restart need not relist. after_revision 0 means "now", so start at >= 1.
    int64_t start = 0;
    if (at > 0) {
      start = std::max<int64_t>({backend_->CompactedRevision(),
                                 at - static_cast<int64_t>(options_.event_window), 1});
      start = std::min(start, at);
    }
    {
      std::unique_lock<std::shared_mutex> l(mu_);
      items_.clear();
      window_.clear();
      IndexAll(list.items);
      // The list is sorted by key: hinted inserts at the end are O(1).
      for (auto& kv : list.items) {
        std::string key = std::move(kv.key);
        items_.emplace_hint(items_.end(), std::move(key), Item::From(std::move(kv)));
      }
      list.items.clear();
      list.items.shrink_to_fit();
      revision_ = at;
      window_start_ = start == 0 ? at : start;
      applied_.store(at);
      hub_.SetRevision(at);
    }
    {
      std::lock_guard<std::mutex> l(applied_mu_);
      received_ = start;
    }
    WatchOptions wo;
    wo.after_revision = start;
    auto handle = backend_->Watch(wo, [this](const EventPtr& e) { return OnEvent(e); });
    if (!handle.ok()) {
      last = handle.status();
      if (last.Is(StatusCode::kGone)) continue;  // compacted meanwhile: list again
      return last;
    }
    backend_watch_ = std::move(*handle);
    {
      std::unique_lock<std::mutex> l(applied_mu_);
      starting_ = true;
      bool arrived =
          applied_cv_.wait_for(l, options_.start_timeout, [&] { return received_ >= at; });
      starting_ = false;
      if (!arrived) {
        return Status::Internal("watch cache: backend history replay to revision " +
                                std::to_string(at) + " did not arrive");
      }
    }
#if defined(__GLIBC__)
    // Hand the start-up buffers (the backend's list and history rows) back to the system.
    malloc_trim(0);
#endif
    return Status::OK();
  }
  return last;
}

bool WatchCache::OnEvent(const EventPtr& e) {
  if (e->type == EventType::kBookmark) return true;
  const int64_t rev = e->kv.mod_revision;
  auto ev = std::make_shared<Event>(*e);
  {
    // History replayed at start repeats values the initial list already read and indexed:
    // share them, so the window holds no second copy of the bytes.
    std::shared_lock<std::shared_mutex> l(mu_);
    auto it = items_.find(ev->kv.key);
    if (it != items_.end() && it->second.mod_revision == rev && ev->type != EventType::kDeleted) {
      ev->kv.index = it->second.index;
      ev->kv.value = it->second.value;
    }
  }
  if (!ev->kv.index) ev->kv.index = Index(ev->kv.key, ev->kv.value);  // unlocked: may parse JSON
  {
    std::unique_lock<std::shared_mutex> l(mu_);
    if (rev > revision_) {
      auto it = items_.find(ev->kv.key);
      // The cache knows the previous value even where the backend did not send it.
      if (it != items_.end() && ev->type != EventType::kAdded) ev->prev_value = it->second.value;
      if (ev->type == EventType::kDeleted) {
        if (it != items_.end()) items_.erase(it);
      } else if (it != items_.end()) {
        it->second = Item{ev->kv.value, ev->kv.create_revision, ev->kv.mod_revision, ev->kv.index};
      } else {
        items_.emplace(ev->kv.key,
                       Item{ev->kv.value, ev->kv.create_revision, ev->kv.mod_revision, ev->kv.index});
      }
      revision_ = rev;
      applied_.store(rev);
      hub_.Publish(ev);
    }
    // Replayed history (rev <= revision_) only fills the window: items_ already include it.
    window_.push_back(ev);
    while (window_.size() > options_.event_window) {
      window_start_ = window_.front()->kv.mod_revision;
      window_.pop_front();
    }
  }
  {
    std::lock_guard<std::mutex> l(applied_mu_);
    received_ = rev;
    const int64_t applied = applied_.load();
    auto end = waiters_.upper_bound(applied);
    for (auto it = waiters_.begin(); it != end; ++it) {
      it->second->done = true;
      it->second->cv.notify_one();
    }
    waiters_.erase(waiters_.begin(), end);
    if (starting_) applied_cv_.notify_all();
  }
  return true;
}

ListResult WatchCache::ListLocked(const ListOptions& options) {
  ListResult r;
  r.revision = revision_;
  auto it = items_.lower_bound(options.prefix);
  if (!options.start_after.empty() && options.start_after >= options.prefix) {
    it = items_.upper_bound(options.start_after);
  }
  for (; it != items_.end() && internal::HasPrefix(it->first, options.prefix); ++it) {
    if (options.limit > 0 && static_cast<int64_t>(r.items.size()) == options.limit) {
      r.more = true;
      ++r.remaining;
      continue;
    }
    r.items.push_back(it->second.ToKeyValue(it->first));
  }
  return r;
}

StatusOr<std::unique_ptr<WatchHandle>> WatchCache::Watch(const WatchOptions& options,
                                                         EventSink sink) {
  // Shared is enough: events are published under the exclusive lock, so none can slip
  // between the snapshot below and the registration.
  std::shared_lock<std::shared_mutex> l(mu_);
  std::vector<EventPtr> initial;
  int64_t start = revision_;
  const int64_t after = options.after_revision;
  if (options.send_initial_events) {
    for (auto it = items_.lower_bound(options.prefix);
         it != items_.end() && internal::HasPrefix(it->first, options.prefix); ++it) {
      auto e = std::make_shared<Event>();
      e->kv = it->second.ToKeyValue(it->first);
      initial.push_back(std::move(e));
    }
    if (options.bookmark_after_initial_events) {
      auto b = std::make_shared<Event>();
      b->type = EventType::kBookmark;
      b->kv.mod_revision = revision_;
      initial.push_back(std::move(b));
    }
  } else if (after != 0) {
    if (after < window_start_) return internal::TooOld(after, window_start_);
    // Every revision a client saw came from this cache (writes return once applied), so a
    // newer one belongs to another store: a data dir restored from an older backup, or another
    // server. Starting at it would silently skip the events up to it; refuse, like upstream's
    // "Too large resource version", so the client relists.
    if (after > revision_) return internal::TooLarge(after, revision_);
    auto it = std::upper_bound(window_.begin(), window_.end(), after,
                               [](int64_t rev, const EventPtr& e) { return rev < e->kv.mod_revision; });
    for (; it != window_.end(); ++it) {
      if ((*it)->kv.mod_revision > revision_) break;
      if (internal::HasPrefix((*it)->kv.key, options.prefix)) initial.push_back(*it);
    }
    start = std::max(start, after);
  }
  return hub_.Add(options, std::move(sink), start, std::move(initial));
}

void WatchCache::IndexAll(std::vector<KeyValue>& items) {
  if (!indexer_) return;
  auto run = [this, &items](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) items[i].index = Index(items[i].key, items[i].value);
  };
  const size_t n = items.size();
  if (n < 2048 || std::thread::hardware_concurrency() < 2) {
    run(0, n);
    return;
  }
  // Indexer is thread-safe (see watch_cache.h); each thread writes only its own half.
  std::thread second(run, n / 2, n);
  run(0, n / 2);
  second.join();
}

}  // namespace

StatusOr<std::unique_ptr<Store>> NewWatchCache(std::unique_ptr<Store> backend, Indexer indexer,
                                               WatchCacheOptions options) {
  if (backend == nullptr) return Status::BadRequest("watch cache: no backend");
  auto cache = std::make_unique<WatchCache>(std::move(backend), std::move(indexer), options);
  HARU_RETURN_IF_ERROR(cache->Start());
  return std::unique_ptr<Store>(std::move(cache));
}

}  // namespace haru::storage
