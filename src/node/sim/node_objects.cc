#include "node/sim/node_objects.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

namespace haru::node::sim {

namespace {

std::string FormatTime(bool micro) {
  auto now = std::chrono::system_clock::now();
  auto since = now.time_since_epoch();
  std::time_t secs = std::chrono::duration_cast<std::chrono::seconds>(since).count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (micro) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(since).count() % 1000000;
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us));
    out += buf;
  }
  return out + "Z";
}

// 64 hex characters derived from `key` (fake container IDs and image digests).
std::string Hex64(const std::string& key) {
  std::string out;
  uint64_t h = 1469598103934665603ull;
  for (int round = 0; round < 4; ++round) {
    for (unsigned char c : key) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= static_cast<uint64_t>(round) * 0x9e3779b97f4a7c15ull;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    out += buf;
  }
  return out;
}

std::string ImageId(const std::string& image) {
  std::string repo = image;
  size_t at = repo.find('@');
  if (at != std::string::npos) return repo;  // already pinned by digest
  size_t slash = repo.rfind('/');
  size_t colon = repo.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) repo.resize(colon);
  if (repo.find('/') == std::string::npos) repo = "docker.io/library/" + repo;
  return repo + "@sha256:" + Hex64(image);
}

Json Condition(const std::string& type, const std::string& status, const std::string& now,
               const std::string& reason = "") {
  Json c = {{"type", type}, {"status", status}, {"lastProbeTime", nullptr}, {"lastTransitionTime", now}};
  if (!reason.empty()) c["reason"] = reason;
  return c;
}

// `existing` conditions with those of the same type as `ours` replaced (keeping the old
// lastTransitionTime when the status did not change), then any of ours not yet there.
Json MergeConditions(const Json* existing, const Json& ours) {
  Json out = Json::array();
  std::vector<bool> used(ours.size(), false);
  if (existing && existing->is_array()) {
    for (const Json& c : *existing) {
      if (!c.is_object()) continue;
      std::string type = c.value("type", "");
      bool replaced = false;
      for (size_t i = 0; i < ours.size(); ++i) {
        if (ours[i]["type"] != type) continue;
        Json next = ours[i];
        if (c.value("status", "") == next.value("status", "") && c.contains("lastTransitionTime")) {
          next["lastTransitionTime"] = c["lastTransitionTime"];
        }
        out.push_back(std::move(next));
        used[i] = true;
        replaced = true;
        break;
      }
      if (!replaced) out.push_back(c);
    }
  }
  for (size_t i = 0; i < ours.size(); ++i) {
    if (!used[i]) out.push_back(ours[i]);
  }
  return out;
}

const Json& ArrayAt(const Json& obj, const char* a, const char* b) {
  static const Json kEmpty = Json::array();
  auto it = obj.find(a);
  if (it == obj.end() || !it->is_object()) return kEmpty;
  auto jt = it->find(b);
  if (jt == it->end() || !jt->is_array()) return kEmpty;
  return *jt;
}

std::string Uid(const Json& pod) {
  auto m = pod.find("metadata");
  return m != pod.end() && m->is_object() ? m->value("uid", "") : "";
}

Json ContainerStatus(const Json& container, const std::string& pod_uid, const Json& state, bool ready,
                     bool started) {
  std::string name = container.value("name", "");
  std::string image = container.value("image", "");
  return Json{{"name", name},
              {"image", image},
              {"imageID", ImageId(image)},
              {"containerID", "containerd://" + Hex64(pod_uid + "/" + name)},
              {"ready", ready},
              {"started", started},
              {"restartCount", 0},
              {"state", state},
              {"lastState", Json::object()}};
}

Json CopyKept(const Json& pod) {
  Json status = Json::object();
  auto s = pod.find("status");
  if (s != pod.end() && s->is_object()) {
    for (const char* keep : {"qosClass", "hostIP", "hostIPs", "podIP", "podIPs", "startTime",
                             "resourceClaimStatuses", "nominatedNodeName"}) {
      if (s->contains(keep)) status[keep] = (*s)[keep];
    }
  }
  return status;
}

}  // namespace

std::string NowRfc3339() { return FormatTime(false); }
std::string NowRfc3339Micro() { return FormatTime(true); }

std::string NodeInternalIp(int index) {
  unsigned n = static_cast<unsigned>(index) + 1;
  return "172." + std::to_string(16 + ((n >> 16) & 0x0f)) + "." + std::to_string((n >> 8) & 0xff) + "." +
         std::to_string(n & 0xff);
}

std::string NodePodCidr(int index) {
  unsigned n = static_cast<unsigned>(index);
  return "10." + std::to_string(64 + ((n >> 8) & 0x3f)) + "." + std::to_string(n & 0xff) + ".0/24";
}

std::string PodIp(int index, uint64_t n) {
  std::string cidr = NodePodCidr(index);
  std::string base = cidr.substr(0, cidr.rfind('.') + 1);
  return base + std::to_string(2 + n % 253);
}

Json BuildNode(const NodeShape& shape, const std::string& heartbeat) {
  Json labels = {{"kubernetes.io/hostname", shape.name},
                 {"kubernetes.io/os", "linux"},
                 {"kubernetes.io/arch", "amd64"},
                 {"haru.dev/simulated", "true"}};
  if (shape.gpus > 0 && !shape.gpu_model.empty()) {
    labels["node.kubernetes.io/instance-type"] = "sim-" + std::to_string(shape.gpus) + "x-" + shape.gpu_model;
    labels["gpu.haru.dev/model"] = shape.gpu_model;
    labels["gpu.haru.dev/count"] = std::to_string(shape.gpus);
  } else {
    labels["node.kubernetes.io/instance-type"] = "sim-cpu";
  }
  Json capacity = {{"cpu", shape.cpu},
                   {"memory", shape.memory},
                   {"pods", std::to_string(shape.max_pods)},
                   {"ephemeral-storage", shape.ephemeral_storage}};
  std::string cidr = NodePodCidr(shape.index);
  std::string id = Hex64(shape.name).substr(0, 32);
  return Json{
      {"apiVersion", "v1"},
      {"kind", "Node"},
      {"metadata", {{"name", shape.name}, {"labels", std::move(labels)}}},
      {"spec",
       {{"podCIDR", cidr}, {"podCIDRs", Json::array({cidr})}, {"providerID", "haru-sim://" + shape.name}}},
      {"status",
       {{"capacity", capacity},
        {"allocatable", capacity},
        {"conditions", NodeConditions(heartbeat, heartbeat)},
        {"addresses", Json::array({Json{{"type", "InternalIP"}, {"address", NodeInternalIp(shape.index)}},
                                   Json{{"type", "Hostname"}, {"address", shape.name}}})},
        {"daemonEndpoints", {{"kubeletEndpoint", {{"Port", 10250}}}}},
        {"nodeInfo",
         {{"machineID", id},
          {"systemUUID", id.substr(0, 8) + "-" + id.substr(8, 4) + "-" + id.substr(12, 4) + "-" +
                             id.substr(16, 4) + "-" + id.substr(20, 12)},
          {"bootID", Hex64(shape.name + "/boot").substr(0, 32)},
          {"kernelVersion", "6.12.0-haru-sim"},
          {"osImage", "haru simulated node"},
          {"containerRuntimeVersion", "haru-sim://1.0.0"},
          {"kubeletVersion", kKubeletVersion},
          {"operatingSystem", "linux"},
          {"architecture", "amd64"}}}}}};
}

Json NodeConditions(const std::string& heartbeat, const std::string& transition) {
  auto cond = [&](const char* type, const char* status, const char* reason, const char* message) {
    return Json{{"type", type},
                {"status", status},
                {"lastHeartbeatTime", heartbeat},
                {"lastTransitionTime", transition},
                {"reason", reason},
                {"message", message}};
  };
  return Json::array(
      {cond("MemoryPressure", "False", "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available"),
       cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
       cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
       cond("Ready", "True", "KubeletReady", "kubelet is posting ready status")});
}

Json BuildLease(const std::string& node, const std::string& node_uid, int duration_seconds,
                const std::string& renew_time) {
  Json meta = {{"name", node}, {"namespace", kNodeLeaseNamespace}};
  if (!node_uid.empty()) {
    meta["ownerReferences"] =
        Json::array({Json{{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node}, {"uid", node_uid}}});
  }
  return Json{
      {"apiVersion", "coordination.k8s.io/v1"},
      {"kind", "Lease"},
      {"metadata", std::move(meta)},
      {"spec",
       {{"holderIdentity", node}, {"leaseDurationSeconds", duration_seconds}, {"renewTime", renew_time}}}};
}

bool PodRunsToCompletion(const Json& pod) {
  auto m = pod.find("metadata");
  if (m != pod.end() && m->is_object()) {
    auto owners = m->find("ownerReferences");
    if (owners != m->end() && owners->is_array()) {
      for (const Json& o : *owners) {
        if (o.is_object() && o.value("kind", "") == "Job") return true;
      }
    }
  }
  auto s = pod.find("spec");
  std::string policy = s != pod.end() && s->is_object() ? s->value("restartPolicy", "Always") : "Always";
  return policy == "Never" || policy == "OnFailure";
}

Json RunningPodStatus(const Json& pod, const std::string& host_ip, const std::string& pod_ip,
                      const std::string& now) {
  Json status = CopyKept(pod);
  status["phase"] = "Running";
  status["hostIP"] = host_ip;
  status["hostIPs"] = Json::array({Json{{"ip", host_ip}}});
  status["podIP"] = pod_ip;
  status["podIPs"] = Json::array({Json{{"ip", pod_ip}}});
  if (!status.contains("startTime")) status["startTime"] = now;
  std::string uid = Uid(pod);
  Json inits = Json::array();
  for (const Json& c : ArrayAt(pod, "spec", "initContainers")) {
    Json state = {{"terminated",
                   {{"exitCode", 0},
                    {"reason", "Completed"},
                    {"startedAt", now},
                    {"finishedAt", now},
                    {"containerID", "containerd://" + Hex64(uid + "/" + c.value("name", ""))}}}};
    inits.push_back(ContainerStatus(c, uid, state, true, false));
  }
  if (!inits.empty()) status["initContainerStatuses"] = std::move(inits);
  Json containers = Json::array();
  for (const Json& c : ArrayAt(pod, "spec", "containers")) {
    containers.push_back(ContainerStatus(c, uid, Json{{"running", {{"startedAt", now}}}}, true, true));
  }
  status["containerStatuses"] = std::move(containers);
  Json ours =
      Json::array({Condition("PodReadyToStartContainers", "True", now), Condition("Initialized", "True", now),
                   Condition("Ready", "True", now), Condition("ContainersReady", "True", now),
                   Condition("PodScheduled", "True", now)});
  auto s = pod.find("status");
  const Json* existing =
      s != pod.end() && s->is_object() && s->contains("conditions") ? &(*s)["conditions"] : nullptr;
  status["conditions"] = MergeConditions(existing, ours);
  return status;
}

Json TerminatedPodStatus(const Json& pod, bool succeeded, const std::string& now) {
  Json status = CopyKept(pod);
  status["phase"] = succeeded ? "Succeeded" : "Failed";
  std::string uid = Uid(pod);
  // Keep init container statuses as they were.
  auto s = pod.find("status");
  if (s != pod.end() && s->is_object() && s->contains("initContainerStatuses")) {
    status["initContainerStatuses"] = (*s)["initContainerStatuses"];
  }
  Json containers = Json::array();
  for (const Json& c : ArrayAt(pod, "spec", "containers")) {
    std::string started = now;
    for (const Json& cs : ArrayAt(pod, "status", "containerStatuses")) {
      if (cs.is_object() && cs.value("name", "") == c.value("name", "")) {
        const Json* at = nullptr;
        auto st = cs.find("state");
        if (st != cs.end() && st->is_object() && st->contains("running")) at = &(*st)["running"];
        if (at && at->is_object() && at->contains("startedAt")) started = (*at)["startedAt"];
      }
    }
    Json terminated = {{"exitCode", succeeded ? 0 : 143},
                       {"reason", succeeded ? "Completed" : "Error"},
                       {"startedAt", started},
                       {"finishedAt", now},
                       {"containerID", "containerd://" + Hex64(uid + "/" + c.value("name", ""))}};
    containers.push_back(ContainerStatus(c, uid, Json{{"terminated", std::move(terminated)}}, false, false));
  }
  status["containerStatuses"] = std::move(containers);
  const std::string reason = "PodCompleted";
  Json ours = Json::array({Condition("PodReadyToStartContainers", "False", now),
                           Condition("Ready", "False", now, reason),
                           Condition("ContainersReady", "False", now, reason)});
  const Json* existing =
      s != pod.end() && s->is_object() && s->contains("conditions") ? &(*s)["conditions"] : nullptr;
  status["conditions"] = MergeConditions(existing, ours);
  return status;
}

}  // namespace haru::node::sim
