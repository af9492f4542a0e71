// Parsing pods and nodes into the scheduler's structs, and resource arithmetic.

#include "scheduler/framework/types.h"

#include <algorithm>

#include "api/meta/object.h"
#include "common/quantity/quantity.h"

namespace haru::scheduler {
namespace {

using api::FindPath;
using api::GetString;

// Upstream's defaults for containers without a cpu or memory request, used only for scoring.
constexpr int64_t kDefaultMilliCpuRequest = 100;
constexpr int64_t kDefaultMemoryRequest = 200 * 1024 * 1024;

const Json& ArrayAt(const Json& obj, std::initializer_list<std::string_view> path) {
  static const Json kEmpty = Json::array();
  const Json* v = FindPath(obj, path);
  return v && v->is_array() ? *v : kEmpty;
}

int64_t* Slot(ResourceList* r, std::string_view name) {
  if (name == "cpu") return &r->milli_cpu;
  if (name == "memory") return &r->memory;
  if (name == "ephemeral-storage") return &r->ephemeral_storage;
  if (name == "pods") return &r->pods;
  return nullptr;
}

// A container's requests; a resource with only a limit counts the limit (API defaulting does
// the same, this covers objects written before it).
Status ContainerRequests(const Json& c, const std::string& path, ResourceList* out) {
  const Json* requests = FindPath(c, {"resources", "requests"});
  if (requests && requests->is_object()) {
    HARU_RETURN_IF_ERROR(AddResourceList(*requests, path + ".resources.requests", out));
  }
  const Json* limits = FindPath(c, {"resources", "limits"});
  if (limits && limits->is_object()) {
    for (auto it = limits->begin(); it != limits->end(); ++it) {
      if (requests && requests->is_object() && requests->contains(it.key())) continue;
      Json one = {{it.key(), *it}};
      HARU_RETURN_IF_ERROR(AddResourceList(one, path + ".resources.limits", out));
    }
  }
  return Status::OK();
}

void NonZero(const Json& c, const ResourceList& r, int64_t* cpu, int64_t* mem) {
  auto has = [&](const char* name) {
    const Json* req = FindPath(c, {"resources", "requests", name});
    const Json* lim = FindPath(c, {"resources", "limits", name});
    return (req && !req->is_null()) || (lim && !lim->is_null());
  };
  *cpu = has("cpu") ? r.milli_cpu : kDefaultMilliCpuRequest;
  *mem = has("memory") ? r.memory : kDefaultMemoryRequest;
}

Toleration ParseToleration(const Json& t) {
  Toleration out;
  out.key = GetString(t, {"key"});
  std::string op = GetString(t, {"operator"});
  if (!op.empty()) out.op = op;
  out.value = GetString(t, {"value"});
  out.effect = GetString(t, {"effect"});
  return out;
}

}  // namespace

int64_t ResourceList::Scalar(std::string_view name) const {
  for (const auto& [k, v] : scalars) {
    if (k == name) return v;
  }
  return 0;
}

void ResourceList::AddScalar(std::string_view name, int64_t value) {
  auto it = std::lower_bound(scalars.begin(), scalars.end(), name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  if (it != scalars.end() && it->first == name) {
    it->second += value;
  } else {
    scalars.insert(it, {std::string(name), value});
  }
}

void ResourceList::MaxScalar(std::string_view name, int64_t value) {
  auto it = std::lower_bound(scalars.begin(), scalars.end(), name,
                             [](const auto& e, std::string_view n) { return e.first < n; });
  if (it != scalars.end() && it->first == name) {
    it->second = std::max(it->second, value);
  } else {
    scalars.insert(it, {std::string(name), value});
  }
}

void ResourceList::Add(const ResourceList& o) {
  milli_cpu += o.milli_cpu;
  memory += o.memory;
  ephemeral_storage += o.ephemeral_storage;
  pods += o.pods;
  for (const auto& [k, v] : o.scalars) AddScalar(k, v);
}

void ResourceList::Sub(const ResourceList& o) {
  milli_cpu -= o.milli_cpu;
  memory -= o.memory;
  ephemeral_storage -= o.ephemeral_storage;
  pods -= o.pods;
  for (const auto& [k, v] : o.scalars) AddScalar(k, -v);
}

void ResourceList::Max(const ResourceList& o) {
  milli_cpu = std::max(milli_cpu, o.milli_cpu);
  memory = std::max(memory, o.memory);
  ephemeral_storage = std::max(ephemeral_storage, o.ephemeral_storage);
  pods = std::max(pods, o.pods);
  for (const auto& [k, v] : o.scalars) MaxScalar(k, v);
}

Status AddResourceList(const Json& list, const std::string& path, ResourceList* out, bool max) {
  if (!list.is_object()) return Status::OK();
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (!it->is_string() && !it->is_number()) {
      return Status::Invalid(path + "[" + it.key() + "]: Invalid value: must be a quantity");
    }
    std::string text = it->is_string() ? it->get<std::string>() : it->dump();
    auto q = ParseQuantity(text);
    if (!q.ok()) return Status::Invalid(path + "[" + it.key() + "]: Invalid value: \"" + text + "\": " + q.status().message());
    const std::string& name = it.key();
    int64_t value = name == "cpu" ? q->MilliValue() : q->Value();
    if (int64_t* slot = Slot(out, name)) {
      *slot = max ? std::max(*slot, value) : *slot + value;
    } else if (max) {
      out->MaxScalar(name, value);
    } else {
      out->AddScalar(name, value);
    }
  }
  return Status::OK();
}

bool ToleratesTaint(const Toleration& t, const Taint& taint) {
  if (!t.effect.empty() && t.effect != taint.effect) return false;
  if (t.key.empty()) return t.op == "Exists";  // an empty key with Exists tolerates everything
  if (t.key != taint.key) return false;
  if (t.op == "Exists") return true;
  if (t.op == "Equal" || t.op.empty()) return t.value == taint.value;
  return false;
}

bool ToleratesAny(const std::vector<Toleration>& tolerations, const Taint& taint) {
  for (const auto& t : tolerations) {
    if (ToleratesTaint(t, taint)) return true;
  }
  return false;
}

std::shared_ptr<PodInfo> ParsePod(const Json& pod) {
  auto p = std::make_shared<PodInfo>();
  p->ns = GetString(pod, {"metadata", "namespace"});
  p->name = GetString(pod, {"metadata", "name"});
  p->uid = GetString(pod, {"metadata", "uid"});
  p->resource_version = GetString(pod, {"metadata", "resourceVersion"});
  p->creation_timestamp = GetString(pod, {"metadata", "creationTimestamp"});
  p->deleting = FindPath(pod, {"metadata", "deletionTimestamp"}) != nullptr &&
                !FindPath(pod, {"metadata", "deletionTimestamp"})->is_null();
  p->node_name = GetString(pod, {"spec", "nodeName"});
  p->scheduler_name = GetString(pod, {"spec", "schedulerName"});
  if (p->scheduler_name.empty()) p->scheduler_name = "default-scheduler";
  p->phase = GetString(pod, {"status", "phase"});
  p->gated = !ArrayAt(pod, {"spec", "schedulingGates"}).empty();
  p->priority = static_cast<int32_t>(api::GetInt(pod, {"spec", "priority"}, 0));

  // Requests: regular containers and sidecars add up; each classic init container runs alone
  // (beside the sidecars started before it), so the pod needs the maximum of the two.
  std::string err;
  auto note = [&](const Status& s) {
    if (!s.ok() && err.empty()) err = s.message();
  };
  ResourceList sum;
  int64_t nz_cpu = 0, nz_mem = 0;
  const Json& containers = ArrayAt(pod, {"spec", "containers"});
  for (size_t i = 0; i < containers.size(); ++i) {
    ResourceList r;
    note(ContainerRequests(containers[i], "spec.containers[" + std::to_string(i) + "]", &r));
    int64_t c = 0, m = 0;
    NonZero(containers[i], r, &c, &m);
    nz_cpu += c;
    nz_mem += m;
    sum.Add(r);
  }
  ResourceList sidecars, init_max;
  int64_t sidecar_cpu = 0, sidecar_mem = 0, init_cpu = 0, init_mem = 0;
  const Json& inits = ArrayAt(pod, {"spec", "initContainers"});
  for (size_t i = 0; i < inits.size(); ++i) {
    ResourceList r;
    note(ContainerRequests(inits[i], "spec.initContainers[" + std::to_string(i) + "]", &r));
    int64_t c = 0, m = 0;
    NonZero(inits[i], r, &c, &m);
    if (GetString(inits[i], {"restartPolicy"}) == "Always") {
      sidecars.Add(r);
      sidecar_cpu += c;
      sidecar_mem += m;
      sum.Add(r);
      nz_cpu += c;
      nz_mem += m;
      init_max.Max(sidecars);
      init_cpu = std::max(init_cpu, sidecar_cpu);
      init_mem = std::max(init_mem, sidecar_mem);
    } else {
      r.Add(sidecars);
      init_max.Max(r);
      init_cpu = std::max(init_cpu, c + sidecar_cpu);
      init_mem = std::max(init_mem, m + sidecar_mem);
    }
  }
  sum.Max(init_max);
  nz_cpu = std::max(nz_cpu, init_cpu);
  nz_mem = std::max(nz_mem, init_mem);
  // Pod-level resources replace the container sums for the resources they name.
  if (const Json* pl = FindPath(pod, {"spec", "resources", "requests"}); pl && pl->is_object()) {
    ResourceList r;
    note(AddResourceList(*pl, "spec.resources.requests", &r));
    if (pl->contains("cpu")) sum.milli_cpu = nz_cpu = r.milli_cpu;
    if (pl->contains("memory")) sum.memory = nz_mem = r.memory;
  }
  if (const Json* overhead = FindPath(pod, {"spec", "overhead"}); overhead && overhead->is_object()) {
    ResourceList r;
    note(AddResourceList(*overhead, "spec.overhead", &r));
    sum.Add(r);
    nz_cpu += r.milli_cpu;
    nz_mem += r.memory;
  }
  p->requests = std::move(sum);
  p->nonzero_milli_cpu = nz_cpu;
  p->nonzero_memory = nz_mem;

  if (const Json* sel = FindPath(pod, {"spec", "nodeSelector"}); sel && sel->is_object()) {
    for (auto it = sel->begin(); it != sel->end(); ++it) {
      p->node_selector[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
    }
  }
  if (const Json* req = FindPath(pod, {"spec", "affinity", "nodeAffinity",
                                       "requiredDuringSchedulingIgnoredDuringExecution"});
      req && req->is_object()) {
    auto s = dra::ParseCoreNodeSelector(
        *req, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution");
    if (s.ok()) {
      p->required_affinity = std::move(*s);
    } else {
      note(s.status());
    }
  }
  const Json& preferred = ArrayAt(pod, {"spec", "affinity", "nodeAffinity",
                                        "preferredDuringSchedulingIgnoredDuringExecution"});
  for (const Json& term : preferred) {
    const Json* pref = FindPath(term, {"preference"});
    if (!pref) continue;
    Json wrapped = {{"nodeSelectorTerms", Json::array({*pref})}};
    auto s = dra::ParseCoreNodeSelector(wrapped, "preference");
    if (!s.ok() || s->terms.empty()) continue;
    p->preferred_affinity.push_back({static_cast<int32_t>(api::GetInt(term, {"weight"}, 0)),
                                     std::move(s->terms[0])});
  }
  for (const Json& t : ArrayAt(pod, {"spec", "tolerations"})) p->tolerations.push_back(ParseToleration(t));

  const Json& statuses = ArrayAt(pod, {"status", "resourceClaimStatuses"});
  for (const Json& rc : ArrayAt(pod, {"spec", "resourceClaims"})) {
    PodClaimRef ref;
    ref.name = GetString(rc, {"name"});
    std::string direct = GetString(rc, {"resourceClaimName"});
    std::string tmpl = GetString(rc, {"resourceClaimTemplateName"});
    if (!direct.empty()) {
      ref.claim_name = direct;
    } else if (!tmpl.empty()) {
      ref.from_template = true;
      ref.not_created_yet = true;
      for (const Json& st : statuses) {
        if (GetString(st, {"name"}) != ref.name) continue;
        ref.not_created_yet = false;
        ref.claim_name = GetString(st, {"resourceClaimName"});
        ref.not_needed = ref.claim_name.empty();
        break;
      }
    } else {
      note(Status::Invalid("pod \"" + p->ns + "/" + p->name + "\", spec.resourceClaim \"" + ref.name +
                           "\": unsupported PodResourceClaim source"));
      continue;
    }
    p->claims.push_back(std::move(ref));
  }
  p->parse_error = err;
  return p;
}

void NodeInfo::AddPod(const PodInfo& pod, int sign) {
  if (sign > 0) {
    requested.Add(pod.requests);
  } else {
    requested.Sub(pod.requests);
  }
  nonzero_milli_cpu += sign * pod.nonzero_milli_cpu;
  nonzero_memory += sign * pod.nonzero_memory;
  num_pods += sign;
}

void ParseNodeInto(const Json& node, NodeInfo* info) {
  info->name = GetString(node, {"metadata", "name"});
  info->has_node = true;
  info->node.name = info->name;
  std::map<std::string, std::string> labels;
  if (const Json* l = FindPath(node, {"metadata", "labels"}); l && l->is_object()) {
    for (auto it = l->begin(); it != l->end(); ++it) {
      if (it->is_string()) labels[it.key()] = it->get<std::string>();
    }
  }
  // Slice and device node selectors read the labels: the allocator's answers may change.
  if (labels != info->node.labels) info->dra_memo.clear();
  info->node.labels = std::move(labels);
  info->taints.clear();
  for (const Json& t : ArrayAt(node, {"spec", "taints"})) {
    info->taints.push_back({GetString(t, {"key"}), GetString(t, {"value"}), GetString(t, {"effect"})});
  }
  info->unschedulable = api::GetBool(node, {"spec", "unschedulable"});
  info->allocatable = ResourceList{};
  info->parse_error.clear();
  const Json* alloc = FindPath(node, {"status", "allocatable"});
  if (!alloc || !alloc->is_object()) alloc = FindPath(node, {"status", "capacity"});
  if (alloc && alloc->is_object()) {
    Status s = AddResourceList(*alloc, "status.allocatable", &info->allocatable);
    if (!s.ok()) info->parse_error = s.message();
  }
}

}  // namespace haru::scheduler
