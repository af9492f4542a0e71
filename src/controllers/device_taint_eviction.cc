#include "controllers/device_taint_eviction.h"

#include <algorithm>
#include <vector>

namespace haru::controllers {

namespace {

constexpr char kNoExecute[] = "NoExecute";

using Taint = DeviceTaintEvictionController::Taint;

std::string DeviceKey(const std::string& driver, const std::string& pool, const std::string& device) {
  return driver + '/' + pool + '/' + device;
}

// resourceclaim.ToleratesTaint: an empty effect matches every effect, an empty key (with
// Exists) every key; Exists ignores the value, Equal (the default) compares it.
bool ToleratesTaint(const Json& toleration, const Taint& taint) {
  std::string effect = Str(toleration, "effect");
  if (!effect.empty() && effect != taint.effect) return false;
  std::string key = Str(toleration, "key");
  std::string op = Str(toleration, "operator");
  if (op.empty()) op = "Equal";
  if (key.empty()) return op == "Exists";
  if (key != taint.key) return false;
  if (op == "Exists") return true;
  return op == "Equal" && Str(toleration, "value") == taint.value;
}

// Whether a rule's selector picks the device; a rule without a selector picks none.
bool RuleSelects(const Json& rule, const std::string& driver, const std::string& pool,
                 const std::string& device) {
  const Json& sel = Field(Field(rule, "spec"), "deviceSelector");
  if (!sel.is_object()) return false;
  auto matches = [&](const char* field, const std::string& actual) {
    const Json& want = Field(sel, field);
    return !want.is_string() || want.get<std::string>() == actual;
  };
  return matches("driver", driver) && matches("pool", pool) && matches("device", device);
}

// The tolerations that apply to one allocated device: the allocator's copy in the result,
// else those of the claim's request ("<request>" or "<request>/<subrequest>").
const Json& TolerationsFor(const Json& claim, const Json& result) {
  if (Field(result, "tolerations").is_array()) return Field(result, "tolerations");
  std::string request = Str(result, "request");
  std::string sub;
  if (size_t slash = request.find('/'); slash != std::string::npos) {
    sub = request.substr(slash + 1);
    request.resize(slash);
  }
  for (const Json& r : Arr(Field(Field(claim, "spec"), "devices"), "requests")) {
    if (Str(r, "name") != request) continue;
    if (sub.empty()) return Arr(Field(r, "exactly"), "tolerations");
    for (const Json& s : Arr(r, "firstAvailable")) {
      if (Str(s, "name") == sub) return Arr(s, "tolerations");
    }
  }
  return Arr(Json(), "");
}

// When pods using the device must go because of `taint`: INT64_MAX when tolerated forever.
int64_t EvictionTime(const Json& tolerations, const Taint& taint) {
  bool tolerated = false;
  int64_t seconds = INT64_MAX;
  for (const Json& t : tolerations) {
    if (!ToleratesTaint(t, taint)) continue;
    const Json& ts = Field(t, "tolerationSeconds");
    if (!ts.is_number_integer()) return INT64_MAX;  // tolerated forever
    tolerated = true;
    seconds = std::min(seconds, std::max<int64_t>(0, ts.get<int64_t>()));
  }
  return tolerated ? taint.time_added + seconds : taint.time_added;
}

// The claim a pod entry uses, when it exists and is the pod's.
std::string ClaimNameFor(const Json& pod, const Json& pod_claim, bool* check_owner) {
  *check_owner = false;
  if (std::string direct = Str(pod_claim, "resourceClaimName"); !direct.empty()) return direct;
  *check_owner = true;
  for (const Json& s : Arr(Field(pod, "status"), "resourceClaimStatuses")) {
    if (Str(s, "name") == Str(pod_claim, "name")) return Str(s, "resourceClaimName");
  }
  return "";
}

std::string Plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Calls visit(driver, pool, device) for every device of the slices that belong to their pool's
// newest generation (older slices of a pool being republished are ignored, as upstream does).
template <typename Visit>
void ForEachCurrentDevice(const std::vector<ObjectPtr>& slices, Visit visit) {
  auto generation_of = [](const Json& spec) {
    const Json& g = Field(Field(spec, "pool"), "generation");
    return g.is_number_integer() ? g.get<int64_t>() : int64_t{0};
  };
  std::map<std::string, int64_t> pool_generation;  // "<driver>/<pool>"
  for (const ObjectPtr& s : slices) {
    const Json& spec = Field(*s, "spec");
    auto [it, inserted] = pool_generation.emplace(Str(spec, "driver") + '/' + Str(Field(spec, "pool"), "name"),
                                                  generation_of(spec));
    if (!inserted) it->second = std::max(it->second, generation_of(spec));
  }
  for (const ObjectPtr& s : slices) {
    const Json& spec = Field(*s, "spec");
    std::string driver = Str(spec, "driver"), pool = Str(Field(spec, "pool"), "name");
    if (generation_of(spec) != pool_generation[driver + '/' + pool]) continue;
    for (const Json& d : Arr(spec, "devices")) visit(driver, pool, d);
  }
}

}  // namespace

DeviceTaintEvictionController::DeviceTaintEvictionController(client::Client* client, NowFn now)
    : CacheController(client, std::move(now)), events_(client, "device-taint-eviction-controller") {
  pods_ = AddCache(kPods);
  claims_ = AddCache(kResourceClaims);
  slices_ = AddCache(kResourceSlices);
  rules_ = AddCache(kDeviceTaintRules);
}

void DeviceTaintEvictionController::RebuildSliceTaints(int64_t now) {
  slice_taints_.clear();
  slice_no_execute_ = false;
  ForEachCurrentDevice(slices_->List(), [&](const std::string& driver, const std::string& pool, const Json& d) {
    const Json& taints = Field(d, "taints").is_array() ? Field(d, "taints") : Arr(Field(d, "basic"), "taints");
    if (taints.empty()) return;
    std::string key = DeviceKey(driver, pool, Str(d, "name"));
    for (const Json& t : taints) {
      Taint taint{Str(t, "key"), Str(t, "value"), Str(t, "effect"), -1, ""};
      std::string id = key + '/' + taint.key + '=' + taint.value + ':' + taint.effect;
      taint.time_added = ParseTime(Str(t, "timeAdded"));
      if (taint.time_added < 0) taint.time_added = first_seen_.emplace(id, now).first->second;
      slice_no_execute_ |= taint.effect == kNoExecute;
      slice_taints_[key].push_back(std::move(taint));
    }
  });
}

void DeviceTaintEvictionController::IndexClaim(const ObjectPtr& before, const ObjectPtr& after) {
  auto devices = [](const ObjectPtr& c) {
    std::set<std::tuple<std::string, std::string, std::string>> out;
    if (!c) return out;
    for (const Json& r : Arr(Field(Field(Field(*c, "status"), "allocation"), "devices"), "results")) {
      out.emplace(Str(r, "driver"), Str(r, "pool"), Str(r, "device"));
    }
    return out;
  };
  const std::string key = ObjectCache::KeyOf(after ? *after : *before);
  auto old_devices = devices(before), new_devices = devices(after);
  for (const auto& d : old_devices) {
    if (new_devices.count(d)) continue;
    auto it = allocated_.find(DeviceKey(std::get<0>(d), std::get<1>(d), std::get<2>(d)));
    if (it == allocated_.end()) continue;
    it->second.claims.erase(key);
    if (it->second.claims.empty()) allocated_.erase(it);
  }
  for (const auto& [driver, pool, device] : new_devices) {
    AllocatedDevice& d = allocated_[DeviceKey(driver, pool, device)];
    if (d.claims.empty()) d = {driver, pool, device, {}};
    d.claims.insert(key);
  }
}

bool DeviceTaintEvictionController::DeviceHasNoExecute(const AllocatedDevice& d,
                                                       const std::vector<ObjectPtr>& rules) const {
  if (auto it = slice_taints_.find(DeviceKey(d.driver, d.pool, d.device)); it != slice_taints_.end()) {
    for (const Taint& t : it->second) {
      if (t.effect == kNoExecute) return true;
    }
  }
  for (const ObjectPtr& r : rules) {
    if (Str(Field(Field(*r, "spec"), "taint"), "effect") == kNoExecute && RuleSelects(*r, d.driver, d.pool, d.device)) {
      return true;
    }
  }
  return false;
}

DeviceTaintEvictionController::ClaimEviction DeviceTaintEvictionController::ComputeEviction(
    const Json& claim, const std::vector<ObjectPtr>& rules, int64_t now) {
  ClaimEviction ce;
  for (const Json& result : Arr(Field(Field(Field(claim, "status"), "allocation"), "devices"), "results")) {
    std::string driver = Str(result, "driver"), pool = Str(result, "pool"), device = Str(result, "device");
    std::vector<Taint> taints;
    if (auto it = slice_taints_.find(DeviceKey(driver, pool, device)); it != slice_taints_.end()) {
      taints = it->second;
    }
    for (const ObjectPtr& r : rules) {
      if (!RuleSelects(*r, driver, pool, device)) continue;
      const Json& t = Field(Field(*r, "spec"), "taint");
      Taint taint{Str(t, "key"), Str(t, "value"), Str(t, "effect"), ParseTime(Str(t, "timeAdded")), Uid(*r)};
      if (taint.time_added < 0) {
        std::string id = "rule/" + Uid(*r) + '/' + Str(Field(*r, "metadata"), "generation");
        taint.time_added = first_seen_.emplace(id, now).first->second;
      }
      taints.push_back(std::move(taint));
    }
    for (const Taint& taint : taints) {
      if (taint.effect != kNoExecute) continue;
      int64_t at = EvictionTime(TolerationsFor(claim, result), taint);
      if (at == INT64_MAX) continue;
      ce.at = std::min(ce.at, at);
      if (!taint.rule_uid.empty()) ce.rules.insert(taint.rule_uid);
    }
  }
  return ce;
}

void DeviceTaintEvictionController::SyncPod(const std::string& key, int64_t now) {
  ObjectPtr p = pods_->GetKey(key);
  // Pods that disappeared (or stopped running) while pending need no cancellation event.
  if (!p || Str(Field(*p, "spec"), "nodeName").empty() || IsDeleting(*p) || IsPodTerminal(*p)) {
    pending_.erase(key);
    return;
  }
  const Json& pod = *p;
  const std::string uid = Uid(pod);
  if (auto it = pending_.find(key); it != pending_.end() && it->second.uid != uid) pending_.erase(it);
  ClaimEviction pe;
  if (!claim_eviction_.empty()) {
    for (const Json& pc : Arr(Field(pod, "spec"), "resourceClaims")) {
      bool check_owner = false;
      std::string claim_name = ClaimNameFor(pod, pc, &check_owner);
      if (claim_name.empty()) continue;
      auto it = claim_eviction_.find(Namespace(pod) + '/' + claim_name);
      if (it == claim_eviction_.end()) continue;
      ObjectPtr claim = claims_->Get(Namespace(pod), claim_name);
      if (!claim) continue;
      if (check_owner && Str(ControllerRef(*claim), "uid") != uid) continue;
      bool reserved = false;
      for (const Json& r : Arr(Field(*claim, "status"), "reservedFor")) reserved |= Str(r, "uid") == uid;
      if (!reserved) continue;
      pe.at = std::min(pe.at, it->second.at);
      pe.rules.insert(it->second.rules.begin(), it->second.rules.end());
    }
  }
  if (pe.at == INT64_MAX) {
    if (pending_.erase(key) > 0) {
      events_.Record(pod, "Normal", "DeviceTaintManagerEviction", "Cancelling deletion");
    }
    return;
  }
  if (pe.at <= now && Evict(pod)) {
    for (const std::string& rule : pe.rules) ++evicted_by_rule_[rule];
    pending_.erase(key);
    return;
  }
  pending_[key] = {uid, Namespace(pod), std::move(pe.rules)};
  WakeAt(pe.at > now ? pe.at : now + 1);
}

void DeviceTaintEvictionController::Sync() {
  const int64_t now = Now();
  std::vector<ObjectCache::Change> pod_changes = pods_->TakeChanges();
  std::vector<ObjectCache::Change> claim_changes = claims_->TakeChanges();
  bool slices_changed = !slices_->TakeChanges().empty();
  bool rules_changed = !rules_->TakeChanges().empty();
  const bool full = TakeFullResync();
  std::vector<ObjectPtr> rules = rules_->List();

  if (full || slices_changed) RebuildSliceTaints(now);
  bool any_no_execute = slice_no_execute_;
  for (const ObjectPtr& r : rules) any_no_execute |= Str(Field(Field(*r, "spec"), "taint"), "effect") == kNoExecute;

  // Claims whose eviction time may have moved, with their state before the change.
  std::map<std::string, ObjectPtr> claims_to_check;
  if (full) {
    allocated_.clear();
    for (const ObjectPtr& c : claims_->List()) {
      IndexClaim(nullptr, c);
      claims_to_check.emplace(ObjectCache::KeyOf(*c), c);
    }
  } else {
    for (const ObjectCache::Change& c : claim_changes) {
      IndexClaim(c.before, c.after);
      claims_to_check.emplace(c.key, c.before);
    }
  }
  if (!full && (slices_changed || rules_changed)) {
    for (const auto& [key, eviction] : claim_eviction_) claims_to_check.emplace(key, claims_->GetKey(key));
    for (const auto& [device_key, device] : allocated_) {
      if (!DeviceHasNoExecute(device, rules)) continue;
      for (const std::string& key : device.claims) claims_to_check.emplace(key, claims_->GetKey(key));
    }
  }

  std::set<std::string> pods_to_check;
  auto add_reserved = [&](const ObjectPtr& claim) {
    if (!claim) return;
    for (const Json& r : Arr(Field(*claim, "status"), "reservedFor")) {
      if (Str(r, "resource") == "pods") pods_to_check.insert(ObjectCache::KeyOf(Namespace(*claim), Str(r, "name")));
    }
  };
  for (const auto& [key, before] : claims_to_check) {
    ObjectPtr claim = claims_->GetKey(key);
    ClaimEviction ce;
    if (claim && any_no_execute) ce = ComputeEviction(*claim, rules, now);
    auto it = claim_eviction_.find(key);
    bool had = it != claim_eviction_.end();
    if (ce.at == INT64_MAX && !had) continue;  // never mattered to its pods
    if (ce.at == INT64_MAX) {
      claim_eviction_.erase(it);
    } else {
      claim_eviction_[key] = std::move(ce);
    }
    add_reserved(before);
    add_reserved(claim);
  }
  // A pod change matters only while some claim evicts or the pod waits for its eviction.
  if (!claim_eviction_.empty() || !pending_.empty()) {
    for (const ObjectCache::Change& c : pod_changes) pods_to_check.insert(c.key);
  }
  for (const auto& [key, pending] : pending_) pods_to_check.insert(key);
  if (full) {
    for (const auto& [key, eviction] : claim_eviction_) add_reserved(claims_->GetKey(key));
  }
  for (const std::string& key : pods_to_check) SyncPod(key, now);

  if (rules.empty()) return;
  std::map<std::string, std::pair<int64_t, std::set<std::string>>> rule_pending;  // pods, namespaces
  for (const auto& [key, pending] : pending_) {
    for (const std::string& rule : pending.rules) {
      auto& [count, namespaces] = rule_pending[rule];
      ++count;
      namespaces.insert(pending.ns);
    }
  }
  for (const ObjectPtr& r : rules) {
    const Json& rule = *r;
    std::string effect = Str(Field(Field(rule, "spec"), "taint"), "effect");
    int64_t pending_pods = 0, pending_namespaces = 0, slice_devices = 0, allocated_devices = 0;
    if (effect == kNoExecute) {
      if (auto it = rule_pending.find(Uid(rule)); it != rule_pending.end()) {
        pending_pods = it->second.first;
        pending_namespaces = static_cast<int64_t>(it->second.second.size());
      }
    } else if (effect == "None") {
      // What NoExecute would do: reported once per generation of the rule.
      const Json& cond = FindCondition(rule, "EvictionInProgress");
      const Json& og = Field(cond, "observedGeneration");
      const Json& gen = Field(Field(rule, "metadata"), "generation");
      if (!cond.is_null() && og == gen) continue;
      ForEachCurrentDevice(slices_->List(), [&](const std::string& driver, const std::string& pool, const Json& d) {
        slice_devices += RuleSelects(rule, driver, pool, Str(d, "name"));
      });
      const Json& t = Field(Field(rule, "spec"), "taint");
      Taint as_no_execute{Str(t, "key"), Str(t, "value"), kNoExecute, now, Uid(rule)};
      std::set<std::string> affected_claims;
      for (const ObjectPtr& c : claims_->List()) {
        for (const Json& result : Arr(Field(Field(Field(*c, "status"), "allocation"), "devices"), "results")) {
          if (!RuleSelects(rule, Str(result, "driver"), Str(result, "pool"), Str(result, "device"))) continue;
          ++allocated_devices;
          if (EvictionTime(TolerationsFor(*c, result), as_no_execute) != INT64_MAX) {
            affected_claims.insert(Namespace(*c) + '/' + Name(*c));
          }
        }
      }
      std::set<std::string> namespaces;
      for (const ObjectPtr& c : claims_->List()) {
        if (!affected_claims.count(Namespace(*c) + '/' + Name(*c))) continue;
        for (const Json& res : Arr(Field(*c, "status"), "reservedFor")) {
          if (Str(res, "resource") != "pods") continue;
          ObjectPtr pod = pods_->Get(Namespace(*c), Str(res, "name"));
          if (!pod || Uid(*pod) != Str(res, "uid") || IsDeleting(*pod) || IsPodTerminal(*pod)) continue;
          ++pending_pods;
          namespaces.insert(Namespace(*c));
        }
      }
      pending_namespaces = static_cast<int64_t>(namespaces.size());
    }
    UpdateRuleStatus(rule, pending_pods, pending_namespaces, slice_devices, allocated_devices);
  }
}

bool DeviceTaintEvictionController::Evict(const Json& pod) {
  const std::string ns = Namespace(pod);
  const std::string name = Name(pod);
  events_.Record(pod, "Normal", "DeviceTaintManagerEviction", "Marking for deletion");
  const Json& cond = FindCondition(pod, "DisruptionTarget");
  if (Str(cond, "status") != "True" || Str(cond, "reason") != "DeletionByDeviceTaintManager") {
    Json patch = {{"status",
                   {{"conditions",
                     Json::array({{{"type", "DisruptionTarget"},
                                   {"status", "True"},
                                   {"reason", "DeletionByDeviceTaintManager"},
                                   {"message", "Device Taint manager: deleting due to NoExecute taint"},
                                   {"lastTransitionTime", FormatTime(Now())}}})}}}};
    StatusOr<Json> patched = client_->Patch(kPods, ns, name, client::PatchType::kStrategicMerge,
                                            ToJson(patch), "status");
    if (!patched.ok()) return patched.status().Is(StatusCode::kNotFound);
    if (Uid(*patched) != Uid(pod)) return true;  // a new pod under the same name
    pods_->Apply(*patched);
  }
  client::DeleteOptions options;
  options.precondition_uid = Uid(pod);
  Status s = client_->Delete(kPods, ns, name, options);
  return s.ok() || s.Is(StatusCode::kNotFound);
}

void DeviceTaintEvictionController::UpdateRuleStatus(const Json& rule, int64_t pending_pods,
                                                     int64_t pending_namespaces, int64_t slice_devices,
                                                     int64_t allocated_devices) {
  std::string effect = Str(Field(Field(rule, "spec"), "taint"), "effect");
  std::string status = "False";
  std::string reason = "Effect" + effect;
  std::string message;
  if (effect == kNoExecute) {
    if (pending_pods > 0) {
      status = "True";
      reason = "PodsPendingEviction";
      message = (pending_pods == 1 ? std::string("1 pod needs") : std::to_string(pending_pods) + " pods need") +
                " to be evicted in " +
                (pending_namespaces == 1 ? std::string("1 namespace.")
                                         : std::to_string(pending_namespaces) + " different namespaces.");
    } else if (evicted_by_rule_[Uid(rule)] > 0) {
      reason = "Completed";
    } else {
      reason = "NotStarted";
    }
  } else if (effect == "None") {
    reason = "NoEffect";
    message = Plural(slice_devices, "published device", "published devices") + " selected. " +
              Plural(allocated_devices, "allocated device", "allocated devices") + " selected. " +
              Plural(pending_pods, "pod", "pods") + " would be evicted in " +
              (pending_namespaces == 1 ? std::string("1 namespace")
                                       : std::to_string(pending_namespaces) + " different namespaces") +
              " if the effect was NoExecute. This information will not be updated again. Recreate "
              "the DeviceTaintRule to trigger an update.";
  } else {
    reason = "OtherEffect";
    message = "Eviction only happens for the NoExecute effect.";
  }
  if (int64_t evicted = evicted_by_rule_[Uid(rule)]; evicted > 0) {
    if (!message.empty()) message += " ";
    message += Plural(evicted, "pod", "pods") + " evicted since starting the controller.";
  }
  const Json& generation = Field(Field(rule, "metadata"), "generation");
  const Json& existing = FindCondition(rule, "EvictionInProgress");
  if (Str(existing, "status") == status && Str(existing, "reason") == reason &&
      Str(existing, "message") == message && Field(existing, "observedGeneration") == generation) {
    return;
  }
  Json condition = {{"type", "EvictionInProgress"},
                    {"status", status},
                    {"reason", reason},
                    {"message", message},
                    {"lastTransitionTime", FormatTime(Now())}};
  if (generation.is_number_integer()) condition["observedGeneration"] = generation;
  StatusOr<Json> updated = UpdateWithRetry(*client_, kDeviceTaintRules, rule, "status", [&](Json& r) {
    Json conditions = Json::array();
    for (const Json& c : Arr(Field(r, "status"), "conditions")) {
      if (Str(c, "type") != "EvictionInProgress") conditions.push_back(c);
    }
    conditions.push_back(condition);
    r["status"]["conditions"] = std::move(conditions);
    return true;
  });
  if (updated.ok()) rules_->Apply(*updated);
}

}  // namespace haru::controllers
