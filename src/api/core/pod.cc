// core/v1 Pod: defaults (pkg/apis/core/v1/defaults.go), strategy (pkg/registry/core/pod),
// table columns (printPod) and field selectors.

#include <map>
#include <set>

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "common/quantity/quantity.h"

namespace haru::api::core {

namespace {

constexpr char kAppArmorAnnotationPrefix[] = "container.apparmor.security.beta.kubernetes.io/";

Json* MutableArray(Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_array() ? &*it : nullptr;
}

void DefaultProbe(Json& c, const char* key) {
  auto it = c.find(key);
  if (it == c.end() || !it->is_object()) return;
  Json& p = *it;
  if (!p.contains("timeoutSeconds")) p["timeoutSeconds"] = 1;
  if (!p.contains("periodSeconds")) p["periodSeconds"] = 10;
  if (!p.contains("successThreshold")) p["successThreshold"] = 1;
  if (!p.contains("failureThreshold")) p["failureThreshold"] = 3;
  if (p.contains("httpGet") && p["httpGet"].is_object()) {
    if (!p["httpGet"].contains("path")) p["httpGet"]["path"] = "/";
    if (!p["httpGet"].contains("scheme")) p["httpGet"]["scheme"] = "HTTP";
  }
}

// SetDefaults_Container plus the pod-level request<-limit copy.
void DefaultContainer(Json& c, bool host_network) {
  if (!c.is_object()) return;
  if (!c.contains("imagePullPolicy")) {
    std::string image = c.value("image", "");
    // The tag is after the last ':' that follows the last '/'; digests pin the image.
    std::string tag;
    size_t slash = image.rfind('/');
    size_t colon = image.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      tag = image.substr(colon + 1);
    }
    bool digest = image.find('@') != std::string::npos;
    c["imagePullPolicy"] = (!digest && (tag.empty() || tag == "latest")) ? "Always" : "IfNotPresent";
  }
  if (!c.contains("terminationMessagePath")) c["terminationMessagePath"] = "/dev/termination-log";
  if (!c.contains("terminationMessagePolicy")) c["terminationMessagePolicy"] = "File";
  if (Json* ports = MutableArray(c, "ports")) {
    for (Json& p : *ports) {
      if (!p.is_object()) continue;
      if (!p.contains("protocol")) p["protocol"] = "TCP";
      if (host_network && !p.contains("hostPort") && p.contains("containerPort")) {
        p["hostPort"] = p["containerPort"];
      }
    }
  }
  if (Json* env = MutableArray(c, "env")) {
    for (Json& e : *env) {
      Json* ref = e.is_object() && e.contains("valueFrom") && e["valueFrom"].is_object() &&
                          e["valueFrom"].contains("fieldRef") && e["valueFrom"]["fieldRef"].is_object()
                      ? &e["valueFrom"]["fieldRef"]
                      : nullptr;
      if (ref && !ref->contains("apiVersion")) (*ref)["apiVersion"] = "v1";
    }
  }
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    DefaultProbe(c, probe);
  }
  // Requests default to limits for resources with a limit and no request.
  auto res = c.find("resources");
  if (res != c.end() && res->is_object() && res->contains("limits") &&
      (*res)["limits"].is_object() && !(*res)["limits"].empty()) {
    Json& requests = (*res)["requests"];
    if (!requests.is_object()) requests = Json::object();
    for (auto it = (*res)["limits"].begin(); it != (*res)["limits"].end(); ++it) {
      if (!requests.contains(it.key())) requests[it.key()] = *it;
    }
  }
}

void DefaultVolume(Json& v) {
  if (!v.is_object()) return;
  static const char* kSources[] = {
      "hostPath", "emptyDir", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret",
      "nfs", "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "quobyte",
      "cinder", "cephfs", "downwardAPI", "fc", "azureFile", "vsphereVolume",
      "photonPersistentDisk", "portworxVolume", "azureDisk", "projected", "scaleIO", "configMap",
      "storageos", "csi", "ephemeral", "image"};
  bool any = false;
  for (const char* s : kSources) any = any || (v.contains(s) && !v[s].is_null());
  if (!any) v["emptyDir"] = Json::object();
  for (const char* s : {"secret", "configMap", "downwardAPI", "projected"}) {
    if (v.contains(s) && v[s].is_object() && !v[s].contains("defaultMode")) {
      v[s]["defaultMode"] = 420;  // 0644
    }
  }
  if (v.contains("hostPath") && v["hostPath"].is_object() && !v["hostPath"].contains("type")) {
    v["hostPath"]["type"] = "";
  }
  if (v.contains("projected") && v["projected"].is_object()) {
    if (Json* sources = MutableArray(v["projected"], "sources")) {
      for (Json& s : *sources) {
        if (s.is_object() && s.contains("serviceAccountToken") &&
            s["serviceAccountToken"].is_object() &&
            !s["serviceAccountToken"].contains("expirationSeconds")) {
          s["serviceAccountToken"]["expirationSeconds"] = 3600;
        }
      }
    }
  }
}

// Sums cpu/memory over `list` into `requests`/`limits`; clears `guaranteed` when a container
// lacks a cpu or memory limit.
void AccumulateQos(const Json* list, std::map<std::string, Quantity>& requests,
                   std::map<std::string, Quantity>& limits, bool& guaranteed) {
  if (list == nullptr || !list->is_array()) return;
  for (const Json& c : *list) {
    const Json* res = FindPath(c, {"resources"});
    std::set<std::string> found;
    for (const char* part : {"requests", "limits"}) {
      const Json* m = res ? FindPath(*res, {part}) : nullptr;
      if (m == nullptr || !m->is_object()) continue;
      for (auto it = m->begin(); it != m->end(); ++it) {
        if (it.key() != "cpu" && it.key() != "memory") continue;
        auto q = ParseQuantity(it->is_string() ? it->get<std::string>() : it->dump());
        if (!q.ok()) continue;
        bool is_limit = std::string_view(part) == "limits";
        if (is_limit ? q->IsZero() : q->Sign() <= 0) continue;
        auto& target = is_limit ? limits : requests;
        if (is_limit) found.insert(it.key());
        auto [pos, inserted] = target.emplace(it.key(), *q);
        if (!inserted) pos->second = pos->second.Add(*q);
      }
    }
    if (found.size() != 2) guaranteed = false;
  }
}

const Json* ContainerStatusArray(const Json& pod, const char* key) {
  const Json* v = FindPath(pod, {"status", key});
  return v && v->is_array() ? v : nullptr;
}

bool IsRestartableInit(const Json* c) { return c && GetString(*c, {"restartPolicy"}) == "Always"; }

bool PodConditionTrue(const Json& pod, std::string_view type) {
  const Json* conds = FindPath(pod, {"status", "conditions"});
  if (!conds || !conds->is_array()) return false;
  for (const Json& c : *conds) {
    if (GetString(c, {"type"}) == type) return GetString(c, {"status"}) == "True";
  }
  return false;
}

struct PodSummary {
  std::string reason;
  int ready = 0;
  int total = 0;
  int restarts = 0;
  int64_t last_restart = 0;  // unix seconds, 0 = none
};

int64_t FinishedAt(const Json& status) {
  const Json* t = FindPath(status, {"lastState", "terminated", "finishedAt"});
  if (!t || !t->is_string()) return 0;
  return ParseRfc3339(t->get<std::string>()).value_or(0);
}

PodSummary Summarize(const Json& pod) {
  PodSummary s;
  const Json* containers = FindPath(pod, {"spec", "containers"});
  s.total = containers && containers->is_array() ? static_cast<int>(containers->size()) : 0;
  std::string phase = GetString(pod, {"status", "phase"});
  s.reason = phase;
  std::string status_reason = GetString(pod, {"status", "reason"});
  if (!status_reason.empty()) s.reason = status_reason;
  if (const Json* conds = FindPath(pod, {"status", "conditions"}); conds && conds->is_array()) {
    for (const Json& c : *conds) {
      if (GetString(c, {"type"}) == "PodScheduled" && GetString(c, {"reason"}) == "SchedulingGated") {
        s.reason = "SchedulingGated";
      }
    }
  }
  std::map<std::string, const Json*> init_specs;
  const Json* inits = FindPath(pod, {"spec", "initContainers"});
  size_t init_count = inits && inits->is_array() ? inits->size() : 0;
  if (inits && inits->is_array()) {
    for (const Json& c : *inits) {
      init_specs[GetString(c, {"name"})] = &c;
      if (IsRestartableInit(&c)) ++s.total;
    }
  }
  int restartable_restarts = 0;
  int64_t restartable_last = 0;
  bool initializing = false;
  if (const Json* st = ContainerStatusArray(pod, "initContainerStatuses")) {
    for (size_t i = 0; i < st->size(); ++i) {
      const Json& c = (*st)[i];
      const Json* spec = init_specs.count(GetString(c, {"name"}))
                             ? init_specs[GetString(c, {"name"})]
                             : nullptr;
      int rc = static_cast<int>(GetInt(c, {"restartCount"}));
      s.restarts += rc;
      s.last_restart = std::max(s.last_restart, FinishedAt(c));
      if (IsRestartableInit(spec)) {
        restartable_restarts += rc;
        restartable_last = std::max(restartable_last, FinishedAt(c));
      }
      const Json* term = FindPath(c, {"state", "terminated"});
      const Json* waiting = FindPath(c, {"state", "waiting"});
      if (term && term->is_object() && GetInt(*term, {"exitCode"}) == 0) continue;
      if (IsRestartableInit(spec) && GetBool(c, {"started"})) {
        if (GetBool(c, {"ready"})) ++s.ready;
        continue;
      }
      if (term && term->is_object()) {
        std::string r = GetString(*term, {"reason"});
        if (r.empty()) {
          int64_t sig = GetInt(*term, {"signal"});
          s.reason = sig != 0 ? "Init:Signal:" + std::to_string(sig)
                              : "Init:ExitCode:" + std::to_string(GetInt(*term, {"exitCode"}));
        } else {
          s.reason = "Init:" + r;
        }
      } else if (waiting && waiting->is_object() && !GetString(*waiting, {"reason"}).empty() &&
                 GetString(*waiting, {"reason"}) != "PodInitializing") {
        s.reason = "Init:" + GetString(*waiting, {"reason"});
      } else {
        s.reason = "Init:" + std::to_string(i) + "/" + std::to_string(init_count);
      }
      initializing = true;
      break;
    }
  }
  if (!initializing || PodConditionTrue(pod, "Initialized")) {
    s.restarts = restartable_restarts;
    s.last_restart = restartable_last;
    bool has_running = false;
    if (const Json* st = ContainerStatusArray(pod, "containerStatuses")) {
      for (size_t k = st->size(); k-- > 0;) {
        const Json& c = (*st)[k];
        s.restarts += static_cast<int>(GetInt(c, {"restartCount"}));
        s.last_restart = std::max(s.last_restart, FinishedAt(c));
        const Json* term = FindPath(c, {"state", "terminated"});
        const Json* waiting = FindPath(c, {"state", "waiting"});
        const Json* running = FindPath(c, {"state", "running"});
        if (waiting && waiting->is_object() && !GetString(*waiting, {"reason"}).empty()) {
          s.reason = GetString(*waiting, {"reason"});
        } else if (term && term->is_object() && !GetString(*term, {"reason"}).empty()) {
          s.reason = GetString(*term, {"reason"});
        } else if (term && term->is_object()) {
          int64_t sig = GetInt(*term, {"signal"});
          s.reason = sig != 0 ? "Signal:" + std::to_string(sig)
                              : "ExitCode:" + std::to_string(GetInt(*term, {"exitCode"}));
        } else if (GetBool(c, {"ready"}) && running && running->is_object()) {
          has_running = true;
          ++s.ready;
        }
      }
    }
    if (s.reason == "Completed" && has_running) {
      s.reason = PodConditionTrue(pod, "Ready") ? "Running" : "NotReady";
    }
  }
  const Json* deletion = FindPath(pod, {"metadata", "deletionTimestamp"});
  if (deletion && !deletion->is_null()) {
    if (status_reason == "NodeLost") {
      s.reason = "Unknown";
    } else if (phase != "Failed" && phase != "Succeeded") {
      s.reason = "Terminating";
    }
  }
  return s;
}

std::string PodIp(const Json& pod) {
  const Json* ips = FindPath(pod, {"status", "podIPs"});
  if (ips && ips->is_array() && !ips->empty()) return GetString((*ips)[0], {"ip"});
  return GetString(pod, {"status", "podIP"});
}

std::string OrNone(std::string s) { return s.empty() ? "<none>" : s; }

std::string BoolString(const Json& obj, std::initializer_list<std::string_view> path) {
  return GetBool(obj, path) ? "true" : "false";
}

std::vector<TableColumn> PodColumns() {
  return {
      NameColumn(),
      {"Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0,
       [](const Json& p) {
         PodSummary s = Summarize(p);
         return Json(std::to_string(s.ready) + "/" + std::to_string(s.total));
       }},
      {"Status", "string", "", "The aggregate status of the containers in this pod.", 0,
       [](const Json& p) { return Json(PodStatusReason(p)); }},
      {"Restarts", "string", "",
       "The number of times the containers in this pod have been restarted and when the last "
       "container in this pod has restarted.",
       0,
       [](const Json& p) {
         PodSummary s = Summarize(p);
         std::string out = std::to_string(s.restarts);
         if (s.restarts != 0 && s.last_restart != 0) {
           out += " (" + HumanDuration(NowUnix() - s.last_restart) + " ago)";
         }
         return Json(out);
       }},
      AgeColumn(),
      {"IP", "string", "",
       "podIP address allocated to the pod. Routable at least within the cluster. Empty if not "
       "yet allocated.",
       1, [](const Json& p) { return Json(OrNone(PodIp(p))); }},
      {"Node", "string", "",
       "NodeName indicates in which node this pod is scheduled. If empty, this pod is a "
       "candidate for scheduling by the scheduler defined in schedulerName. Once this field is "
       "set, the kubelet for this node becomes responsible for the lifecycle of this pod. This "
       "field should not be used to express a desire for the pod to be scheduled on a specific "
       "node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename",
       1, [](const Json& p) { return Json(OrNone(GetString(p, {"spec", "nodeName"}))); }},
      {"Nominated Node", "string", "",
       "nominatedNodeName is set only when this pod preempts other pods on the node, but it "
       "cannot be scheduled right away as preemption victims receive their graceful "
       "termination periods. This field does not guarantee that the pod will be scheduled on "
       "this node. Scheduler may decide to place the pod elsewhere if other nodes become "
       "available sooner. Scheduler may also decide to give the resources on this node to a "
       "higher priority pod that is created after preemption. As a result, this field may be "
       "different than PodSpec.nodeName when the pod is scheduled.",
       1, [](const Json& p) { return Json(OrNone(GetString(p, {"status", "nominatedNodeName"}))); }},
      {"Readiness Gates", "string", "",
       "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready "
       "when all its containers are ready AND all conditions specified in the readiness gates "
       "have status equal to \"True\" More info: "
       "https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
       1,
       [](const Json& p) {
         const Json* gates = FindPath(p, {"spec", "readinessGates"});
         if (!gates || !gates->is_array() || gates->empty()) return Json("<none>");
         int true_count = 0;
         const Json* conds = FindPath(p, {"status", "conditions"});
         for (const Json& g : *gates) {
           std::string type = GetString(g, {"conditionType"});
           if (!conds || !conds->is_array()) continue;
           for (const Json& c : *conds) {
             if (GetString(c, {"type"}) == type) {
               if (GetString(c, {"status"}) == "True") ++true_count;
               break;
             }
           }
         }
         return Json(std::to_string(true_count) + "/" + std::to_string(gates->size()));
       }},
  };
}

// AppArmor annotation -> container field (upstream's applyAppArmorVersionSkew, phase 2).
void ApplyAppArmorVersionSkew(Json& pod) {
  const Json* annotations = FindPath(pod, {"metadata", "annotations"});
  if (!annotations || !annotations->is_object()) return;
  const Json* pod_profile = FindPath(pod, {"spec", "securityContext", "appArmorProfile"});
  auto it = pod.find("spec");
  if (it == pod.end() || !it->is_object()) return;
  for (const char* list : {"initContainers", "containers"}) {
    Json* cs = MutableArray(*it, list);
    if (!cs) continue;
    for (Json& c : *cs) {
      if (!c.is_object()) continue;
      if (FindPath(c, {"securityContext", "appArmorProfile"})) continue;
      std::string key = kAppArmorAnnotationPrefix + c.value("name", "");
      if (!annotations->contains(key) || !(*annotations)[key].is_string()) continue;
      std::string value = (*annotations)[key].get<std::string>();
      Json profile;
      if (value == "runtime/default") {
        profile = {{"type", "RuntimeDefault"}};
      } else if (value == "unconfined") {
        profile = {{"type", "Unconfined"}};
      } else if (value.rfind("localhost/", 0) == 0 && value.size() > 10) {
        profile = {{"type", "Localhost"}, {"localhostProfile", value.substr(10)}};
      } else {
        continue;  // invalid values are not copied
      }
      if (pod_profile && *pod_profile == profile) continue;
      MutablePath(c, {"securityContext"})["appArmorProfile"] = profile;
    }
  }
}

}  // namespace

void DefaultPod(Json& pod) {
  if (!pod.is_object()) return;
  Json& spec = MutablePath(pod, {"spec"});
  bool host_network = GetBool(spec, {"hostNetwork"});
  for (const char* list : {"initContainers", "containers", "ephemeralContainers"}) {
    if (Json* cs = MutableArray(spec, list)) {
      for (Json& c : *cs) DefaultContainer(c, host_network);
    }
  }
  if (Json* vols = MutableArray(spec, "volumes")) {
    for (Json& v : *vols) DefaultVolume(v);
  }
  if (!spec.contains("dnsPolicy")) spec["dnsPolicy"] = "ClusterFirst";
  if (!spec.contains("restartPolicy")) spec["restartPolicy"] = "Always";
  if (!spec.contains("securityContext") || spec["securityContext"].is_null()) {
    spec["securityContext"] = Json::object();
  }
  if (!spec.contains("terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 30;
  if (!spec.contains("schedulerName")) spec["schedulerName"] = "default-scheduler";
  if (!spec.contains("enableServiceLinks")) spec["enableServiceLinks"] = true;
  if (Json* tolerations = MutableArray(spec, "tolerations")) {
    (void)tolerations;
  }
  // Pod-level resources: requests default to limits as for containers.
  if (spec.contains("resources") && spec["resources"].is_object()) {
    Json& res = spec["resources"];
    if (res.contains("limits") && res["limits"].is_object() && !res["limits"].empty()) {
      Json& req = res["requests"];
      if (!req.is_object()) req = Json::object();
      for (auto it = res["limits"].begin(); it != res["limits"].end(); ++it) {
        if (!req.contains(it.key())) req[it.key()] = *it;
      }
    }
  }
}

std::string PodQosClass(const Json& pod) {
  std::map<std::string, Quantity> requests, limits;
  bool guaranteed = true;
  const Json* pod_resources = FindPath(pod, {"spec", "resources"});
  if (pod_resources && pod_resources->is_object()) {
    Json wrapper = Json::array({Json{{"resources", *pod_resources}}});
    AccumulateQos(&wrapper, requests, limits, guaranteed);
  } else {
    AccumulateQos(FindPath(pod, {"spec", "containers"}), requests, limits, guaranteed);
    AccumulateQos(FindPath(pod, {"spec", "initContainers"}), requests, limits, guaranteed);
  }
  if (requests.empty() && limits.empty()) return "BestEffort";
  if (guaranteed) {
    for (const auto& [name, q] : requests) {
      auto it = limits.find(name);
      if (it == limits.end() || it->second.Cmp(q) != 0) {
        guaranteed = false;
        break;
      }
    }
  }
  if (guaranteed && requests.size() == limits.size()) return "Guaranteed";
  return "Burstable";
}

void PreparePodForCreate(Json& pod) {
  Json status = {{"phase", "Pending"}, {"qosClass", PodQosClass(pod)}};
  const Json* gates = FindPath(pod, {"spec", "schedulingGates"});
  if (gates && gates->is_array() && !gates->empty()) {
    status["conditions"] = Json::array({Json{{"type", "PodScheduled"},
                                            {"status", "False"},
                                            {"reason", "SchedulingGated"},
                                            {"message", "Scheduling is blocked due to non-empty scheduling gates"},
                                            {"lastProbeTime", nullptr},
                                            {"lastTransitionTime", nullptr}}});
  }
  pod["status"] = std::move(status);
  ApplyAppArmorVersionSkew(pod);
}

std::string PodStatusReason(const Json& pod) { return Summarize(pod).reason; }

std::vector<std::string> PodWarnings(const Json& pod, const Json* old) {
  std::vector<std::string> out;
  const Json* vols = FindPath(pod, {"spec", "volumes"});
  if (vols && vols->is_array()) {
    for (size_t i = 0; i < vols->size(); ++i) {
      const Json* g = FindPath((*vols)[i], {"gitRepo"});
      if (g && !g->is_null()) {
        out.push_back(Index("spec.volumes", i) +
                      ".gitRepo: deprecated in v1.11, and disabled by default in v1.33+");
      }
    }
  }
  if (old == nullptr) {
    const Json* annotations = FindPath(pod, {"metadata", "annotations"});
    if (annotations && annotations->is_object()) {
      for (auto it = annotations->begin(); it != annotations->end(); ++it) {
        if (it.key().rfind(kAppArmorAnnotationPrefix, 0) == 0) {
          out.push_back("metadata.annotations[" + it.key() +
                        "]: deprecated since v1.30; use the \"appArmorProfile\" field instead");
        }
      }
    }
  }
  return out;
}

const KindSpec& PodKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "Pod"};
    s.plural = "pods";
    s.singular = "pod";
    s.short_names = {"po"};
    s.categories = {"all"};
    s.scope = Scope::kNamespaced;
    s.name_rule = NameRule::kDnsSubdomain;
    s.schema = "io.k8s.api.core.v1.Pod";
    s.has_status = true;
    s.tracks_generation = true;
    s.extra_subresources = {{"binding"}};
    s.default_fields = &DefaultPod;
    s.prepare_for_create = &PreparePodForCreate;
    s.prepare_for_update = [](Json& obj, const Json& old) {
      if (old.contains("status")) {
        obj["status"] = old["status"];
      } else {
        obj.erase("status");
      }
    };
    s.validate = &ValidatePod;
    s.validate_update = &ValidatePodUpdate;
    s.warnings = &PodWarnings;
    s.prepare_for_status_update = [](Json& obj, const Json& old) {
      if (old.contains("spec")) obj["spec"] = old["spec"];
      Json& meta = MutablePath(obj, {"metadata"});
      meta.erase("deletionTimestamp");
      if (const Json* d = FindPath(old, {"metadata", "deletionTimestamp"})) meta["deletionTimestamp"] = *d;
      meta.erase("ownerReferences");
      if (const Json* o = FindPath(old, {"metadata", "ownerReferences"})) meta["ownerReferences"] = *o;
    };
    s.validate_status_update = [](const Json& obj, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(obj, old);
      std::string node = GetString(obj, {"status", "nominatedNodeName"});
      if (!node.empty()) {
        Append(errs, InvalidEach("status.nominatedNodeName", node, NameIsDnsSubdomain(node, false)));
      }
      return errs;
    };
    s.columns = PodColumns();
    s.selectable_fields = {
        {"spec.nodeName", [](const Json& o) { return GetString(o, {"spec", "nodeName"}); },
         "spec.nodeName"},
        {"spec.restartPolicy", [](const Json& o) { return GetString(o, {"spec", "restartPolicy"}); },
         "spec.restartPolicy"},
        {"spec.schedulerName", [](const Json& o) { return GetString(o, {"spec", "schedulerName"}); },
         "spec.schedulerName"},
        {"spec.serviceAccountName",
         [](const Json& o) { return GetString(o, {"spec", "serviceAccountName"}); },
         "spec.serviceAccountName"},
        {"spec.hostNetwork", [](const Json& o) { return BoolString(o, {"spec", "hostNetwork"}); },
         "spec.hostNetwork", /*json_bool=*/true},
        {"status.phase", [](const Json& o) { return GetString(o, {"status", "phase"}); },
         "status.phase"},
        // podIPs[0].ip wins over podIP: not a plain path, computed from the parsed object.
        {"status.podIP", [](const Json& o) { return PodIp(o); }},
        {"status.nominatedNodeName",
         [](const Json& o) { return GetString(o, {"status", "nominatedNodeName"}); },
         "status.nominatedNodeName"},
    };
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
