#include "storage/internal/watch_hub.h"

#include <algorithm>
#include <atomic>

#include "storage/internal/keys.h"

namespace haru::storage::internal {

struct WatchHub::Watcher {
  std::string prefix;
  EventSink sink;
  bool periodic_bookmarks = false;
  std::thread::id dispatch_thread;
  std::vector<EventPtr> initial;  // moved out by the dispatch thread
  int64_t last_revision = 0;      // dispatch thread only
  // Held while the sink runs, so Cancel() can wait for an in-flight call to finish.
  std::mutex call_mu;
  std::atomic<bool> cancelled{false};
};

class WatchHub::Handle : public WatchHandle {
 public:
  explicit Handle(std::shared_ptr<Watcher> w) : w_(std::move(w)) {}
  ~Handle() override { Cancel(); }
  void Cancel() override {
    w_->cancelled.store(true);
    // From inside the sink the call lock is already ours; elsewhere wait for the call to end.
    if (std::this_thread::get_id() != w_->dispatch_thread) {
      std::lock_guard<std::mutex> l(w_->call_mu);
    }
  }

 private:
  std::shared_ptr<Watcher> w_;
};

WatchHub::WatchHub(std::chrono::milliseconds bookmark_interval)
    : bookmark_interval_(bookmark_interval), thread_([this] { Run(); }) {}

WatchHub::~WatchHub() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void WatchHub::SetRevision(int64_t revision) {
  std::lock_guard<std::mutex> l(mu_);
  initial_revision_ = revision;
}

void WatchHub::Publish(std::vector<EventPtr> events) {
  if (events.empty()) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (queue_.empty()) {
      queue_ = std::move(events);
    } else {
      queue_.insert(queue_.end(), std::make_move_iterator(events.begin()),
                    std::make_move_iterator(events.end()));
    }
  }
  cv_.notify_one();
}

void WatchHub::Publish(EventPtr event) {
  {
    std::lock_guard<std::mutex> l(mu_);
    queue_.push_back(std::move(event));
  }
  cv_.notify_one();
}

std::unique_ptr<WatchHandle> WatchHub::Add(const WatchOptions& options, EventSink sink,
                                           int64_t start_revision,
                                           std::vector<EventPtr> initial) {
  auto w = std::make_shared<Watcher>();
  w->prefix = options.prefix;
  w->sink = std::move(sink);
  w->periodic_bookmarks = options.periodic_bookmarks;
  w->dispatch_thread = thread_.get_id();
  w->initial = std::move(initial);
  w->last_revision = start_revision;
  {
    std::lock_guard<std::mutex> l(mu_);
    added_.push_back(w);
    ++watcher_count_;
  }
  cv_.notify_one();
  return std::make_unique<Handle>(std::move(w));
}

size_t WatchHub::watcher_count() {
  std::lock_guard<std::mutex> l(mu_);
  return watcher_count_;
}

void WatchHub::Deliver(Watcher& w, const EventPtr& e) {
  std::lock_guard<std::mutex> l(w.call_mu);
  if (w.cancelled.load(std::memory_order_relaxed)) return;
  if (!w.sink(e)) w.cancelled.store(true);
}

void WatchHub::Run() {
  using Clock = std::chrono::steady_clock;
  const bool bookmarks = bookmark_interval_.count() > 0;
  auto next_bookmark = Clock::now() + bookmark_interval_;
  std::vector<EventPtr> events;
  std::vector<std::shared_ptr<Watcher>> added;
  for (;;) {
    {
      std::unique_lock<std::mutex> l(mu_);
      auto ready = [&] { return stop_ || !queue_.empty() || !added_.empty(); };
      if (bookmarks) {
        cv_.wait_until(l, next_bookmark, ready);
      } else {
        cv_.wait(l, ready);
      }
      if (stop_) return;
      if (dispatched_revision_ < initial_revision_) dispatched_revision_ = initial_revision_;
      events.swap(queue_);
      added.swap(added_);
    }
    for (auto& w : added) {
      for (const auto& e : w->initial) Deliver(*w, e);
      w->initial.clear();
      watchers_.push_back(std::move(w));
    }
    added.clear();
    for (const auto& e : events) {
      const int64_t rev = e->kv.mod_revision;
      for (const auto& w : watchers_) {
        if (rev <= w->last_revision || !HasPrefix(e->kv.key, w->prefix)) continue;
        w->last_revision = rev;
        Deliver(*w, e);
      }
      dispatched_revision_ = std::max(dispatched_revision_, rev);
    }
    events.clear();
    if (bookmarks && Clock::now() >= next_bookmark) {
      next_bookmark = Clock::now() + bookmark_interval_;
      auto bookmark = std::make_shared<Event>();
      bookmark->type = EventType::kBookmark;
      bookmark->kv.mod_revision = dispatched_revision_;
      EventPtr shared = std::move(bookmark);
      for (const auto& w : watchers_) {
        if (w->periodic_bookmarks && w->last_revision <= dispatched_revision_) {
          Deliver(*w, shared);
        }
      }
    }
    size_t before = watchers_.size();
    std::erase_if(watchers_, [](const auto& w) { return w->cancelled.load(); });
    if (watchers_.size() != before) {
      std::lock_guard<std::mutex> l(mu_);
      watcher_count_ -= before - watchers_.size();
    }
  }
}

}  // namespace haru::storage::internal
