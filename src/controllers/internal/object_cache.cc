#include "controllers/internal/object_cache.h"

#include <charconv>
#include <chrono>

namespace haru::controllers {

std::string ObjectCache::KeyOf(std::string_view ns, std::string_view name) {
  std::string key(ns);
  key += '/';
  key += name;
  return key;
}

std::string ObjectCache::KeyOf(const Json& object) {
  static const Json kEmpty = Json::object();
  const Json& meta = object.contains("metadata") ? object["metadata"] : kEmpty;
  return KeyOf(meta.value("namespace", ""), meta.value("name", ""));
}

namespace {

std::string VersionOf(const Json& object) {
  if (!object.contains("metadata")) return "";
  return object["metadata"].value("resourceVersion", "");
}

// -1 when the version is not a number (then the newcomer wins).
int64_t Revision(std::string_view rv) {
  int64_t out = -1;
  auto [p, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), out);
  if (ec != std::errc() || p != rv.data() + rv.size()) return -1;
  return out;
}

}  // namespace

ObjectCache::ObjectCache(client::Client* client, client::Resource resource)
    : client_(client), resource_(std::move(resource)) {}

ObjectCache::~ObjectCache() { Stop(); }

Status ObjectCache::Refresh() {
  StatusOr<client::ObjectList> listed = client_->List(resource_, "", {});
  if (!listed.ok()) return listed.status();
  Replace(listed->items);
  Changed();
  return Status::OK();
}

void ObjectCache::Replace(std::vector<Json>& items) {
  std::map<std::string, ObjectPtr> fresh;
  for (Json& item : items) {
    std::string key = KeyOf(item);
    fresh.emplace(std::move(key), std::make_shared<const Json>(std::move(item)));
  }
  std::lock_guard lock(mu_);
  // Both maps are ordered by key: one merge walk finds what was added, changed or removed.
  auto old_it = objects_.begin();
  auto new_it = fresh.begin();
  while (old_it != objects_.end() || new_it != fresh.end()) {
    if (new_it == fresh.end() || (old_it != objects_.end() && old_it->first < new_it->first)) {
      Record(old_it->first, old_it->second, nullptr);
      ++old_it;
    } else if (old_it == objects_.end() || new_it->first < old_it->first) {
      Record(new_it->first, nullptr, new_it->second);
      ++new_it;
    } else {
      if (VersionOf(*old_it->second) != VersionOf(*new_it->second)) {
        Record(new_it->first, old_it->second, new_it->second);
      }
      ++old_it;
      ++new_it;
    }
  }
  objects_ = std::move(fresh);
}

void ObjectCache::Record(const std::string& key, const ObjectPtr& before, const ObjectPtr& after) {
  auto [it, inserted] = change_index_.emplace(key, changes_.size());
  if (inserted) {
    changes_.push_back({key, before, after});
  } else {
    changes_[it->second].after = after;
  }
}

std::vector<ObjectCache::Change> ObjectCache::TakeChanges() {
  std::lock_guard lock(mu_);
  std::vector<Change> out;
  out.reserve(changes_.size());
  for (Change& c : changes_) {
    // Created and deleted again between two passes: there was nothing to see, and handlers
    // rely on at least one side being set.
    if (!c.before && !c.after) continue;
    out.push_back(std::move(c));
  }
  changes_.clear();
  change_index_.clear();
  return out;
}

void ObjectCache::Start(std::function<void()> on_change) {
  on_change_ = std::move(on_change);
  thread_ = std::thread([this] { Run(); });
}

void ObjectCache::Stop() {
  {
    std::lock_guard lock(run_mu_);
    if (stopped_) return;
    stopped_ = true;
    run_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void ObjectCache::Run() {
  using namespace std::chrono_literals;
  auto wait_for = [this](std::chrono::milliseconds d, bool until_closed) {
    std::unique_lock lock(run_mu_);
    if (until_closed) {
      run_cv_.wait(lock, [this] { return stopped_ || watch_closed_; });
    } else {
      run_cv_.wait_for(lock, d, [this] { return stopped_; });
    }
    watch_closed_ = false;
    return !stopped_;
  };
  while (true) {
    {
      std::lock_guard lock(run_mu_);
      if (stopped_) return;
    }
    StatusOr<client::ObjectList> listed = client_->List(resource_, "", {});
    if (!listed.ok()) {
      if (!wait_for(1000ms, false)) return;
      continue;
    }
    Replace(listed->items);
    Changed();

    client::ListOptions from;
    from.resource_version = listed->resource_version;
    // Every controller watching a resource shares one parsed object per event.
    from.shared_objects_only = true;
    auto handle = client_->Watch(
        resource_, "", from,
        [this](const client::WatchEvent& e) {
          bool changed = false;
          switch (e.type) {
            case client::WatchEventType::kAdded:
            case client::WatchEventType::kModified:
              changed = Put(e.shared_object ? e.shared_object : std::make_shared<const Json>(e.object));
              break;
            case client::WatchEventType::kDeleted:
              changed = Erase(KeyOf(e.Object()), VersionOf(e.Object()));
              break;
            case client::WatchEventType::kBookmark:
              break;
          }
          if (changed) Changed();
          return true;
        },
        [this](const Status&) {
          std::lock_guard lock(run_mu_);
          watch_closed_ = true;
          run_cv_.notify_all();
        });
    if (!handle.ok()) {
      if (!wait_for(1000ms, false)) return;
      continue;
    }
    bool running = wait_for(0ms, /*until_closed=*/true);
    (*handle)->Stop();
    if (!running) return;
    if (!wait_for(200ms, false)) return;  // a short pause before relisting
  }
}

bool ObjectCache::Put(ObjectPtr object) {
  std::string key = KeyOf(*object);
  std::lock_guard lock(mu_);
  auto it = objects_.find(key);
  if (it != objects_.end()) {
    int64_t have = Revision(VersionOf(*it->second));
    int64_t got = Revision(VersionOf(*object));
    if (have >= 0 && got >= 0 && got <= have) return false;
    Record(key, it->second, object);
    it->second = std::move(object);
    return true;
  }
  Record(key, nullptr, object);
  objects_.emplace(std::move(key), std::move(object));
  return true;
}

bool ObjectCache::Erase(const std::string& key, std::string_view resource_version) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return false;
  int64_t have = Revision(VersionOf(*it->second));
  int64_t got = Revision(resource_version);
  // A newer object under the same name (re-created since) stays.
  if (have >= 0 && got >= 0 && have > got) return false;
  Record(key, it->second, nullptr);
  objects_.erase(it);
  return true;
}

void ObjectCache::Changed() {
  generation_.fetch_add(1);
  if (on_change_) on_change_();
}

std::vector<ObjectPtr> ObjectCache::List() const {
  std::lock_guard lock(mu_);
  std::vector<ObjectPtr> out;
  out.reserve(objects_.size());
  for (const auto& [key, obj] : objects_) out.push_back(obj);
  return out;
}

ObjectPtr ObjectCache::Get(std::string_view ns, std::string_view name) const {
  return GetKey(KeyOf(ns, name));
}

ObjectPtr ObjectCache::GetKey(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second;
}

void ObjectCache::Apply(const Json& object) {
  if (Put(std::make_shared<const Json>(object))) generation_.fetch_add(1);
}

void ObjectCache::Forget(std::string_view ns, std::string_view name) {
  std::string key = KeyOf(ns, name);
  std::lock_guard lock(mu_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return;
  Record(key, it->second, nullptr);
  objects_.erase(it);
  generation_.fetch_add(1);
}

}  // namespace haru::controllers
