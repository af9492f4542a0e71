#include "controllers/garbage_collector.h"

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <vector>

#include "controllers/reconcile_loop.h"

#include "common/json.h"
#include "registry/keys.h"
#include "registry/object_index.h"
#include "registry/registry.h"

namespace haru::controllers {

namespace {

struct Node {
  const api::KindSpec* kind = nullptr;
  std::string ns, name, uid;
  bool deleting = false;
  std::set<std::string> finalizers;
  std::vector<std::string> owner_uids;
};

bool HasFinalizer(const Node& n, const char* f) { return n.finalizers.count(f) > 0; }

void RemoveFinalizer(registry::Registry& registry, const Node& n, const std::string& finalizer) {
  registry::WriteOptions write;
  (void)registry.GuaranteedUpdate(
      *n.kind, n.ns, n.name, "",
      [&](const Json* current) -> StatusOr<Json> {
        Json next = *current;
        Json kept = Json::array();
        for (const Json& f : next["metadata"].value("finalizers", Json::array())) {
          if (f != finalizer) kept.push_back(f);
        }
        if (kept.empty()) {
          next["metadata"].erase("finalizers");
        } else {
          next["metadata"]["finalizers"] = kept;
        }
        return next;
      },
      write);
}

void RemoveOwnerReference(registry::Registry& registry, const Node& n, const std::string& uid) {
  registry::WriteOptions write;
  (void)registry.GuaranteedUpdate(
      *n.kind, n.ns, n.name, "",
      [&](const Json* current) -> StatusOr<Json> {
        Json next = *current;
        Json kept = Json::array();
        for (const Json& ref : next["metadata"].value("ownerReferences", Json::array())) {
          if (ref.value("uid", "") != uid) kept.push_back(ref);
        }
        if (kept.empty()) {
          next["metadata"].erase("ownerReferences");
        } else {
          next["metadata"]["ownerReferences"] = kept;
        }
        return next;
      },
      write);
}

void DeleteNode(registry::Registry& registry, const Node& n) {
  registry::DeleteOptions options;
  options.propagation_policy = "Background";
  registry::WriteOptions write;
  (void)registry.Delete(*n.kind, n.ns, n.name, options, write);
}

// The ownership graph: every object by uid, and the dependents of each owner uid.
struct Graph {
  std::unordered_map<std::string, Node> by_uid;
  std::unordered_map<std::string, std::set<std::string>> dependents;  // owner uid -> dependent uids

  // The node of a stored object; false when it has no kind or uid.
  static bool NodeOf(const storage::KeyValue& kv, Node* n) {
    auto index = registry::IndexOf(kv);
    n->kind = registry::KindOfKey(kv.key);
    if (n->kind == nullptr || index == nullptr || index->uid.empty()) return false;
    n->ns = index->ns;
    n->name = index->name;
    n->uid = index->uid;
    n->deleting = index->deleting;
    if ((index->has_owner_references || index->deleting) && kv.value) {
      Json obj = Json::parse(*kv.value, nullptr, false);
      if (!obj.is_object()) return false;
      const Json& meta = obj["metadata"];
      for (const Json& f : meta.value("finalizers", Json::array())) {
        if (f.is_string()) n->finalizers.insert(f.get<std::string>());
      }
      for (const Json& ref : meta.value("ownerReferences", Json::array())) {
        std::string owner = ref.value("uid", "");
        if (!owner.empty()) n->owner_uids.push_back(owner);
      }
    }
    return true;
  }
  void Remove(const std::string& uid) {
    auto it = by_uid.find(uid);
    if (it == by_uid.end()) return;
    for (const std::string& owner : it->second.owner_uids) {
      auto d = dependents.find(owner);
      if (d == dependents.end()) continue;
      d->second.erase(uid);
      if (d->second.empty()) dependents.erase(d);
    }
    by_uid.erase(it);
  }
  void Put(Node n) {
    Remove(n.uid);
    for (const std::string& owner : n.owner_uids) dependents[owner].insert(n.uid);
    std::string uid = n.uid;
    by_uid.emplace(std::move(uid), std::move(n));
  }
};

// Applies the rules to the objects in `uids`.
void Collect(registry::Registry& registry, const Graph& g, const std::set<std::string>& uids) {
  for (const std::string& uid : uids) {
    auto node = g.by_uid.find(uid);
    if (node == g.by_uid.end()) continue;
    const Node& n = node->second;
    // Dependents whose owners are all gone.
    if (!n.owner_uids.empty() && !n.deleting) {
      bool any_owner = false;
      for (const std::string& owner : n.owner_uids) any_owner |= g.by_uid.count(owner) > 0;
      if (!any_owner) DeleteNode(registry, n);
    }
    if (!n.deleting) continue;
    static const std::set<std::string> kNone;
    auto deps_it = g.dependents.find(uid);
    const std::set<std::string>& deps = deps_it == g.dependents.end() ? kNone : deps_it->second;
    if (HasFinalizer(n, "orphan")) {
      for (const std::string& d : deps) {
        auto dep = g.by_uid.find(d);
        if (dep != g.by_uid.end()) RemoveOwnerReference(registry, dep->second, uid);
      }
      RemoveFinalizer(registry, n, "orphan");
    } else if (HasFinalizer(n, "foregroundDeletion")) {
      bool remaining = false;
      for (const std::string& d : deps) {
        auto dep = g.by_uid.find(d);
        if (dep == g.by_uid.end()) continue;
        remaining = true;
        if (!dep->second.deleting) DeleteNode(registry, dep->second);
      }
      if (!remaining) RemoveFinalizer(registry, n, "foregroundDeletion");
    }
  }
}

// Lists the whole store into `g`; returns the list's revision, or -1.
int64_t Build(registry::Registry& registry, Graph* g) {
  storage::ListOptions all;
  all.prefix = "/registry/";
  auto listed = registry.store()->List(all);
  if (!listed.ok()) return -1;
  *g = Graph();
  for (const auto& kv : listed->items) {
    Node n;
    if (Graph::NodeOf(kv, &n)) g->Put(std::move(n));
  }
  return listed->revision;
}

class WatchingCollector : public GarbageCollector {
 public:
  WatchingCollector(registry::Registry* registry, int resync_seconds)
      : registry_(registry), resync_(resync_seconds) {
    loop_ = std::make_unique<ReconcileLoop>(std::chrono::milliseconds(500), [this] { Pass(); });
  }
  ~WatchingCollector() override { Stop(); }
  void Stop() override {
    if (loop_) loop_->Stop();
    watch_.reset();
  }

 private:
  void Pass() {
    auto now = std::chrono::steady_clock::now();
    if (revision_ < 0 || now - last_full_ >= std::chrono::seconds(resync_)) {
      Full();
      last_full_ = now;
      return;
    }
    std::vector<std::shared_ptr<const storage::Event>> events;
    {
      std::lock_guard lock(mu_);
      events.swap(events_);
    }
    if (events.empty()) return;
    std::set<std::string> dirty;
    for (const auto& e : events) {
      if (e->type == storage::EventType::kBookmark || e->kv.mod_revision <= revision_) continue;
      Node n;
      if (!Graph::NodeOf(e->kv, &n)) continue;
      auto mark_owners = [&](const Node& x) { dirty.insert(x.owner_uids.begin(), x.owner_uids.end()); };
      if (auto old = graph_.by_uid.find(n.uid); old != graph_.by_uid.end()) mark_owners(old->second);
      if (e->type == storage::EventType::kDeleted) {
        if (auto d = graph_.dependents.find(n.uid); d != graph_.dependents.end()) {
          dirty.insert(d->second.begin(), d->second.end());
        }
        graph_.Remove(n.uid);
      } else {
        mark_owners(n);
        dirty.insert(n.uid);
        graph_.Put(std::move(n));
      }
    }
    Collect(*registry_, graph_, dirty);
  }

  void Full() {
    watch_.reset();
    {
      std::lock_guard lock(mu_);
      events_.clear();
    }
    int64_t revision = Build(*registry_, &graph_);
    if (revision < 0) return;  // the next pass tries again
    storage::WatchOptions options;
    options.prefix = "/registry/";
    options.after_revision = revision;
    auto watch = registry_->store()->Watch(options, [this](const std::shared_ptr<const storage::Event>& e) {
      {
        std::lock_guard lock(mu_);
        events_.push_back(e);
      }
      loop_->Poke();
      return true;
    });
    if (!watch.ok()) return;
    watch_ = std::move(*watch);
    revision_ = revision;
    std::set<std::string> all;
    for (const auto& [uid, n] : graph_.by_uid) {
      if (!n.owner_uids.empty() || n.deleting) all.insert(uid);
    }
    Collect(*registry_, graph_, all);
  }

  registry::Registry* registry_;
  int resync_;
  Graph graph_;
  int64_t revision_ = -1;
  std::chrono::steady_clock::time_point last_full_{};
  std::mutex mu_;
  std::vector<std::shared_ptr<const storage::Event>> events_;  // GUARDED_BY(mu_)
  std::unique_ptr<storage::WatchHandle> watch_;
  std::unique_ptr<ReconcileLoop> loop_;
};

}  // namespace

std::unique_ptr<GarbageCollector> StartGarbageCollector(registry::Registry* registry, int resync_seconds) {
  return std::make_unique<WatchingCollector>(registry, resync_seconds);
}

void CollectGarbage(registry::Registry& registry) {
  Graph g;
  if (Build(registry, &g) < 0) return;
  std::set<std::string> all;
  for (const auto& [uid, n] : g.by_uid) {
    if (!n.owner_uids.empty() || n.deleting) all.insert(uid);
  }
  Collect(registry, g, all);
}

}  // namespace haru::controllers
