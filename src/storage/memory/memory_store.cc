#include "storage/memory/memory_store.h"

#include <deque>
#include <map>
#include <mutex>

#include "storage/internal/errors.h"
#include "storage/internal/keys.h"
#include "storage/internal/watch_hub.h"

namespace haru::storage {
namespace {

using internal::EventPtr;

struct Version {
  int64_t revision = 0;
  int64_t create_revision = 0;
  Bytes value;
  bool deleted = false;
};

class MemoryStore : public Store {
 public:
  StatusOr<int64_t> Create(std::string_view key, const ValueFn& value) override {
    std::lock_guard<std::mutex> l(mu_);
    const Version* cur = Latest(key);
    if (cur != nullptr) return internal::KeyExists(key);
    return Write(key, EventType::kAdded, 0, nullptr, value);
  }

  StatusOr<int64_t> Update(std::string_view key, int64_t expected_revision,
                           const ValueFn& value) override {
    std::lock_guard<std::mutex> l(mu_);
    const Version* cur = Latest(key);
    if (cur == nullptr) return internal::KeyNotFound(key);
    if (expected_revision != 0 && expected_revision != cur->revision) {
      return internal::RevisionConflict(key, expected_revision, cur->revision);
    }
    return Write(key, EventType::kModified, cur->create_revision, cur->value, value);
  }

  StatusOr<int64_t> Delete(std::string_view key, int64_t expected_revision,
                           const ValueFn& final_value) override {
    std::lock_guard<std::mutex> l(mu_);
    const Version* cur = Latest(key);
    if (cur == nullptr) return internal::KeyNotFound(key);
    if (expected_revision != 0 && expected_revision != cur->revision) {
      return internal::RevisionConflict(key, expected_revision, cur->revision);
    }
    return Write(key, EventType::kDeleted, cur->create_revision, cur->value, final_value);
  }

  StatusOr<KeyValue> Get(std::string_view key) override {
    std::lock_guard<std::mutex> l(mu_);
    const Version* cur = Latest(key);
    if (cur == nullptr) return internal::KeyNotFound(key);
    return KeyValue{std::string(key), cur->value, cur->create_revision, cur->revision, nullptr};
  }

  StatusOr<ListResult> List(const ListOptions& options) override {
    std::lock_guard<std::mutex> l(mu_);
    const int64_t at = options.revision == 0 ? revision_ : options.revision;
    if (at < compacted_) return internal::TooOld(at, compacted_);
    if (at > revision_) return internal::TooLarge(at, revision_);
    ListResult result;
    result.revision = at;
    auto it = keys_.lower_bound(options.prefix);
    if (!options.start_after.empty() && options.start_after >= options.prefix) {
      it = keys_.upper_bound(options.start_after);
    }
    for (; it != keys_.end() && internal::HasPrefix(it->first, options.prefix); ++it) {
      const Version* v = VersionAt(it->second, at);
      if (v == nullptr) continue;
      if (options.limit > 0 && static_cast<int64_t>(result.items.size()) == options.limit) {
        result.more = true;
        ++result.remaining;
        continue;
      }
      result.items.push_back(KeyValue{it->first, v->value, v->create_revision, v->revision, nullptr});
    }
    return result;
  }

  StatusOr<std::unique_ptr<WatchHandle>> Watch(const WatchOptions& options,
                                               EventSink sink) override {
    std::lock_guard<std::mutex> l(mu_);
    if (options.after_revision != 0 && options.after_revision < compacted_) {
      return internal::TooOld(options.after_revision, compacted_);
    }
    std::vector<EventPtr> initial;
    int64_t start = revision_;
    if (options.send_initial_events) {
      for (auto it = keys_.lower_bound(options.prefix);
           it != keys_.end() && internal::HasPrefix(it->first, options.prefix); ++it) {
        const Version* v = VersionAt(it->second, revision_);
        if (v == nullptr) continue;
        auto e = std::make_shared<Event>();
        e->type = EventType::kAdded;
        e->kv = KeyValue{it->first, v->value, v->create_revision, v->revision, nullptr};
        initial.push_back(std::move(e));
      }
      if (options.bookmark_after_initial_events) {
        auto b = std::make_shared<Event>();
        b->type = EventType::kBookmark;
        b->kv.mod_revision = revision_;
        initial.push_back(std::move(b));
      }
    } else if (options.after_revision != 0) {
      start = std::max(start, options.after_revision);
      auto it = std::upper_bound(log_.begin(), log_.end(), options.after_revision,
                                 [](int64_t rev, const EventPtr& e) { return rev < e->kv.mod_revision; });
      for (; it != log_.end(); ++it) {
        if (internal::HasPrefix((*it)->kv.key, options.prefix)) initial.push_back(*it);
      }
    }
    return hub_.Add(options, std::move(sink), start, std::move(initial));
  }

  int64_t Revision() override {
    std::lock_guard<std::mutex> l(mu_);
    return revision_;
  }

  int64_t CompactedRevision() override {
    std::lock_guard<std::mutex> l(mu_);
    return compacted_;
  }

  Status Compact(int64_t revision) override {
    std::lock_guard<std::mutex> l(mu_);
    if (revision > revision_) {
      return Status::BadRequest("compact revision " + std::to_string(revision) +
                                " is newer than the current revision " + std::to_string(revision_));
    }
    if (revision <= compacted_) return Status::OK();
    for (auto it = keys_.begin(); it != keys_.end();) {
      auto& versions = it->second;
      // Keep the newest version at or below `revision` (the state there) and everything after.
      size_t keep = 0;
      while (keep + 1 < versions.size() && versions[keep + 1].revision <= revision) ++keep;
      if (versions[keep].revision <= revision && versions[keep].deleted) ++keep;
      versions.erase(versions.begin(), versions.begin() + keep);
      it = versions.empty() ? keys_.erase(it) : std::next(it);
    }
    while (!log_.empty() && log_.front()->kv.mod_revision <= revision) log_.pop_front();
    compacted_ = revision;
    return Status::OK();
  }

  int64_t Count(std::string_view prefix) override {
    std::lock_guard<std::mutex> l(mu_);
    int64_t n = 0;
    for (auto it = keys_.lower_bound(prefix); it != keys_.end() && internal::HasPrefix(it->first, prefix);
         ++it) {
      if (!it->second.back().deleted) ++n;
    }
    return n;
  }

 private:
  // REQUIRES: mu_ held. The live version of key, or null.
  const Version* Latest(std::string_view key) {
    auto it = keys_.find(key);
    if (it == keys_.end() || it->second.back().deleted) return nullptr;
    return &it->second.back();
  }

  static const Version* VersionAt(const std::vector<Version>& versions, int64_t revision) {
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
      if (it->revision <= revision) return it->deleted ? nullptr : &*it;
    }
    return nullptr;
  }

  // REQUIRES: mu_ held, preconditions checked.
  int64_t Write(std::string_view key, EventType type, int64_t create_revision, Bytes prev,
                const ValueFn& fn) {
    const int64_t rev = revision_ + 1;
    auto value = std::make_shared<const std::string>(fn(rev));
    if (type == EventType::kAdded) create_revision = rev;
    auto [it, inserted] = keys_.try_emplace(std::string(key));
    it->second.push_back(Version{rev, create_revision, value, type == EventType::kDeleted});
    auto e = std::make_shared<Event>();
    e->type = type;
    e->kv = KeyValue{it->first, value, create_revision, rev, nullptr};
    e->prev_value = std::move(prev);
    EventPtr shared = std::move(e);
    log_.push_back(shared);
    revision_ = rev;
    hub_.Publish(std::move(shared));
    return rev;
  }

  std::mutex mu_;
  std::map<std::string, std::vector<Version>, std::less<>> keys_;  // GUARDED_BY(mu_)
  std::deque<EventPtr> log_;  // GUARDED_BY(mu_): every event newer than compacted_
  int64_t revision_ = 0;      // GUARDED_BY(mu_)
  int64_t compacted_ = 0;     // GUARDED_BY(mu_)
  internal::WatchHub hub_;    // last: its thread stops before the state above goes away
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace haru::storage
