#include "controllers/garbage_collector.h"

#include <map>
#include <set>

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

}  // namespace

void CollectGarbage(registry::Registry& registry) {
  storage::ListOptions all;
  all.prefix = "/registry/";
  auto listed = registry.store()->List(all);
  if (!listed.ok()) return;

  std::map<std::string, Node> by_uid;
  std::multimap<std::string, std::string> dependents;  // owner uid -> dependent uid
  for (const auto& kv : listed->items) {
    auto index = registry::IndexOf(kv);
    Node n;
    n.kind = registry::KindOfKey(kv.key);
    if (n.kind == nullptr || index->uid.empty()) continue;
    n.ns = index->ns;
    n.name = index->name;
    n.uid = index->uid;
    n.deleting = index->deleting;
    if (index->has_owner_references || index->deleting) {
      Json obj = Json::parse(*kv.value, nullptr, false);
      if (!obj.is_object()) continue;
      const Json& meta = obj["metadata"];
      for (const Json& f : meta.value("finalizers", Json::array())) {
        if (f.is_string()) n.finalizers.insert(f.get<std::string>());
      }
      for (const Json& ref : meta.value("ownerReferences", Json::array())) {
        std::string owner = ref.value("uid", "");
        if (owner.empty()) continue;
        n.owner_uids.push_back(owner);
        dependents.emplace(owner, n.uid);
      }
    }
    by_uid.emplace(n.uid, std::move(n));
  }

  for (const auto& [uid, n] : by_uid) {
    // Dependents whose owners are all gone.
    if (!n.owner_uids.empty() && !n.deleting) {
      bool any_owner = false;
      for (const std::string& owner : n.owner_uids) any_owner |= by_uid.count(owner) > 0;
      if (!any_owner) DeleteNode(registry, n);
    }
    if (!n.deleting) continue;
    auto [first, last] = dependents.equal_range(uid);
    if (HasFinalizer(n, "orphan")) {
      for (auto it = first; it != last; ++it) {
        auto dep = by_uid.find(it->second);
        if (dep != by_uid.end()) RemoveOwnerReference(registry, dep->second, uid);
      }
      RemoveFinalizer(registry, n, "orphan");
    } else if (HasFinalizer(n, "foregroundDeletion")) {
      bool remaining = false;
      for (auto it = first; it != last; ++it) {
        auto dep = by_uid.find(it->second);
        if (dep == by_uid.end()) continue;
        remaining = true;
        if (!dep->second.deleting) DeleteNode(registry, dep->second);
      }
      if (!remaining) RemoveFinalizer(registry, n, "foregroundDeletion");
    }
  }
}

}  // namespace haru::controllers
