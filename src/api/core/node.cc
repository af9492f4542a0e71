// core/v1 Node (pkg/registry/core/node): cluster-scoped, status subresource, printNode columns.

#include <set>

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::core {

namespace {

FieldErrors ValidateNodeSpec(const Json& node) {
  FieldErrors errs;
  const Json* taints = FindPath(node, {"spec", "taints"});
  if (taints && taints->is_array()) {
    for (size_t i = 0; i < taints->size(); ++i) {
      const Json& t = (*taints)[i];
      std::string tp = Index("spec.taints", i);
      std::string key = GetString(t, {"key"});
      Append(errs, InvalidEach(Child(tp, "key"), key, IsQualifiedName(key)));
      std::string value = GetString(t, {"value"});
      Append(errs, InvalidEach(Child(tp, "value"), value, IsValidLabelValue(value)));
      std::string effect = GetString(t, {"effect"});
      if (effect.empty()) {
        errs.push_back(Required(Child(tp, "effect")));
      } else if (effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute") {
        errs.push_back(NotSupported(Child(tp, "effect"), effect,
                                    {"NoSchedule", "PreferNoSchedule", "NoExecute"}));
      }
    }
  }
  return errs;
}

std::string NodeStatus(const Json& node) {
  std::string status;
  const Json* conds = FindPath(node, {"status", "conditions"});
  if (conds && conds->is_array()) {
    for (const Json& c : *conds) {
      if (GetString(c, {"type"}) == "Ready") {
        status = GetString(c, {"status"}) == "True" ? "Ready" : "NotReady";
      }
    }
  }
  if (status.empty()) status = "Unknown";
  if (GetBool(node, {"spec", "unschedulable"})) status += ",SchedulingDisabled";
  return status;
}

std::string NodeRoles(const Json& node) {
  std::set<std::string> roles;
  const Json* labels = FindPath(node, {"metadata", "labels"});
  if (labels && labels->is_object()) {
    for (auto it = labels->begin(); it != labels->end(); ++it) {
      const std::string& k = it.key();
      if (k.rfind("node-role.kubernetes.io/", 0) == 0) {
        std::string role = k.substr(24);
        if (!role.empty()) roles.insert(role);
      } else if (k == "kubernetes.io/role" && it->is_string() && !it->get<std::string>().empty()) {
        roles.insert(it->get<std::string>());
      }
    }
  }
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out.empty() ? "<none>" : out;
}

std::string NodeAddress(const Json& node, std::string_view type) {
  const Json* addrs = FindPath(node, {"status", "addresses"});
  if (addrs && addrs->is_array()) {
    for (const Json& a : *addrs) {
      if (GetString(a, {"type"}) == type) return GetString(a, {"address"});
    }
  }
  return "<none>";
}

TableColumn NodeInfoColumn(std::string name, std::string description, const char* field) {
  return {std::move(name), "string", "", std::move(description), 1, [field](const Json& o) {
            std::string v = GetString(o, {"status", "nodeInfo", field});
            return Json(v.empty() ? "<unknown>" : v);
          }};
}

}  // namespace

const KindSpec& NodeKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "Node"};
    s.plural = "nodes";
    s.singular = "node";
    s.short_names = {"no"};
    s.scope = Scope::kCluster;
    s.schema = "io.k8s.api.core.v1.Node";
    s.has_status = true;
    s.default_fields = [](Json& node) {
      // Allocatable defaults to capacity.
      const Json* cap = FindPath(node, {"status", "capacity"});
      if (cap && cap->is_object() && !FindPath(node, {"status", "allocatable"})) {
        Json c = *cap;
        node["status"]["allocatable"] = std::move(c);
      }
    };
    s.prepare_for_update = [](Json& node, const Json& old) {
      if (old.contains("status")) node["status"] = old["status"];
    };
    s.validate = [](const Json& node) {
      FieldErrors errs = ValidateObjectMeta(node, false, NameRule::kDnsSubdomain);
      Append(errs, ValidateNodeSpec(node));
      return errs;
    };
    s.validate_update = [](const Json& node, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(node, old);
      Append(errs, ValidateNodeSpec(node));
      const Json* old_cidr = FindPath(old, {"spec", "podCIDR"});
      if (old_cidr && old_cidr->is_string() && !old_cidr->get<std::string>().empty()) {
        Append(errs, ValidateImmutableField(FindPath(node, {"spec", "podCIDR"}), old_cidr,
                                            "spec.podCIDR"));
      }
      return errs;
    };
    s.prepare_for_status_update = [](Json& node, const Json& old) {
      if (old.contains("spec")) node["spec"] = old["spec"];
    };
    s.columns = {
        NameColumn(),
        {"Status", "string", "", "The status of the node", 0,
         [](const Json& o) { return Json(NodeStatus(o)); }},
        {"Roles", "string", "", "The roles of the node", 0,
         [](const Json& o) { return Json(NodeRoles(o)); }},
        AgeColumn(),
        StringColumn("Version", "Kubelet Version reported by the node.", "status", "nodeInfo",
                     "kubeletVersion"),
        {"Internal-IP", "string", "", "List of addresses reachable to the node.", 1,
         [](const Json& o) { return Json(NodeAddress(o, "InternalIP")); }},
        {"External-IP", "string", "", "List of addresses reachable to the node.", 1,
         [](const Json& o) { return Json(NodeAddress(o, "ExternalIP")); }},
        NodeInfoColumn("OS-Image",
                       "OS Image reported by the node from /etc/os-release (e.g. Debian "
                       "GNU/Linux 7 (wheezy)).",
                       "osImage"),
        NodeInfoColumn("Kernel-Version",
                       "Kernel Version reported by the node from 'uname -r' (e.g. "
                       "3.16.0-0.bpo.4-amd64).",
                       "kernelVersion"),
        NodeInfoColumn("Container-Runtime",
                       "ContainerRuntime Version reported by the node through runtime remote "
                       "API (e.g. containerd://1.4.2).",
                       "containerRuntimeVersion"),
    };
    s.selectable_fields = {{"spec.unschedulable", [](const Json& o) {
                              return std::string(GetBool(o, {"spec", "unschedulable"}) ? "true"
                                                                                        : "false");
                            },
                            "spec.unschedulable", /*json_bool=*/true}};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
