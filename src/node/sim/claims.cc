#include "node/sim/claims.h"

#include "node/gpu/resource_slices.h"
#include "node/sim/node_objects.h"

namespace haru::node::sim {

namespace {

const client::Resource kResourceClaims{"resource.k8s.io", "v1", "resourceclaims"};

const Json* Find(const Json& obj, std::initializer_list<const char*> path) {
  const Json* cur = &obj;
  for (const char* key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string Str(const Json& obj, std::initializer_list<const char*> path) {
  const Json* v = Find(obj, path);
  return v && v->is_string() ? v->get<std::string>() : "";
}

const Json& Arr(const Json& obj, std::initializer_list<const char*> path) {
  static const Json kEmpty = Json::array();
  const Json* v = Find(obj, path);
  return v && v->is_array() ? *v : kEmpty;
}

}  // namespace

std::vector<std::string> PodClaimNames(const Json& pod, bool* waiting, std::string* why) {
  std::vector<std::string> names;
  *waiting = false;
  for (const Json& entry : Arr(pod, {"spec", "resourceClaims"})) {
    if (!entry.is_object()) continue;
    std::string direct = Str(entry, {"resourceClaimName"});
    if (!direct.empty()) {
      names.push_back(direct);
      continue;
    }
    std::string name = Str(entry, {"name"});
    bool recorded = false;
    for (const Json& s : Arr(pod, {"status", "resourceClaimStatuses"})) {
      if (!s.is_object() || Str(s, {"name"}) != name) continue;
      recorded = true;
      std::string generated = Str(s, {"resourceClaimName"});
      if (!generated.empty()) names.push_back(generated);  // unset: no claim needed
    }
    if (!recorded) {
      *waiting = true;
      *why = "waiting for the claim of pod claim \"" + name + "\" to be created";
    }
  }
  return names;
}

ClaimsVerdict CheckClaim(const Json& claim, const Json& pod, const std::string& node, std::string* why) {
  std::string claim_name = Str(claim, {"metadata", "name"});
  const Json* allocation = Find(claim, {"status", "allocation"});
  if (allocation == nullptr || allocation->is_null()) {
    *why = "resource claim \"" + claim_name + "\" is not allocated yet";
    return ClaimsVerdict::kWaiting;
  }
  std::string pod_uid = Str(pod, {"metadata", "uid"});
  bool reserved = false;
  for (const Json& r : Arr(claim, {"status", "reservedFor"})) {
    if (r.is_object() && Str(r, {"resource"}) == "pods" && Str(r, {"uid"}) == pod_uid) reserved = true;
  }
  if (!reserved) {
    *why = "resource claim \"" + claim_name + "\" is not reserved for the pod yet";
    return ClaimsVerdict::kWaiting;
  }
  for (const Json& result : Arr(*allocation, {"devices", "results"})) {
    if (Str(result, {"driver"}) != gpu::kDriverName) continue;  // another driver's device
    if (Str(result, {"pool"}) != node) {
      *why = "resource claim \"" + claim_name + "\" is allocated device \"" + Str(result, {"device"}) +
             "\" of pool \"" + Str(result, {"pool"}) + "\", not of node \"" + node + "\"";
      return ClaimsVerdict::kFailed;
    }
  }
  return ClaimsVerdict::kReady;
}

ClaimsCheck CheckPodClaims(client::Client& client, const Json& pod, const std::string& node) {
  ClaimsCheck out;
  bool waiting = false;
  std::vector<std::string> names = PodClaimNames(pod, &waiting, &out.message);
  if (waiting) {
    out.verdict = ClaimsVerdict::kWaiting;
    return out;
  }
  std::string ns = Str(pod, {"metadata", "namespace"});
  for (const std::string& name : names) {
    StatusOr<Json> claim = client.Get(kResourceClaims, ns, name);
    if (!claim.ok()) {
      out.verdict = ClaimsVerdict::kWaiting;
      out.message = claim.status().code() == StatusCode::kNotFound
                        ? "resource claim \"" + name + "\" does not exist yet"
                        : "reading resource claim \"" + name + "\": " + claim.status().ToString();
      return out;
    }
    ClaimsVerdict v = CheckClaim(*claim, pod, node, &out.message);
    if (v != ClaimsVerdict::kReady) {
      out.verdict = v;
      out.claims.clear();
      return out;
    }
    out.claims.push_back(std::move(claim).value());
  }
  return out;
}

Status PublishDeviceStatus(client::Client& client, const Json& claim, const std::string& node) {
  Json devices = Json::array();
  bool missing = false;
  const Json& existing = Arr(claim, {"status", "devices"});
  for (const Json& d : existing) devices.push_back(d);
  std::string now = NowRfc3339();
  const Json* allocation = Find(claim, {"status", "allocation"});
  if (allocation == nullptr) return Status::OK();
  for (const Json& result : Arr(*allocation, {"devices", "results"})) {
    if (Str(result, {"driver"}) != gpu::kDriverName || Str(result, {"pool"}) != node) continue;
    bool present = false;
    for (const Json& d : existing) {
      if (Str(d, {"driver"}) == gpu::kDriverName && Str(d, {"pool"}) == node &&
          Str(d, {"device"}) == Str(result, {"device"}) && Str(d, {"shareID"}) == Str(result, {"shareID"})) {
        present = true;
      }
    }
    if (present) continue;
    missing = true;
    Json entry = {
        {"driver", gpu::kDriverName},
        {"pool", node},
        {"device", Str(result, {"device"})},
        {"conditions", Json::array({Json{{"type", "Ready"},
                                         {"status", "True"},
                                         {"reason", "DevicePrepared"},
                                         {"message", "prepared by the simulated gpu.haru.dev driver"},
                                         {"lastTransitionTime", now}}})}};
    if (!Str(result, {"shareID"}).empty()) entry["shareID"] = Str(result, {"shareID"});
    devices.push_back(std::move(entry));
  }
  if (!missing) return Status::OK();
  Json patch = {{"status", {{"devices", std::move(devices)}}}};
  StatusOr<Json> out =
      client.Patch(kResourceClaims, Str(claim, {"metadata", "namespace"}), Str(claim, {"metadata", "name"}),
                   client::PatchType::kMerge, ToJson(patch), "status");
  return out.status();
}

}  // namespace haru::node::sim
