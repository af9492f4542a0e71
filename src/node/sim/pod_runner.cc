#include "node/sim/pod_runner.h"

#include <algorithm>

#include "node/sim/claims.h"
#include "node/sim/node_objects.h"

namespace haru::node::sim {

namespace {

const client::Resource kPods{"", "v1", "pods"};

std::string MetaString(const Json& obj, const char* key) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return "";
  auto v = m->find(key);
  return v != m->end() && v->is_string() ? v->get<std::string>() : "";
}

std::string Field(const Json& obj, const char* section, const char* key) {
  auto s = obj.find(section);
  if (s == obj.end() || !s->is_object()) return "";
  auto v = s->find(key);
  return v != s->end() && v->is_string() ? v->get<std::string>() : "";
}

bool IsDeleting(const Json& pod) { return !MetaString(pod, "deletionTimestamp").empty(); }

bool IsTerminal(const std::string& phase) { return phase == "Succeeded" || phase == "Failed"; }

std::string StatusPatch(Json status) { return ToJson(Json{{"status", std::move(status)}}); }

}  // namespace

PodRunner::PodRunner(client::Client* client, Executor* executor, const SimOptions& options,
                     const std::vector<Node>& nodes)
    : client_(client), executor_(executor), options_(options) {
  for (const Node& n : nodes) {
    auto slot = std::make_unique<NodeSlot>();
    slot->node = n;
    nodes_[n.name] = std::move(slot);
  }
  client::InformerOptions io;
  io.resource = kPods;
  io.field_selector = "spec.nodeName!=";
  informer_ = std::make_unique<client::Informer>(client_, io);
  client::InformerHandlers h;
  h.on_add = [this](const client::ObjectPtr& pod) { Consider(*pod); };
  h.on_update = [this](const client::ObjectPtr&, const client::ObjectPtr& pod) { Consider(*pod); };
  h.on_delete = [this](const client::ObjectPtr& pod) {
    std::lock_guard lock(mu_);
    stages_.erase(MetaString(*pod, "uid"));
  };
  informer_->AddHandlers(std::move(h));
}

PodRunner::~PodRunner() { Stop(); }

void PodRunner::Start() { informer_->Start(); }

void PodRunner::Stop() {
  stopping_ = true;
  if (informer_) informer_->Stop();
}

bool PodRunner::WaitForSync(std::chrono::milliseconds timeout) const {
  return informer_->WaitForSync(timeout);
}

std::chrono::milliseconds PodRunner::Backoff(int attempt) const {
  auto d = options_.retry_initial;
  for (int i = 0; i < attempt && d < options_.retry_max; ++i) d *= 2;
  return std::min(d, options_.retry_max);
}

void PodRunner::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

client::ObjectPtr PodRunner::Current(const std::string& ns, const std::string& name,
                                     const std::string& uid) const {
  client::ObjectPtr pod = informer_->Get(ns, name);
  if (!pod || MetaString(*pod, "uid") != uid) return nullptr;
  return pod;
}

void PodRunner::Consider(const Json& pod) {
  std::string node = Field(pod, "spec", "nodeName");
  if (node.empty() || !nodes_.count(node)) return;
  std::string uid = MetaString(pod, "uid");
  std::string ns = MetaString(pod, "namespace");
  std::string name = MetaString(pod, "name");
  std::string phase = Field(pod, "status", "phase");
  std::lock_guard lock(mu_);
  auto it = stages_.find(uid);
  if (IsDeleting(pod)) {
    if (it != stages_.end() && it->second == Stage::kTerminating) return;
    stages_[uid] = Stage::kTerminating;
    executor_->Post([this, ns, name, uid] { TerminatePod(ns, name, uid, 0); });
    return;
  }
  if (IsTerminal(phase)) {
    if (it != stages_.end()) stages_.erase(it);
    return;
  }
  if (it != stages_.end()) return;  // already being handled
  if (phase == "Running") {
    // Started before this process (a restart of `haru sim`): finish what is pending.
    stages_[uid] = Stage::kRunning;
    if (PodRunsToCompletion(pod)) {
      executor_->PostAfter(options_.pod_run_time, [this, ns, name, uid] { CompletePod(ns, name, uid, 0); });
    }
    return;
  }
  stages_[uid] = Stage::kStarting;
  executor_->Post([this, ns, name, uid] { StartPod(ns, name, uid, 0); });
}

void PodRunner::StartPod(std::string ns, std::string name, std::string uid, int attempt) {
  if (stopping_) return;
  client::ObjectPtr pod = Current(ns, name, uid);
  auto forget = [&] {
    std::lock_guard lock(mu_);
    auto it = stages_.find(uid);
    if (it != stages_.end() && it->second == Stage::kStarting) stages_.erase(it);
  };
  if (!pod || IsDeleting(*pod)) return forget();
  std::string phase = Field(*pod, "status", "phase");
  if (phase != "Pending" && !phase.empty()) return forget();
  const std::string node = Field(*pod, "spec", "nodeName");
  NodeSlot& slot = *nodes_.at(node);
  auto retry = [&](int next) {
    executor_->PostAfter(Backoff(next), [this, ns, name, uid, next] { StartPod(ns, name, uid, next); });
  };

  ClaimsCheck check = CheckPodClaims(*client_, *pod, node);
  if (check.verdict != ClaimsVerdict::kReady) {
    ++stats_.claim_waits;
    // Logged once a wait looks long, and a failure every so often: not per retry.
    if (attempt == 20 || (check.verdict == ClaimsVerdict::kFailed && attempt % 60 == 0)) {
      Log("pod " + ns + "/" + name + " on " + node + " cannot start yet: " + check.message);
    }
    return retry(attempt + 1);
  }
  if (options_.claim_device_status) {
    for (const Json& claim : check.claims) {
      Status st = PublishDeviceStatus(*client_, claim, node);
      if (!st.ok()) Log("claim device status for pod " + ns + "/" + name + ": " + st.ToString());
    }
  }
  Json status =
      RunningPodStatus(*pod, slot.node.host_ip, PodIp(slot.node.index, slot.next_ip++), NowRfc3339());
  StatusOr<Json> written =
      client_->Patch(kPods, ns, name, client::PatchType::kMerge, StatusPatch(std::move(status)), "status");
  if (!written.ok()) {
    if (written.status().code() == StatusCode::kNotFound) return forget();
    ++stats_.errors;
    if (attempt % 10 == 0) Log("starting pod " + ns + "/" + name + ": " + written.status().ToString());
    return retry(attempt + 1);
  }
  ++stats_.started;
  {
    std::lock_guard lock(mu_);
    auto it = stages_.find(uid);
    if (it == stages_.end() || it->second != Stage::kStarting) return;  // deleted meanwhile
    it->second = Stage::kRunning;
  }
  if (PodRunsToCompletion(*pod)) {
    executor_->PostAfter(options_.pod_run_time, [this, ns, name, uid] { CompletePod(ns, name, uid, 0); });
  }
}

void PodRunner::CompletePod(std::string ns, std::string name, std::string uid, int attempt) {
  if (stopping_) return;
  client::ObjectPtr pod = Current(ns, name, uid);
  if (!pod || IsDeleting(*pod)) return;
  if (Field(*pod, "status", "phase") != "Running") {
    // The informer may lag behind our own Running write: look again shortly.
    if (attempt < 50 && Field(*pod, "status", "phase") == "Pending") {
      executor_->PostAfter(Backoff(attempt),
                           [this, ns, name, uid, attempt] { CompletePod(ns, name, uid, attempt + 1); });
    }
    return;
  }
  Json status = TerminatedPodStatus(*pod, /*succeeded=*/true, NowRfc3339());
  StatusOr<Json> written =
      client_->Patch(kPods, ns, name, client::PatchType::kMerge, StatusPatch(std::move(status)), "status");
  if (!written.ok()) {
    if (written.status().code() == StatusCode::kNotFound) return;
    ++stats_.errors;
    if (attempt % 10 == 0) Log("completing pod " + ns + "/" + name + ": " + written.status().ToString());
    executor_->PostAfter(Backoff(attempt + 1),
                         [this, ns, name, uid, attempt] { CompletePod(ns, name, uid, attempt + 1); });
    return;
  }
  ++stats_.succeeded;
}

void PodRunner::TerminatePod(std::string ns, std::string name, std::string uid, int attempt) {
  if (stopping_) return;
  client::ObjectPtr pod = Current(ns, name, uid);
  if (!pod) return;  // already gone
  if (!IsTerminal(Field(*pod, "status", "phase"))) {
    // Containers stop on SIGTERM; a pod that never started has none to stop.
    Json status = TerminatedPodStatus(*pod, /*succeeded=*/false, NowRfc3339());
    StatusOr<Json> written =
        client_->Patch(kPods, ns, name, client::PatchType::kMerge, StatusPatch(std::move(status)), "status");
    if (!written.ok() && written.status().code() != StatusCode::kNotFound) {
      ++stats_.errors;
      if (attempt % 10 == 0) Log("stopping pod " + ns + "/" + name + ": " + written.status().ToString());
    }
  }
  client::DeleteOptions options;
  options.grace_period_seconds = 0;
  options.precondition_uid = uid;
  Status st = client_->Delete(kPods, ns, name, options);
  if (!st.ok() && st.code() != StatusCode::kNotFound && st.code() != StatusCode::kConflict) {
    ++stats_.errors;
    if (attempt % 10 == 0) Log("deleting pod " + ns + "/" + name + ": " + st.ToString());
    executor_->PostAfter(Backoff(attempt + 1),
                         [this, ns, name, uid, attempt] { TerminatePod(ns, name, uid, attempt + 1); });
    return;
  }
  ++stats_.deleted;
}

}  // namespace haru::node::sim
