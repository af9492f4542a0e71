// core/v1 Service (pkg/registry/core/service): defaults, shape validation (IP allocation is the
// registry's job), the KEP-5707 externalIPs deprecation warning, and printService's columns.

#include <set>

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::core {

namespace {

void DefaultService(Json& svc) {
  Json& spec = MutablePath(svc, {"spec"});
  if (GetString(spec, {"sessionAffinity"}).empty()) spec["sessionAffinity"] = "None";
  if (spec["sessionAffinity"] == "None") {
    spec.erase("sessionAffinityConfig");
  } else if (spec["sessionAffinity"] == "ClientIP") {
    Json& cfg = MutablePath(spec, {"sessionAffinityConfig", "clientIP"});
    if (!cfg.contains("timeoutSeconds")) cfg["timeoutSeconds"] = 10800;
  }
  if (GetString(spec, {"type"}).empty()) spec["type"] = "ClusterIP";
  std::string type = spec["type"].get<std::string>();
  if (spec.contains("ports") && spec["ports"].is_array()) {
    for (Json& p : spec["ports"]) {
      if (!p.is_object()) continue;
      if (!p.contains("protocol")) p["protocol"] = "TCP";
      const Json* tp = FindPath(p, {"targetPort"});
      bool unset = !tp || tp->is_null() || (tp->is_number() && tp->get<int64_t>() == 0) ||
                   (tp->is_string() && tp->get<std::string>().empty());
      if (unset && p.contains("port")) p["targetPort"] = p["port"];
    }
  }
  const Json* ext = FindPath(spec, {"externalIPs"});
  bool externally_accessible = type == "LoadBalancer" || type == "NodePort" ||
                               (type == "ClusterIP" && ext && ext->is_array() && !ext->empty());
  if (externally_accessible && GetString(spec, {"externalTrafficPolicy"}).empty()) {
    spec["externalTrafficPolicy"] = "Cluster";
  }
  if (!spec.contains("internalTrafficPolicy") &&
      (type == "NodePort" || type == "LoadBalancer" || type == "ClusterIP")) {
    spec["internalTrafficPolicy"] = "Cluster";
  }
  if (type == "LoadBalancer" && !spec.contains("allocateLoadBalancerNodePorts")) {
    spec["allocateLoadBalancerNodePorts"] = true;
  }
}

void PrepareServiceForCreate(Json& svc) {
  svc.erase("status");
  svc["status"] = {{"loadBalancer", Json::object()}};
  Json& spec = MutablePath(svc, {"spec"});
  if (GetString(spec, {"type"}) != "ExternalName") {
    if (!spec.contains("ipFamilyPolicy")) spec["ipFamilyPolicy"] = "SingleStack";
    if (!spec.contains("ipFamilies")) spec["ipFamilies"] = Json::array({"IPv4"});
  }
}

FieldErrors ValidateServiceSpec(const Json& svc) {
  FieldErrors errs;
  static const Json kEmpty = Json::object();
  const Json* sp = FindPath(svc, {"spec"});
  const Json& spec = sp && sp->is_object() ? *sp : kEmpty;
  std::string type = GetString(spec, {"type"});
  std::string cluster_ip = GetString(spec, {"clusterIP"});
  bool headless = cluster_ip == "None";
  const Json* ports = FindPath(spec, {"ports"});
  size_t nports = ports && ports->is_array() ? ports->size() : 0;
  if (type == "ExternalName") {
    std::string name = GetString(spec, {"externalName"});
    if (name.empty()) {
      errs.push_back(Required("spec.externalName"));
    } else {
      std::string trimmed = name.back() == '.' ? name.substr(0, name.size() - 1) : name;
      Append(errs, InvalidEach("spec.externalName", name, IsDns1123Subdomain(trimmed)));
    }
  }
  if (nports == 0 && !headless && type != "ExternalName") errs.push_back(Required("spec.ports"));
  std::set<std::string> names;
  std::set<std::pair<int64_t, std::string>> port_protocols;
  for (size_t i = 0; i < nports; ++i) {
    const Json& p = (*ports)[i];
    std::string pp = Index("spec.ports", i);
    std::string name = GetString(p, {"name"});
    if (nports > 1 && name.empty()) {
      errs.push_back(Required(Child(pp, "name")));
    } else if (!name.empty()) {
      Append(errs, InvalidEach(Child(pp, "name"), name, IsDns1123Label(name)));
      if (!names.insert(name).second) errs.push_back(Duplicate(Child(pp, "name"), QuoteValue(name)));
    }
    int64_t port = GetInt(p, {"port"});
    for (auto& m : IsValidPortNum(port)) {
      errs.push_back(Invalid(Child(pp, "port"), std::to_string(port), m));
    }
    std::string protocol = GetString(p, {"protocol"});
    Append(errs, ValidateProtocol(protocol, Child(pp, "protocol")));
    const Json* tp = FindPath(p, {"targetPort"});
    if (tp && tp->is_number()) {
      for (auto& m : IsValidPortNum(tp->get<int64_t>())) {
        errs.push_back(Invalid(Child(pp, "targetPort"), tp->dump(), m));
      }
    } else if (tp && tp->is_string()) {
      Append(errs, InvalidEach(Child(pp, "targetPort"), tp->get<std::string>(),
                               IsValidPortName(tp->get<std::string>())));
    }
    if (type == "ClusterIP" && GetInt(p, {"nodePort"}) != 0) {
      errs.push_back(Forbidden(Child(pp, "nodePort"), "may not be used when `type` is 'ClusterIP'"));
    }
    if (!port_protocols.insert({port, protocol}).second) {
      errs.push_back(Duplicate(pp, "{Port:" + std::to_string(port) + ", Protocol:\"" + protocol + "\"}"));
    }
  }
  if (type != "ClusterIP" && type != "ExternalName" && type != "LoadBalancer" && type != "NodePort") {
    if (type.empty()) {
      errs.push_back(Required("spec.type"));
    } else {
      errs.push_back(NotSupported("spec.type", type,
                                  {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}));
    }
  }
  std::string affinity = GetString(spec, {"sessionAffinity"});
  if (!affinity.empty() && affinity != "ClientIP" && affinity != "None") {
    errs.push_back(NotSupported("spec.sessionAffinity", affinity, {"ClientIP", "None"}));
  }
  if (!cluster_ip.empty() && !headless && !IsValidIp(cluster_ip)) {
    errs.push_back(InvalidString("spec.clusterIPs[0]", cluster_ip,
                                 "must be empty, 'None', or a valid IP address"));
  }
  const Json* ext = FindPath(spec, {"externalIPs"});
  if (ext && ext->is_array()) {
    for (size_t i = 0; i < ext->size(); ++i) {
      std::string ip = (*ext)[i].is_string() ? (*ext)[i].get<std::string>() : "";
      if (!IsValidIp(ip)) {
        errs.push_back(InvalidString(Index("spec.externalIPs", i), ip,
                                     "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
      }
    }
  }
  std::string policy = GetString(spec, {"ipFamilyPolicy"});
  if (!policy.empty() && policy != "SingleStack" && policy != "PreferDualStack" &&
      policy != "RequireDualStack") {
    errs.push_back(NotSupported("spec.ipFamilyPolicy", policy,
                                {"PreferDualStack", "RequireDualStack", "SingleStack"}));
  }
  std::string itp = GetString(spec, {"internalTrafficPolicy"});
  if (!itp.empty() && itp != "Cluster" && itp != "Local") {
    errs.push_back(NotSupported("spec.internalTrafficPolicy", itp, {"Cluster", "Local"}));
  }
  Append(errs, ValidateLabels(FindPath(spec, {"selector"}), "spec.selector"));
  return errs;
}

FieldErrors ValidateService(const Json& svc) {
  // Upstream's ValidateServiceName is a DNS-1035 label (must start with a letter).
  FieldErrors errs = ValidateObjectMetaWith(svc, true, &NameIsDns1035Label);
  Append(errs, ValidateServiceSpec(svc));
  return errs;
}

FieldErrors ValidateServiceUpdate(const Json& svc, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(svc, old);
  std::string old_ip = GetString(old, {"spec", "clusterIP"});
  std::string new_ip = GetString(svc, {"spec", "clusterIP"});
  bool external_name = GetString(svc, {"spec", "type"}) == "ExternalName" ||
                       GetString(old, {"spec", "type"}) == "ExternalName";
  if (!external_name && !old_ip.empty() && new_ip != old_ip) {
    errs.push_back(InvalidString("spec.clusterIPs[0]", new_ip, "may not change once set"));
  }
  Append(errs, ValidateServiceSpec(svc));
  return errs;
}

std::string PortString(const Json& svc) {
  const Json* ports = FindPath(svc, {"spec", "ports"});
  if (!ports || !ports->is_array() || ports->empty()) return "<none>";
  std::string out;
  for (const Json& p : *ports) {
    if (!out.empty()) out += ",";
    std::string port = std::to_string(GetInt(p, {"port"}));
    int64_t node_port = GetInt(p, {"nodePort"});
    out += node_port > 0 ? port + ":" + std::to_string(node_port) : port;
    out += "/" + GetString(p, {"protocol"});
  }
  return out;
}

std::string JoinStrings(const Json* arr) {
  std::string out;
  if (!arr || !arr->is_array()) return out;
  for (const Json& v : *arr) {
    if (!v.is_string()) continue;
    if (!out.empty()) out += ",";
    out += v.get<std::string>();
  }
  return out;
}

std::string ExternalIp(const Json& svc, bool wide) {
  std::string type = GetString(svc, {"spec", "type"});
  std::string ext = JoinStrings(FindPath(svc, {"spec", "externalIPs"}));
  if (type == "ClusterIP" || type == "NodePort") return ext.empty() ? "<none>" : ext;
  if (type == "LoadBalancer") {
    std::string lb;
    const Json* ingress = FindPath(svc, {"status", "loadBalancer", "ingress"});
    if (ingress && ingress->is_array()) {
      for (const Json& i : *ingress) {
        std::string v = GetString(i, {"ip"});
        if (v.empty()) v = GetString(i, {"hostname"});
        if (v.empty()) continue;
        if (!lb.empty()) lb += ",";
        lb += v;
      }
    }
    if (!wide && lb.size() > 16) lb = lb.substr(0, 13) + "...";
    if (!ext.empty()) return lb.empty() ? ext : lb + "," + ext;
    return lb.empty() ? "<pending>" : lb;
  }
  if (type == "ExternalName") return GetString(svc, {"spec", "externalName"});
  return "<unknown>";
}

}  // namespace

const KindSpec& ServiceKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "Service"};
    s.plural = "services";
    s.singular = "service";
    s.short_names = {"svc"};
    s.categories = {"all"};
    s.name_rule = NameRule::kDnsLabel;
    s.schema = "io.k8s.api.core.v1.Service";
    s.has_status = true;
    s.default_fields = &DefaultService;
    s.prepare_for_create = &PrepareServiceForCreate;
    s.prepare_for_update = [](Json& svc, const Json& old) {
      if (old.contains("status")) svc["status"] = old["status"];
    };
    s.validate = &ValidateService;
    s.validate_update = &ValidateServiceUpdate;
    s.warnings = [](const Json& svc, const Json* old) {
      std::vector<std::string> out;
      const Json* ext = FindPath(svc, {"spec", "externalIPs"});
      if (ext && ext->is_array() && !ext->empty()) out.push_back("spec.externalIPs is deprecated");
      return out;
    };
    s.prepare_for_status_update = [](Json& svc, const Json& old) {
      if (old.contains("spec")) svc["spec"] = old["spec"];
    };
    s.columns = {
        NameColumn(),
        StringColumn("Type", "type determines how the Service is exposed.", "spec", "type"),
        {"Cluster-IP", "string", "", "clusterIP is the IP address of the service.", 0,
         [](const Json& o) {
           const Json* ips = FindPath(o, {"spec", "clusterIPs"});
           if (ips && ips->is_array() && !ips->empty() && (*ips)[0].is_string()) return (*ips)[0];
           std::string ip = GetString(o, {"spec", "clusterIP"});
           return Json(ip.empty() ? "<none>" : ip);
         }},
        {"External-IP", "string", "",
         "externalIPs is a list of IP addresses for which nodes in the cluster will also accept "
         "traffic for this service.",
         0, [](const Json& o) { return Json(ExternalIp(o, false)); }},
        {"Port(s)", "string", "", "The list of ports that are exposed by this service.", 0,
         [](const Json& o) { return Json(PortString(o)); }},
        AgeColumn(),
        {"Selector", "string", "",
         "Route service traffic to pods with label keys and values matching this selector.", 1,
         [](const Json& o) { return Json(FormatLabels(FindPath(o, {"spec", "selector"}))); }},
    };
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
