#include "controllers/resourceclaim_controller.h"

#include <algorithm>
#include <map>
#include <set>

namespace haru::controllers {

namespace {

// A claim's consumer list holds at most this many entries (ResourceClaimReservedForMaxSize).
constexpr size_t kReservedForMaxSize = 256;

// Whether it is certain that none of the pod's containers run or will run again.
bool IsPodDone(const Json& pod) {
  return IsPodTerminal(pod) || (IsDeleting(pod) && Str(Field(pod, "spec"), "nodeName").empty());
}

// The pod that owns a generated claim: its controlling ownerReference of kind v1 Pod.
const Json& OwningPodRef(const Json& claim) {
  static const Json kNull;
  const Json& ref = ControllerRef(claim);
  if (Str(ref, "apiVersion") == "v1" && Str(ref, "kind") == "Pod") return ref;
  return kNull;
}

bool IsForPod(const Json& pod, const Json& claim) {
  const Json& ref = OwningPodRef(claim);
  return !ref.is_null() && Str(ref, "uid") == Uid(pod);
}

bool IsReservedFor(const Json& claim, const std::string& uid) {
  for (const Json& r : Arr(Field(claim, "status"), "reservedFor")) {
    if (Str(r, "uid") == uid) return true;
  }
  return false;
}

bool IsAllocated(const Json& claim) {
  const Json& a = Field(Field(claim, "status"), "allocation");
  return !a.is_null();
}

// The generateName upstream uses: "<pod>-<claim>-", both parts shortened in proportion when
// that would leave no room for the random suffix in a 63-character name.
std::string ClaimGenerateName(const std::string& pod, const std::string& claim) {
  constexpr size_t kMaxBaseLen = 57;
  std::string base = pod + "-" + claim + "-";
  if (base.size() <= kMaxBaseLen) return base;
  size_t len = base.size();
  return pod.substr(0, pod.size() * kMaxBaseLen / len) + "-" +
         claim.substr(0, claim.size() * kMaxBaseLen / len);
}

// How a pod's claim entry resolves: the claim's name ("" when it still has to be created),
// whether the claim must be owned by the pod, and whether no claim is needed at all.
struct ClaimRef {
  std::string name;
  bool check_owner = false;
  bool not_needed = false;
  std::string template_name;
};

ClaimRef Resolve(const Json& pod, const Json& pod_claim) {
  ClaimRef out;
  std::string entry = Str(pod_claim, "name");
  if (std::string direct = Str(pod_claim, "resourceClaimName"); !direct.empty()) {
    out.name = direct;
    return out;
  }
  out.template_name = Str(pod_claim, "resourceClaimTemplateName");
  if (out.template_name.empty()) {
    out.not_needed = true;
    return out;
  }
  out.check_owner = true;
  for (const Json& s : Arr(Field(pod, "status"), "resourceClaimStatuses")) {
    if (Str(s, "name") != entry) continue;
    const Json& generated = Field(s, "resourceClaimName");
    if (!generated.is_string()) {
      out.not_needed = true;  // recorded as "no claim needed"
    } else {
      out.name = generated.get<std::string>();
    }
    break;
  }
  return out;
}

}  // namespace

ResourceClaimController::ResourceClaimController(client::Client* client, NowFn now)
    : CacheController(client, std::move(now)), events_(client, "resource_claim") {
  pods_ = AddCache(kPods);
  claims_ = AddCache(kResourceClaims);
  templates_ = AddCache(kResourceClaimTemplates);
}

void ResourceClaimController::Sync() {
  const int64_t now = Now();
  std::vector<ObjectCache::Change> pod_changes = pods_->TakeChanges();
  std::vector<ObjectCache::Change> claim_changes = claims_->TakeChanges();
  bool templates_changed = !templates_->TakeChanges().empty();
  if (TakeFullResync()) {
    claims_by_pod_.clear();
    pods_by_claim_.clear();
    claims_by_reserved_pod_.clear();
    for (const ObjectPtr& claim : claims_->List()) OnClaim(nullptr, claim);
    for (const ObjectPtr& pod : pods_->List()) OnPod(nullptr, pod);
  } else {
    for (const ObjectCache::Change& c : claim_changes) OnClaim(c.before, c.after);
    for (const ObjectCache::Change& c : pod_changes) OnPod(c.before, c.after);
  }
  // A pod waiting for a missing template tries again when templates change.
  if (templates_changed) pod_queue_.RetryFailedNow();

  for (const std::string& key : pod_queue_.Take(now)) {
    ObjectPtr pod = pods_->GetKey(key);
    if (!pod || SyncPod(*pod)) {
      pod_queue_.Done(key);
    } else {
      pod_queue_.Retry(key, now);
    }
  }
  for (const std::string& key : claim_queue_.Take(now)) {
    ObjectPtr claim = claims_->GetKey(key);
    if (!claim || SyncClaim(*claim)) {
      claim_queue_.Done(key);
    } else {
      claim_queue_.Retry(key, now);
    }
  }
  int64_t wake = std::min(pod_queue_.NextWake(), claim_queue_.NextWake());
  if (wake != INT64_MAX) WakeAt(wake);
}

namespace {

// Adds or removes `value` under each of `keys`.
void IndexUpdate(std::unordered_map<std::string, std::set<std::string>>& index,
                 const std::set<std::string>& old_keys, const std::set<std::string>& new_keys,
                 const std::string& value) {
  for (const std::string& k : old_keys) {
    if (new_keys.count(k)) continue;
    auto it = index.find(k);
    if (it == index.end()) continue;
    it->second.erase(value);
    if (it->second.empty()) index.erase(it);
  }
  for (const std::string& k : new_keys) index[k].insert(value);
}

// The claims ("ns/name") a pod names in its spec or status.
std::set<std::string> ClaimsNamedBy(const ObjectPtr& pod) {
  std::set<std::string> out;
  if (!pod) return out;
  const std::string ns = Namespace(*pod);
  for (const Json& pc : Arr(Field(*pod, "spec"), "resourceClaims")) {
    if (std::string n = Str(pc, "resourceClaimName"); !n.empty()) out.insert(ObjectCache::KeyOf(ns, n));
  }
  for (const Json& st : Arr(Field(*pod, "status"), "resourceClaimStatuses")) {
    if (std::string n = Str(st, "resourceClaimName"); !n.empty()) out.insert(ObjectCache::KeyOf(ns, n));
  }
  return out;
}

// The pods ("ns/name") in a claim's status.reservedFor.
std::set<std::string> ReservedPods(const ObjectPtr& claim) {
  std::set<std::string> out;
  if (!claim) return out;
  for (const Json& r : Arr(Field(*claim, "status"), "reservedFor")) {
    if (Str(r, "resource") == "pods") out.insert(ObjectCache::KeyOf(Namespace(*claim), Str(r, "name")));
  }
  return out;
}

std::set<std::string> OwnerUid(const ObjectPtr& claim) {
  if (!claim) return {};
  const Json& ref = OwningPodRef(*claim);
  if (ref.is_null()) return {};
  return {Str(ref, "uid")};
}

}  // namespace

void ResourceClaimController::OnPod(const ObjectPtr& before, const ObjectPtr& after) {
  const ObjectPtr& any = after ? after : before;
  const std::string key = ObjectCache::KeyOf(*any);
  if (after) pod_queue_.Add(key);
  IndexUpdate(pods_by_claim_, ClaimsNamedBy(before), ClaimsNamedBy(after), key);
  // Claims the pod's state matters to: those reserved for it and those generated for it.
  if (auto it = claims_by_reserved_pod_.find(key); it != claims_by_reserved_pod_.end()) {
    for (const std::string& c : it->second) claim_queue_.Add(c);
  }
  for (const ObjectPtr& p : {before, after}) {
    if (!p) continue;
    if (auto it = claims_by_pod_.find(Uid(*p)); it != claims_by_pod_.end()) {
      for (const std::string& c : it->second) claim_queue_.Add(c);
    }
  }
}

void ResourceClaimController::OnClaim(const ObjectPtr& before, const ObjectPtr& after) {
  const ObjectPtr& any = after ? after : before;
  const std::string key = ObjectCache::KeyOf(*any);
  if (after) claim_queue_.Add(key);
  std::set<std::string> reserved_before = ReservedPods(before), reserved_after = ReservedPods(after);
  IndexUpdate(claims_by_reserved_pod_, reserved_before, reserved_after, key);
  IndexUpdate(claims_by_pod_, OwnerUid(before), OwnerUid(after), key);
  // Pods the claim's state matters to: its owner, the pods naming it, those it was reserved for.
  for (const ObjectPtr& c : {before, after}) {
    if (!c) continue;
    const Json& ref = OwningPodRef(*c);
    if (!ref.is_null()) pod_queue_.Add(ObjectCache::KeyOf(Namespace(*c), Str(ref, "name")));
  }
  if (auto it = pods_by_claim_.find(key); it != pods_by_claim_.end()) {
    for (const std::string& p : it->second) pod_queue_.Add(p);
  }
  for (const std::string& p : reserved_before) pod_queue_.Add(p);
  for (const std::string& p : reserved_after) pod_queue_.Add(p);
}

bool ResourceClaimController::SyncPod(const Json& pod) {
  if (IsDeleting(pod) || IsPodDone(pod)) return true;
  const Json& pod_claims = Arr(Field(pod, "spec"), "resourceClaims");
  if (pod_claims.empty()) return true;
  const std::string ns = Namespace(pod);
  const std::string pod_name = Name(pod);
  const std::string pod_uid = Uid(pod);

  Json new_statuses = Json::array();
  std::map<std::string, std::string> resolved;  // pod claim name -> claim name
  for (const Json& pc : pod_claims) {
    std::string entry = Str(pc, "name");
    ClaimRef ref = Resolve(pod, pc);
    if (ref.not_needed) continue;
    if (!ref.name.empty()) {
      ObjectPtr claim = claims_->Get(ns, ref.name);
      if (!ref.check_owner || (claim && IsForPod(pod, *claim))) {
        resolved[entry] = ref.name;
        continue;
      }
      // Recorded, but gone or no longer the pod's: make a new one, as upstream does.
    }
    // A claim created for this entry before the pod status recorded it.
    ObjectPtr existing;
    if (auto it = claims_by_pod_.find(pod_uid); it != claims_by_pod_.end()) {
      for (const std::string& key : it->second) {
        ObjectPtr c = claims_->GetKey(key);
        if (c && Str(Field(Field(*c, "metadata"), "annotations"), kPodClaimNameAnnotation) == entry &&
            !IsDeleting(*c) && IsForPod(pod, *c)) {
          existing = c;
          break;
        }
      }
    }
    if (!existing) {
      ObjectPtr tmpl = templates_->Get(ns, ref.template_name);
      if (!tmpl) {
        StatusOr<Json> fetched = client_->Get(kResourceClaimTemplates, ns, ref.template_name);
        if (!fetched.ok()) {
          // Upstream reads templates from its informer's lister, whose NotFound names the
          // resource in the singular; the API server's own message uses the plural.
          std::string why = fetched.status().Is(StatusCode::kNotFound)
                                ? "resourceclaimtemplate.resource.k8s.io \"" + ref.template_name + "\" not found"
                                : fetched.status().message();
          events_.Record(pod, "Warning", "FailedResourceClaimCreation",
                         "PodResourceClaim " + entry + ": resource claim template \"" +
                             ref.template_name + "\": " + why);
          return false;
        }
        tmpl = std::make_shared<const Json>(std::move(*fetched));
      }
      const Json& tspec = Field(*tmpl, "spec");
      const Json& tmeta = Field(tspec, "metadata");
      Json annotations = Field(tmeta, "annotations").is_object() ? Field(tmeta, "annotations")
                                                                 : Json::object();
      annotations[kPodClaimNameAnnotation] = entry;
      Json meta = {{"generateName", ClaimGenerateName(pod_name, entry)},
                   {"namespace", ns},
                   {"ownerReferences", Json::array({{{"apiVersion", "v1"},
                                                     {"kind", "Pod"},
                                                     {"name", pod_name},
                                                     {"uid", pod_uid},
                                                     {"controller", true},
                                                     {"blockOwnerDeletion", true}}})},
                   {"annotations", std::move(annotations)}};
      if (Field(tmeta, "labels").is_object() && !Field(tmeta, "labels").empty()) {
        meta["labels"] = Field(tmeta, "labels");
      }
      Json claim = {{"apiVersion", "resource.k8s.io/v1"},
                    {"kind", "ResourceClaim"},
                    {"metadata", std::move(meta)},
                    {"spec", Field(tspec, "spec").is_object() ? Field(tspec, "spec") : Json::object()}};
      StatusOr<Json> created = client_->Create(kResourceClaims, ns, claim);
      if (!created.ok()) {
        events_.Record(pod, "Warning", "FailedResourceClaimCreation",
                       "PodResourceClaim " + entry + ": create ResourceClaim " +
                           ClaimGenerateName(pod_name, entry) + ": " + created.status().message());
        return false;
      }
      claims_->Apply(*created);
      existing = std::make_shared<const Json>(std::move(*created));
      claims_by_pod_[pod_uid].insert(ObjectCache::KeyOf(ns, Name(*existing)));
    }
    resolved[entry] = Name(*existing);
    new_statuses.push_back({{"name", entry}, {"resourceClaimName", Name(*existing)}});
  }

  if (!new_statuses.empty()) {
    Json patch = {{"status", {{"resourceClaimStatuses", new_statuses}}}};
    StatusOr<Json> patched = client_->Patch(kPods, ns, pod_name, client::PatchType::kStrategicMerge,
                                            ToJson(patch), "status");
    if (!patched.ok()) return false;  // retried; the claim is found by its owner
    pods_->Apply(*patched);
  }

  if (Str(Field(pod, "spec"), "nodeName").empty()) return true;  // the scheduler reserves
  bool ok = true;
  for (const auto& [entry, claim_name] : resolved) {
    ObjectPtr claim = claims_->Get(ns, claim_name);
    if (!claim || !IsAllocated(*claim) || IsReservedFor(*claim, pod_uid)) continue;
    if (Arr(Field(*claim, "status"), "reservedFor").size() >= kReservedForMaxSize) continue;
    StatusOr<Json> updated = UpdateWithRetry(
        *client_, kResourceClaims, *claim, "status", [&](Json& c) {
          if (!IsAllocated(c) || IsReservedFor(c, pod_uid)) return false;
          Json& reserved = c["status"]["reservedFor"];
          if (!reserved.is_array()) reserved = Json::array();
          reserved.push_back({{"resource", "pods"}, {"name", pod_name}, {"uid", pod_uid}});
          return true;
        });
    if (updated.ok()) {
      claims_->Apply(*updated);
    } else {
      ok = false;
    }
  }
  return ok;
}

bool ResourceClaimController::PodGone(const std::string& ns, const std::string& name,
                                      const std::string& uid) {
  if (ObjectPtr pod = pods_->Get(ns, name)) {
    return Uid(*pod) != uid;
  }
  StatusOr<Json> fetched = client_->Get(kPods, ns, name);
  if (fetched.ok()) {
    pods_->Apply(*fetched);
    return Uid(*fetched) != uid;
  }
  return fetched.status().Is(StatusCode::kNotFound);
}

bool ResourceClaimController::SyncClaim(const Json& claim_in) {
  const std::string ns = Namespace(claim_in);
  // Pods in reservedFor that will not use the claim any more.
  std::set<std::string> stale;
  for (const Json& r : Arr(Field(claim_in, "status"), "reservedFor")) {
    if (!Str(r, "apiGroup").empty() || Str(r, "resource") != "pods") continue;
    std::string name = Str(r, "name");
    std::string uid = Str(r, "uid");
    if (PodGone(ns, name, uid)) {
      stale.insert(uid);
      continue;
    }
    ObjectPtr pod = pods_->Get(ns, name);
    if (pod && IsPodDone(*pod)) stale.insert(uid);
  }

  Json claim = claim_in;
  if (!stale.empty()) {
    StatusOr<Json> updated = UpdateWithRetry(*client_, kResourceClaims, claim, "status", [&](Json& c) {
      Json kept = Json::array();
      bool changed = false;
      for (const Json& r : Arr(Field(c, "status"), "reservedFor")) {
        if (stale.count(Str(r, "uid")) > 0) {
          changed = true;
        } else {
          kept.push_back(r);
        }
      }
      if (!changed) return false;
      // The transition from "in use" to "unused" deallocates, so that the devices are free
      // for others and a later consumer is not tied to this claim's node.
      if (kept.empty()) {
        c["status"].erase("reservedFor");
        if (HasFinalizer(c, kClaimDeleteProtectionFinalizer)) c["status"].erase("allocation");
      } else {
        c["status"]["reservedFor"] = std::move(kept);
      }
      return true;
    });
    if (!updated.ok()) return false;
    claims_->Apply(*updated);
    claim = std::move(*updated);
  }
  const bool unused = Arr(Field(claim, "status"), "reservedFor").empty();

  // Deleting an unused claim: deallocate it, then let it go.
  if (IsDeleting(claim) && unused && IsAllocated(claim) &&
      HasFinalizer(claim, kClaimDeleteProtectionFinalizer)) {
    StatusOr<Json> updated = UpdateWithRetry(*client_, kResourceClaims, claim, "status", [](Json& c) {
      if (!Arr(Field(c, "status"), "reservedFor").empty() || !IsAllocated(c)) return false;
      c["status"].erase("allocation");
      return true;
    });
    if (!updated.ok()) return false;
    claims_->Apply(*updated);
    claim = std::move(*updated);
  }

  // The finalizer guards an allocated claim; it goes once the claim is deallocated.
  const bool has_finalizer = HasFinalizer(claim, kClaimDeleteProtectionFinalizer);
  if ((!has_finalizer && IsAllocated(claim) && !IsDeleting(claim)) ||
      (has_finalizer && !IsAllocated(claim))) {
    StatusOr<Json> updated = UpdateWithRetry(*client_, kResourceClaims, claim, "", [](Json& c) {
      if (IsAllocated(c)) return !IsDeleting(c) && AddFinalizer(c, kClaimDeleteProtectionFinalizer);
      return RemoveFinalizer(c, kClaimDeleteProtectionFinalizer);
    });
    if (updated.ok()) {
      claims_->Apply(*updated);
      claim = std::move(*updated);
    } else if (updated.status().Is(StatusCode::kNotFound)) {
      claims_->Forget(ns, Name(claim));
      return true;
    } else {
      return false;
    }
  }

  // A claim generated for a pod that is done (or replaced) is not needed any more. Normally
  // the garbage collector removes it with the pod, but a done pod may stay for a long time.
  if (!unused || IsDeleting(claim)) return true;
  const Json& owner = OwningPodRef(claim);
  if (owner.is_null()) return true;
  ObjectPtr pod = pods_->Get(ns, Str(owner, "name"));
  if (!pod) return true;  // the garbage collector deals with pods that are truly gone
  if (Uid(*pod) != Str(owner, "uid") || IsPodDone(*pod)) {
    client::DeleteOptions options;
    options.precondition_uid = Uid(claim);
    Status s = client_->Delete(kResourceClaims, ns, Name(claim), options);
    if (s.ok() || s.Is(StatusCode::kNotFound)) {
      if (!HasFinalizer(claim, kClaimDeleteProtectionFinalizer)) claims_->Forget(ns, Name(claim));
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace haru::controllers
