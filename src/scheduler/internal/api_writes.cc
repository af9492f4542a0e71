#include "scheduler/internal/api_writes.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "api/meta/object.h"

namespace haru::scheduler::internal {
namespace {

using api::FindPath;
using api::GetString;

const client::Resource kPods{"", "v1", "pods"};
const client::Resource kEvents{"", "v1", "events"};
const client::Resource kClaims{"resource.k8s.io", "v1", "resourceclaims"};
constexpr int kAttempts = 5;

bool HasFinalizer(const Json& obj, const char* name) {
  const Json* f = FindPath(obj, {"metadata", "finalizers"});
  if (!f || !f->is_array()) return false;
  for (const Json& x : *f) {
    if (x.is_string() && x.get<std::string>() == name) return true;
  }
  return false;
}

}  // namespace

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status AllocateAndReserveClaim(client::Client* client, const Json& cached, const Json& allocation, const PodRef& pod) {
  std::string ns = GetString(cached, {"metadata", "namespace"});
  std::string name = GetString(cached, {"metadata", "name"});
  Json obj = cached;
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) {
      auto fresh = client->Get(kClaims, ns, name);
      if (!fresh.ok()) return fresh.status();
      obj = std::move(*fresh);
    }
    bool allocating = !allocation.is_null();
    const Json* current = FindPath(obj, {"status", "allocation"});
    if (allocating && current && current->is_object()) {
      if (*current != allocation) {
        return Status::Conflict("resourceclaim \"" + name + "\" was allocated by somebody else");
      }
      allocating = false;
    }
    if (allocating && !HasFinalizer(obj, kDeleteProtectionFinalizer)) {
      Json& finalizers = obj["metadata"]["finalizers"];
      if (!finalizers.is_array()) finalizers = Json::array();
      finalizers.push_back(kDeleteProtectionFinalizer);
      auto updated = client->Update(kClaims, ns, obj);
      if (!updated.ok()) {
        last = updated.status();
        if (last.code() == StatusCode::kConflict) continue;
        return last;
      }
      obj = std::move(*updated);
    }
    if (allocating) obj["status"]["allocation"] = allocation;
    Json& reserved = obj["status"]["reservedFor"];
    if (!reserved.is_array()) reserved = Json::array();
    bool present = false;
    for (const Json& r : reserved) present = present || GetString(r, {"uid"}) == pod.uid;
    if (!present) reserved.push_back({{"resource", "pods"}, {"name", pod.name}, {"uid", pod.uid}});
    if (!allocating && present) return Status::OK();
    Status updated = client->UpdateNoResult(kClaims, ns, obj, "status");
    if (updated.ok()) return Status::OK();
    last = updated;
    if (last.code() != StatusCode::kConflict) return last;
  }
  return last;
}

void UnreserveClaim(client::Client* client, const std::string& ns, const std::string& name, const PodRef& pod) {
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto obj = client->Get(kClaims, ns, name);
    if (!obj.ok()) return;
    Json* reserved = nullptr;
    if (obj->contains("status") && (*obj)["status"].contains("reservedFor")) reserved = &(*obj)["status"]["reservedFor"];
    if (!reserved || !reserved->is_array()) return;
    Json kept = Json::array();
    for (const Json& r : *reserved) {
      if (GetString(r, {"uid"}) != pod.uid) kept.push_back(r);
    }
    if (kept.size() == reserved->size()) return;
    *reserved = std::move(kept);
    Status updated = client->UpdateNoResult(kClaims, ns, *obj, "status");
    if (updated.ok() || updated.code() != StatusCode::kConflict) return;
  }
}

Status BindPod(client::Client* client, const PodRef& pod, const std::string& node) {
  Json binding = {{"apiVersion", "v1"},
                  {"kind", "Binding"},
                  {"metadata", {{"name", pod.name}, {"namespace", pod.ns}, {"uid", pod.uid}}},
                  {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node}}}};
  return client->CreateSubresource(kPods, pod.ns, pod.name, "binding", binding).status();
}

Status SetUnschedulableCondition(client::Client* client, const PodRef& ref, const std::string& reason,
                                 const std::string& message) {
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto pod = client->Get(kPods, ref.ns, ref.name);
    if (!pod.ok()) return pod.status().code() == StatusCode::kNotFound ? Status::OK() : pod.status();
    if (GetString(*pod, {"metadata", "uid"}) != ref.uid || !GetString(*pod, {"spec", "nodeName"}).empty()) {
      return Status::OK();
    }
    Json& conditions = (*pod)["status"]["conditions"];
    if (!conditions.is_array()) conditions = Json::array();
    Json* existing = nullptr;
    for (Json& c : conditions) {
      if (GetString(c, {"type"}) == "PodScheduled") existing = &c;
    }
    if (existing && GetString(*existing, {"status"}) == "False" && GetString(*existing, {"reason"}) == reason &&
        GetString(*existing, {"message"}) == message) {
      return Status::OK();
    }
    Json cond = {{"type", "PodScheduled"}, {"status", "False"},   {"reason", reason},
                 {"message", message},     {"lastProbeTime", nullptr}};
    cond["lastTransitionTime"] = existing && GetString(*existing, {"status"}) == "False"
                                     ? Json(GetString(*existing, {"lastTransitionTime"}))
                                     : Json(NowRfc3339());
    if (cond["lastTransitionTime"].get<std::string>().empty()) cond["lastTransitionTime"] = NowRfc3339();
    if (existing) {
      *existing = std::move(cond);
    } else {
      conditions.push_back(std::move(cond));
    }
    Status updated = client->UpdateNoResult(kPods, ref.ns, *pod, "status");
    if (updated.ok()) return Status::OK();
    last = updated;
    if (last.code() == StatusCode::kNotFound) return Status::OK();
    if (last.code() != StatusCode::kConflict) return last;
  }
  return last;
}

EventRecorder::EventRecorder(client::Client* client, std::string component)
    : client_(client), component_(std::move(component)) {}

void EventRecorder::Record(const PodRef& pod, const std::string& type, const std::string& reason,
                           const std::string& message) {
  std::string key = pod.ns + "/" + pod.name;
  std::string now = NowRfc3339();
  Last repeat;
  {
    std::lock_guard lock(mu_);
    auto it = last_.find(key);
    if (it != last_.end() && it->second.reason == reason && it->second.message == message) {
      repeat = it->second;
      it->second.count++;
    }
  }
  if (!repeat.event_name.empty()) {
    std::string patch = Json({{"count", repeat.count + 1}, {"lastTimestamp", now}}).dump();
    if (client_->PatchNoResult(kEvents, pod.ns, repeat.event_name, client::PatchType::kMerge, patch).ok()) return;
  }
  static std::atomic<uint64_t> counter{0};
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  char suffix[40];
  std::snprintf(suffix, sizeof(suffix), ".%llx", static_cast<unsigned long long>(nanos) + counter.fetch_add(1));
  std::string name = pod.name + suffix;
  Json event = {{"apiVersion", "v1"},
                {"kind", "Event"},
                {"metadata", {{"name", name}, {"namespace", pod.ns}}},
                {"involvedObject",
                 {{"apiVersion", "v1"}, {"kind", "Pod"}, {"namespace", pod.ns}, {"name", pod.name}, {"uid", pod.uid}}},
                {"reason", reason},
                {"message", message},
                {"source", {{"component", component_}}},
                {"firstTimestamp", now},
                {"lastTimestamp", now},
                {"count", 1},
                {"type", type},
                {"reportingComponent", component_},
                {"reportingInstance", component_}};
  Status created = client_->CreateNoResult(kEvents, pod.ns, event);
  if (!created.ok()) {
    std::fprintf(stderr, "scheduler: event for pod %s: %s\n", key.c_str(), created.message().c_str());
    return;
  }
  std::lock_guard lock(mu_);
  last_[key] = Last{reason, message, name, 1};
}

void EventRecorder::Forget(const std::string& pod_key) {
  std::lock_guard lock(mu_);
  last_.erase(pod_key);
}

}  // namespace haru::scheduler::internal
