// Informer: one run thread lists and (re)opens the watch; watch callbacks run on the watch's
// own thread. The two never dispatch handlers at the same time: the run thread lists only
// after it has stopped (joined) the previous watch, so handlers see one ordered stream.
#include "client/informer.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace haru::client {

namespace {

using Clock = std::chrono::steady_clock;

std::string ResourceVersionOf(const Json& obj) {
  if (!obj.is_object()) return "";
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return "";
  auto rv = meta->find("resourceVersion");
  return rv != meta->end() && rv->is_string() ? rv->get<std::string>() : "";
}

bool NeedsRelist(const Status& s) {
  return s.code() == StatusCode::kGone || s.code() == StatusCode::kExpired;
}

}  // namespace

struct Informer::Impl {
  Client* client;
  InformerOptions options;
  std::vector<InformerHandlers> handlers;

  mutable std::mutex mu;
  mutable std::condition_variable cv;
  std::map<std::string, ObjectPtr> cache;  // GUARDED_BY(mu)
  std::string last_rv;                     // GUARDED_BY(mu)
  bool stopping = false;                   // GUARDED_BY(mu)
  bool watch_ended = false;                // GUARDED_BY(mu)
  Status watch_status;                     // GUARDED_BY(mu)
  uint64_t watch_generation = 0;           // GUARDED_BY(mu)
  std::atomic<bool> synced{false};
  std::atomic<int64_t> list_count{0};
  std::thread thread;

  void Run();
  Status ListAll();
  // Returns whether to list again before the next watch.
  bool WatchOnce(std::chrono::milliseconds& backoff);
  bool OnEvent(const WatchEvent& e);
  // Sleeps up to d; false when stopping.
  bool Sleep(std::chrono::milliseconds d) {
    std::unique_lock lock(mu);
    return !cv.wait_for(lock, d, [&] { return stopping; });
  }
  bool Stopping() {
    std::lock_guard lock(mu);
    return stopping;
  }

  void Added(const ObjectPtr& obj) {
    for (auto& h : handlers) {
      if (h.on_add) h.on_add(obj);
    }
  }
  void Updated(const ObjectPtr& old_obj, const ObjectPtr& new_obj) {
    for (auto& h : handlers) {
      if (h.on_update) h.on_update(old_obj, new_obj);
    }
  }
  void Deleted(const ObjectPtr& obj) {
    for (auto& h : handlers) {
      if (h.on_delete) h.on_delete(obj);
    }
  }
};

void Informer::Impl::Run() {
  std::chrono::milliseconds backoff = options.initial_backoff;
  bool need_list = true;
  while (!Stopping()) {
    if (need_list) {
      Status s = ListAll();
      if (!s.ok()) {
        if (!Sleep(backoff)) return;
        backoff = std::min(backoff * 2, options.max_backoff);
        continue;
      }
      need_list = false;
    }
    need_list = WatchOnce(backoff);
  }
}

Status Informer::Impl::ListAll() {
  ListOptions lo;
  lo.label_selector = options.label_selector;
  lo.field_selector = options.field_selector;
  lo.limit = options.page_size;
  std::map<std::string, ObjectPtr> fresh;
  std::string rv;
  do {
    auto page = client->List(options.resource, options.ns, lo);
    if (!page.ok()) return page.status();
    for (Json& item : page->items) {
      auto obj = std::make_shared<const Json>(std::move(item));
      fresh.emplace(KeyOf(*obj), std::move(obj));
    }
    if (rv.empty()) rv = page->resource_version;  // later pages share the first's snapshot
    lo.continue_token = page->continue_token;
  } while (!lo.continue_token.empty() && !Stopping());
  if (Stopping()) return Status::OK();

  // Swap in the new state, then tell handlers what changed against the old one.
  std::map<std::string, ObjectPtr> old;
  {
    std::lock_guard lock(mu);
    old.swap(cache);
    cache = fresh;
    last_rv = rv;
  }
  list_count.fetch_add(1);
  for (const auto& [key, obj] : fresh) {
    auto it = old.find(key);
    if (it == old.end()) {
      Added(obj);
    } else {
      if (ResourceVersionOf(*it->second) != ResourceVersionOf(*obj)) Updated(it->second, obj);
      old.erase(it);
    }
  }
  for (const auto& [key, obj] : old) Deleted(obj);
  if (!synced.exchange(true)) {
    std::lock_guard lock(mu);
    cv.notify_all();
  }
  return Status::OK();
}

bool Informer::Impl::WatchOnce(std::chrono::milliseconds& backoff) {
  ListOptions lo;
  lo.label_selector = options.label_selector;
  lo.field_selector = options.field_selector;
  lo.shared_objects_only = true;  // the cache keeps the watch's shared object, no copy
  uint64_t generation;
  {
    std::lock_guard lock(mu);
    lo.resource_version = last_rv;
    watch_ended = false;
    watch_status = Status::OK();
    generation = ++watch_generation;
  }
  auto started = Clock::now();
  auto handle = client->Watch(
      options.resource, options.ns, lo, [this](const WatchEvent& e) { return OnEvent(e); },
      [this, generation](const Status& s) {
        std::lock_guard lock(mu);
        if (generation != watch_generation) return;
        watch_ended = true;
        watch_status = s;
        cv.notify_all();
      });
  if (!handle.ok()) {
    if (NeedsRelist(handle.status())) return true;
    if (!Sleep(backoff)) return false;
    backoff = std::min(backoff * 2, options.max_backoff);
    return false;
  }
  Status ended;
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return stopping || watch_ended; });
    ended = watch_status;
  }
  (*handle)->Stop();
  if (Stopping()) return false;
  if (NeedsRelist(ended)) return true;
  if (!ended.ok() || Clock::now() - started < std::chrono::seconds(1)) {
    // A lost connection or a watch that ends at once: wait before trying again.
    if (!Sleep(backoff)) return false;
    backoff = std::min(backoff * 2, options.max_backoff);
  } else {
    backoff = options.initial_backoff;
  }
  return false;
}

bool Informer::Impl::OnEvent(const WatchEvent& e) {
  std::string rv = ResourceVersionOf(e.Object());
  if (e.type == WatchEventType::kBookmark) {
    std::lock_guard lock(mu);
    if (!rv.empty()) last_rv = rv;
    return !stopping;
  }
  ObjectPtr obj = e.shared_object ? e.shared_object : std::make_shared<const Json>(e.object);
  std::string key = KeyOf(*obj);
  ObjectPtr old;
  {
    std::lock_guard lock(mu);
    if (stopping) return false;
    if (!rv.empty()) last_rv = rv;
    auto it = cache.find(key);
    if (it != cache.end()) old = it->second;
    if (e.type == WatchEventType::kDeleted) {
      if (it != cache.end()) cache.erase(it);
    } else if (it != cache.end()) {
      it->second = obj;
    } else {
      cache.emplace(key, obj);
    }
  }
  if (e.type == WatchEventType::kDeleted) {
    Deleted(obj);
  } else if (old == nullptr) {
    Added(obj);
  } else if (ResourceVersionOf(*old) != rv) {
    Updated(old, obj);
  }
  return true;
}

Informer::Informer(Client* client, InformerOptions options) : impl_(std::make_shared<Impl>()) {
  impl_->client = client;
  impl_->options = std::move(options);
  if (impl_->options.initial_backoff.count() <= 0) impl_->options.initial_backoff = std::chrono::milliseconds(100);
  if (impl_->options.max_backoff < impl_->options.initial_backoff) {
    impl_->options.max_backoff = impl_->options.initial_backoff;
  }
}

Informer::~Informer() { Stop(); }

void Informer::AddHandlers(InformerHandlers handlers) { impl_->handlers.push_back(std::move(handlers)); }

void Informer::Start() {
  if (impl_->thread.joinable()) return;
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

void Informer::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
    impl_->cv.notify_all();
  }
  if (impl_->thread.joinable()) impl_->thread.join();
}

bool Informer::HasSynced() const { return impl_->synced.load(); }

bool Informer::WaitForSync(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mu);
  impl_->cv.wait_for(lock, timeout, [&] { return impl_->synced.load() || impl_->stopping; });
  return impl_->synced.load();
}

std::string Informer::Key(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  std::string key;
  key.reserve(ns.size() + 1 + name.size());
  key.append(ns).append("/").append(name);
  return key;
}

std::string Informer::KeyOf(const Json& obj) {
  if (!obj.is_object()) return "";
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return "";
  return Key(meta->value("namespace", ""), meta->value("name", ""));
}

ObjectPtr Informer::Get(std::string_view ns, std::string_view name) const {
  std::string key = Key(ns, name);
  std::lock_guard lock(impl_->mu);
  auto it = impl_->cache.find(key);
  return it == impl_->cache.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> Informer::List(std::string_view ns) const {
  std::vector<ObjectPtr> out;
  std::lock_guard lock(impl_->mu);
  if (ns.empty()) {
    out.reserve(impl_->cache.size());
    for (const auto& [key, obj] : impl_->cache) out.push_back(obj);
    return out;
  }
  std::string prefix = std::string(ns) + "/";
  for (auto it = impl_->cache.lower_bound(prefix);
       it != impl_->cache.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->second);
  }
  return out;
}

size_t Informer::Size() const {
  std::lock_guard lock(impl_->mu);
  return impl_->cache.size();
}

std::string Informer::LastSyncResourceVersion() const {
  std::lock_guard lock(impl_->mu);
  return impl_->last_rv;
}

int64_t Informer::ListCount() const { return impl_->list_count.load(); }

}  // namespace haru::client
