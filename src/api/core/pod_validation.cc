// Pod validation, as upstream's ValidatePodCreate/ValidatePodUpdate
// (pkg/apis/core/validation): field paths, order and messages follow upstream.

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "api/core/core.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "common/quantity/quantity.h"

namespace haru::api::core {

namespace {

const std::vector<std::string> kVolumeSources = {
    "hostPath", "emptyDir", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret",
    "nfs", "iscsi", "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "quobyte", "cinder",
    "cephfs", "downwardAPI", "fc", "azureFile", "vsphereVolume", "photonPersistentDisk",
    "portworxVolume", "azureDisk", "projected", "scaleIO", "configMap", "storageos", "csi",
    "ephemeral", "image"};

FieldErrors ValidateDns1123Label(std::string_view value, const std::string& field) {
  return InvalidEach(field, value, IsDns1123Label(value));
}

const Json& ArrayOrEmpty(const Json* v) {
  static const Json kEmpty = Json::array();
  return v && v->is_array() ? *v : kEmpty;
}

FieldErrors ValidateVolumes(const Json& spec, std::set<std::string>& names) {
  FieldErrors errs;
  const Json& volumes = ArrayOrEmpty(FindPath(spec, {"volumes"}));
  for (size_t i = 0; i < volumes.size(); ++i) {
    const Json& vol = volumes[i];
    std::string path = Index("spec.volumes", i);
    std::string name = GetString(vol, {"name"});
    int sources = 0;
    for (const std::string& src : kVolumeSources) {
      const Json* s = FindPath(vol, {src});
      if (s == nullptr || s->is_null()) continue;
      if (sources++ > 0) {
        errs.push_back(Forbidden(Child(path, src), "may not specify more than 1 volume type"));
        continue;
      }
      std::string sp = Child(path, src);
      if (src == "gitRepo" && GetString(*s, {"repository"}).empty()) {
        errs.push_back(Required(Child(sp, "repository")));
      } else if (src == "secret" && GetString(*s, {"secretName"}).empty()) {
        errs.push_back(Required(Child(sp, "secretName")));
      } else if (src == "configMap" && GetString(*s, {"name"}).empty()) {
        errs.push_back(Required(Child(sp, "name")));
      } else if (src == "persistentVolumeClaim" && GetString(*s, {"claimName"}).empty()) {
        errs.push_back(Required(Child(sp, "claimName")));
      } else if (src == "hostPath" && GetString(*s, {"path"}).empty()) {
        errs.push_back(Required(Child(sp, "path")));
      }
      if (src == "secret" || src == "configMap" || src == "downwardAPI" || src == "projected") {
        const Json* mode = FindPath(*s, {"defaultMode"});
        if (mode && mode->is_number_integer() &&
            (mode->get<int64_t>() < 0 || mode->get<int64_t>() > 0777)) {
          errs.push_back(Invalid(Child(sp, "defaultMode"), mode->dump(),
                                 "must be a number between 0 and 0777 (octal), both inclusive"));
        }
      }
    }
    if (sources == 0) errs.push_back(Required(path, "must specify a volume type"));
    if (name.empty()) {
      errs.push_back(Required(Child(path, "name")));
    } else {
      Append(errs, ValidateDns1123Label(name, Child(path, "name")));
    }
    if (names.count(name)) {
      errs.push_back(Duplicate(Child(path, "name"), QuoteValue(name)));
    } else {
      names.insert(name);
    }
  }
  return errs;
}

FieldErrors ValidatePorts(const Json& ports, const std::string& path) {
  FieldErrors errs;
  std::set<std::string> names;
  for (size_t i = 0; i < ports.size(); ++i) {
    const Json& port = ports[i];
    std::string ip = Index(path, i);
    std::string name = GetString(port, {"name"});
    if (!name.empty()) {
      auto msgs = IsValidPortName(name);
      if (!msgs.empty()) {
        Append(errs, InvalidEach(Child(ip, "name"), name, msgs));
      } else if (names.count(name)) {
        errs.push_back(Duplicate(Child(ip, "name"), QuoteValue(name)));
      } else {
        names.insert(name);
      }
    }
    int64_t container_port = GetInt(port, {"containerPort"});
    if (container_port == 0) {
      errs.push_back(Required(Child(ip, "containerPort")));
    } else {
      for (auto& m : IsValidPortNum(container_port)) {
        errs.push_back(Invalid(Child(ip, "containerPort"), std::to_string(container_port), m));
      }
    }
    int64_t host_port = GetInt(port, {"hostPort"});
    if (host_port != 0) {
      for (auto& m : IsValidPortNum(host_port)) {
        errs.push_back(Invalid(Child(ip, "hostPort"), std::to_string(host_port), m));
      }
    }
    Append(errs, ValidateProtocol(GetString(port, {"protocol"}), Child(ip, "protocol")));
  }
  return errs;
}

bool IsStandardContainerResource(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" ||
         name.substr(0, 10) == "hugepages-";
}

bool IsOvercommitAllowed(std::string_view name) {
  bool native = name.find('/') == name.npos || name.substr(0, 14) == "kubernetes.io/";
  return native && name.substr(0, 10) != "hugepages-";
}

StatusOr<Quantity> QuantityOf(const Json& v) {
  if (v.is_string()) return ParseQuantity(v.get<std::string>());
  if (v.is_number()) return ParseQuantity(v.dump());
  return Status::BadRequest(kQuantityFormatError);
}

FieldErrors ValidateResources(const Json* resources, const std::set<std::string>& claim_names,
                              const std::string& path) {
  FieldErrors errs;
  if (resources == nullptr || !resources->is_object()) return errs;
  std::string lim_path = Child(path, "limits"), req_path = Child(path, "requests");
  const Json* limits = FindPath(*resources, {"limits"});
  const Json* requests = FindPath(*resources, {"requests"});
  auto check_entry = [&](const std::string& name, const Json& value, const std::string& fp,
                         std::optional<Quantity>& out) {
    Append(errs, InvalidEach(fp, name, IsQualifiedName(name)));
    if (name.find('/') == std::string::npos && !IsStandardContainerResource(name)) {
      errs.push_back(InvalidString(fp, name, "must be a standard resource for containers"));
    }
    auto q = QuantityOf(value);
    if (!q.ok()) {
      errs.push_back(Invalid(fp, RenderValue(value), q.status().message()));
      return;
    }
    if (q->Sign() < 0) errs.push_back(InvalidString(fp, q->ToString(), kIsNegativeErrorMsg));
    out = *q;
  };
  if (limits && limits->is_object()) {
    for (auto it = limits->begin(); it != limits->end(); ++it) {
      std::optional<Quantity> q;
      check_entry(it.key(), *it, Key(lim_path, it.key()), q);
    }
  }
  if (requests && requests->is_object()) {
    for (auto it = requests->begin(); it != requests->end(); ++it) {
      std::optional<Quantity> q;
      check_entry(it.key(), *it, Key(req_path, it.key()), q);
      if (!q) continue;
      const Json* lim = limits && limits->is_object() && limits->contains(it.key())
                            ? &(*limits)[it.key()]
                            : nullptr;
      if (lim) {
        auto lq = QuantityOf(*lim);
        if (!lq.ok()) continue;
        if (q->Cmp(*lq) != 0 && !IsOvercommitAllowed(it.key())) {
          errs.push_back(InvalidString(req_path, q->ToString(),
                                       "must be equal to " + it.key() + " limit of " +
                                           lq->ToString()));
        } else if (q->Cmp(*lq) > 0) {
          errs.push_back(InvalidString(req_path, q->ToString(),
                                       "must be less than or equal to " + it.key() +
                                           " limit of " + lq->ToString()));
        }
      } else if (!IsOvercommitAllowed(it.key())) {
        errs.push_back(Required(lim_path, "Limit must be set for non overcommitable resources"));
      }
    }
  }
  const Json& claims = ArrayOrEmpty(FindPath(*resources, {"claims"}));
  std::set<std::string> seen;
  std::string claims_path = Child(path, "claims");
  for (size_t i = 0; i < claims.size(); ++i) {
    std::string name = GetString(claims[i], {"name"});
    std::string cp = Index(claims_path, i);
    if (name.empty()) {
      errs.push_back(Required(Child(cp, "name")));
      continue;
    }
    std::string key = name;
    std::string request = GetString(claims[i], {"request"});
    if (!request.empty()) {
      Append(errs, ValidateDns1123Label(request, Child(cp, "request")));
      key += "/" + request;
    }
    if (!seen.insert(key).second) errs.push_back(Duplicate(cp, QuoteValue(name)));
    if (!claim_names.count(name)) {
      FieldError e = NotFoundField(Child(cp, "name"), QuoteValue(name));
      e.detail = "must be one of the names in pod.spec.resourceClaims";
      if (claim_names.empty()) {
        e.detail += " which is empty";
      } else {
        std::string list;
        for (const auto& n : claim_names) list += (list.empty() ? "" : ", ") + n;
        e.detail += ": " + list;
      }
      errs.push_back(std::move(e));
    }
  }
  return errs;
}

FieldErrors ValidateAppArmorProfile(const Json* profile, const std::string& path) {
  FieldErrors errs;
  if (profile == nullptr || profile->is_null()) return errs;
  std::string type = GetString(*profile, {"type"});
  const Json* localhost = FindPath(*profile, {"localhostProfile"});
  bool has_localhost = localhost && !localhost->is_null();
  if (type == "Localhost") {
    std::string lp = has_localhost && localhost->is_string() ? localhost->get<std::string>() : "";
    if (!has_localhost) {
      errs.push_back(Required(Child(path, "localhostProfile"),
                              "must be set when AppArmor type is Localhost"));
    } else {
      size_t b = lp.find_first_not_of(" \t\n\r\f\v");
      size_t e = lp.find_last_not_of(" \t\n\r\f\v");
      std::string trimmed = b == std::string::npos ? "" : lp.substr(b, e - b + 1);
      if (trimmed != lp) {
        errs.push_back(InvalidString(Child(path, "localhostProfile"), lp,
                                     "must not be padded with whitespace"));
      } else if (trimmed.empty()) {
        errs.push_back(Required(Child(path, "localhostProfile"),
                                "must be set when AppArmor type is Localhost"));
      }
      if (lp.size() > 4095) errs.push_back(TooLong(Child(path, "localhostProfile"), 4095));
    }
  } else if (type == "RuntimeDefault" || type == "Unconfined") {
    if (has_localhost) {
      errs.push_back(Invalid(Child(path, "localhostProfile"), RenderValue(*localhost),
                             "can only be set when AppArmor type is Localhost"));
    }
  } else if (type.empty()) {
    errs.push_back(Required(Child(path, "type"), "type is required when appArmorProfile is set"));
  } else {
    errs.push_back(NotSupported(Child(path, "type"), type,
                                {"Localhost", "RuntimeDefault", "Unconfined"}));
  }
  return errs;
}

FieldErrors ValidateContainers(const Json& list, const std::string& path, bool init,
                               const std::set<std::string>& volumes,
                               const std::set<std::string>& claim_names,
                               std::set<std::string>& names) {
  FieldErrors errs;
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& c = list[i];
    std::string cp = Index(path, i);
    std::string name = GetString(c, {"name"});
    if (name.empty()) {
      errs.push_back(Required(Child(cp, "name")));
    } else {
      Append(errs, ValidateDns1123Label(name, Child(cp, "name")));
    }
    if (!name.empty() && names.count(name)) {
      errs.push_back(Duplicate(Child(cp, "name"), QuoteValue(name)));
    } else {
      names.insert(name);
    }
    if (GetString(c, {"image"}).empty()) errs.push_back(Required(Child(cp, "image")));
    std::string tmp = GetString(c, {"terminationMessagePolicy"});
    if (tmp.empty()) {
      errs.push_back(Required(Child(cp, "terminationMessagePolicy"),
                              "must be 'File' or 'FallbackToLogsOnError'"));
    } else if (tmp != "File" && tmp != "FallbackToLogsOnError") {
      errs.push_back(InvalidString(Child(cp, "terminationMessagePolicy"), tmp,
                                   "must be 'File' or 'FallbackToLogsOnError'"));
    }
    Append(errs, ValidatePorts(ArrayOrEmpty(FindPath(c, {"ports"})), Child(cp, "ports")));
    const Json& mounts = ArrayOrEmpty(FindPath(c, {"volumeMounts"}));
    std::set<std::string> mount_paths;
    for (size_t j = 0; j < mounts.size(); ++j) {
      std::string mp = Index(Child(cp, "volumeMounts"), j);
      std::string vname = GetString(mounts[j], {"name"});
      std::string mpath = GetString(mounts[j], {"mountPath"});
      if (vname.empty()) errs.push_back(Required(Child(mp, "name")));
      if (!volumes.count(vname)) errs.push_back(NotFoundField(Child(mp, "name"), QuoteValue(vname)));
      if (mpath.empty()) errs.push_back(Required(Child(mp, "mountPath")));
      if (mount_paths.count(mpath)) {
        errs.push_back(InvalidString(Child(mp, "mountPath"), mpath, "must be unique"));
      }
      mount_paths.insert(mpath);
    }
    std::string pull = GetString(c, {"imagePullPolicy"});
    if (pull.empty()) {
      errs.push_back(Required(Child(cp, "imagePullPolicy")));
    } else if (pull != "Always" && pull != "IfNotPresent" && pull != "Never") {
      errs.push_back(NotSupported(Child(cp, "imagePullPolicy"), pull,
                                  {"Always", "IfNotPresent", "Never"}));
    }
    Append(errs, ValidateResources(FindPath(c, {"resources"}), claim_names, Child(cp, "resources")));
    Append(errs, ValidateAppArmorProfile(FindPath(c, {"securityContext", "appArmorProfile"}),
                                         Child(cp, "securityContext.appArmorProfile")));
    (void)init;
  }
  return errs;
}

FieldErrors ValidateResourceClaims(const Json& spec, std::set<std::string>& names) {
  FieldErrors errs;
  const Json& claims = ArrayOrEmpty(FindPath(spec, {"resourceClaims"}));
  for (size_t i = 0; i < claims.size(); ++i) {
    const Json& claim = claims[i];
    std::string path = Index("spec.resourceClaims", i);
    std::string name = GetString(claim, {"name"});
    if (name.empty()) {
      errs.push_back(Required(Child(path, "name")));
    } else if (names.count(name)) {
      errs.push_back(Duplicate(Child(path, "name"), QuoteValue(name)));
    } else {
      Append(errs, ValidateDns1123Label(name, Child(path, "name")));
      names.insert(name);
    }
    const Json* by_name = FindPath(claim, {"resourceClaimName"});
    const Json* by_template = FindPath(claim, {"resourceClaimTemplateName"});
    bool has_name = by_name && !by_name->is_null();
    bool has_template = by_template && !by_template->is_null();
    if (has_name && has_template) {
      errs.push_back(Invalid(path, claim.dump(),
                             "at most one of `resourceClaimName` or `resourceClaimTemplateName` "
                             "may be specified"));
    }
    if (!has_name && !has_template) {
      errs.push_back(Invalid(path, claim.dump(),
                             "must specify one of: `resourceClaimName`, "
                             "`resourceClaimTemplateName`"));
    }
    if (has_name && by_name->is_string()) {
      Append(errs, InvalidEach(Child(path, "resourceClaimName"), by_name->get<std::string>(),
                               IsDns1123Subdomain(by_name->get<std::string>())));
    }
    if (has_template && by_template->is_string()) {
      Append(errs, InvalidEach(Child(path, "resourceClaimTemplateName"),
                               by_template->get<std::string>(),
                               IsDns1123Subdomain(by_template->get<std::string>())));
    }
  }
  return errs;
}

FieldErrors ValidatePodSpec(const Json& spec) {
  FieldErrors errs;
  std::set<std::string> volumes, claim_names, container_names;
  Append(errs, ValidateVolumes(spec, volumes));
  // Claims are collected first so containers can refer to them (upstream gathers them up front).
  FieldErrors claim_errs = ValidateResourceClaims(spec, claim_names);
  const Json* containers = FindPath(spec, {"containers"});
  if (containers == nullptr || !containers->is_array() || containers->empty()) {
    errs.push_back(Required("spec.containers"));
  } else {
    Append(errs, ValidateContainers(*containers, "spec.containers", false, volumes, claim_names,
                                    container_names));
  }
  Append(errs, ValidateContainers(ArrayOrEmpty(FindPath(spec, {"initContainers"})),
                                  "spec.initContainers", true, volumes, claim_names,
                                  container_names));
  Append(errs, claim_errs);
  if (GetBool(spec, {"hostNetwork"})) {
    for (const char* list : {"containers", "initContainers"}) {
      const Json& cs = ArrayOrEmpty(FindPath(spec, {list}));
      for (size_t i = 0; i < cs.size(); ++i) {
        const Json& ports = ArrayOrEmpty(FindPath(cs[i], {"ports"}));
        for (size_t j = 0; j < ports.size(); ++j) {
          int64_t cport = GetInt(ports[j], {"containerPort"});
          int64_t hport = GetInt(ports[j], {"hostPort"});
          if (hport != 0 && hport != cport) {
            errs.push_back(Invalid(
                Child(Index(Child(Index(std::string("spec.") + list, i), "ports"), j),
                      "containerPort"),
                std::to_string(cport), "must match `hostPort` when `hostNetwork` is true"));
          }
        }
      }
    }
  }
  std::string restart = GetString(spec, {"restartPolicy"});
  if (restart.empty()) {
    errs.push_back(Required("spec.restartPolicy"));
  } else if (restart != "Always" && restart != "OnFailure" && restart != "Never") {
    errs.push_back(NotSupported("spec.restartPolicy", restart, {"Always", "OnFailure", "Never"}));
  }
  std::string dns = GetString(spec, {"dnsPolicy"});
  if (dns.empty()) {
    errs.push_back(Required("spec.dnsPolicy"));
  } else if (dns != "ClusterFirstWithHostNet" && dns != "ClusterFirst" && dns != "Default" &&
             dns != "None") {
    errs.push_back(NotSupported("spec.dnsPolicy", dns,
                                {"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"}));
  }
  Append(errs, ValidateLabels(FindPath(spec, {"nodeSelector"}), "spec.nodeSelector"));
  // Pod security context.
  if (const Json* sc = FindPath(spec, {"securityContext"}); sc && sc->is_object()) {
    if (const Json* p = FindPath(*sc, {"seLinuxChangePolicy"}); p && p->is_string()) {
      std::string v = p->get<std::string>();
      if (v != "Recursive" && v != "MountOption") {
        errs.push_back(NotSupported("spec.securityContext.seLinuxChangePolicy", v,
                                    {"MountOption", "Recursive"}));
      }
    }
    Append(errs, ValidateAppArmorProfile(FindPath(*sc, {"appArmorProfile"}),
                                         "spec.securityContext.appArmorProfile"));
  }
  // User namespaces (validateHostUsers): upstream prints HostPID/HostIPC capitalized.
  const Json* host_users = FindPath(spec, {"hostUsers"});
  if (host_users && host_users->is_boolean() && !host_users->get<bool>()) {
    if (GetBool(spec, {"hostNetwork"})) {
      errs.push_back(Forbidden("spec.hostNetwork", "when `pod.Spec.HostUsers` is false"));
    }
    if (GetBool(spec, {"hostPID"})) {
      errs.push_back(Forbidden("spec.HostPID", "when `pod.Spec.HostUsers` is false"));
    }
    if (GetBool(spec, {"hostIPC"})) {
      errs.push_back(Forbidden("spec.HostIPC", "when `pod.Spec.HostUsers` is false"));
    }
  }
  std::string sa = GetString(spec, {"serviceAccountName"});
  if (!sa.empty()) {
    Append(errs, InvalidEach("spec.serviceAccountName", sa, NameIsDnsSubdomain(sa, false)));
  }
  std::string node = GetString(spec, {"nodeName"});
  if (!node.empty()) Append(errs, InvalidEach("spec.nodeName", node, NameIsDnsSubdomain(node, false)));
  if (const Json* ads = FindPath(spec, {"activeDeadlineSeconds"}); ads && ads->is_number()) {
    int64_t v = ads->get<int64_t>();
    if (v < 1 || v > 2147483647) {
      errs.push_back(Invalid("spec.activeDeadlineSeconds", std::to_string(v),
                             InclusiveRangeError(1, 2147483647)));
    }
  }
  std::string hostname = GetString(spec, {"hostname"});
  if (!hostname.empty()) Append(errs, ValidateDns1123Label(hostname, "spec.hostname"));
  std::string subdomain = GetString(spec, {"subdomain"});
  if (!subdomain.empty()) Append(errs, ValidateDns1123Label(subdomain, "spec.subdomain"));
  const Json& tolerations = ArrayOrEmpty(FindPath(spec, {"tolerations"}));
  for (size_t i = 0; i < tolerations.size(); ++i) {
    std::string tp = Index("spec.tolerations", i);
    std::string op = GetString(tolerations[i], {"operator"});
    std::string effect = GetString(tolerations[i], {"effect"});
    if (!op.empty() && op != "Equal" && op != "Exists") {
      errs.push_back(NotSupported(Child(tp, "operator"), op, {"Equal", "Exists"}));
    }
    if (!effect.empty() && effect != "NoSchedule" && effect != "PreferNoSchedule" &&
        effect != "NoExecute") {
      errs.push_back(NotSupported(Child(tp, "effect"), effect,
                                  {"NoExecute", "NoSchedule", "PreferNoSchedule"}));
    }
  }
  return errs;
}

}  // namespace

FieldErrors ValidatePod(const Json& pod) {
  FieldErrors errs = ValidateObjectMeta(pod, true, NameRule::kDnsSubdomain);
  static const Json kEmpty = Json::object();
  const Json* spec = FindPath(pod, {"spec"});
  Append(errs, ValidatePodSpec(spec && spec->is_object() ? *spec : kEmpty));
  return errs;
}

FieldErrors ValidatePodUpdate(const Json& pod, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(pod, old);
  static const Json kEmpty = Json::object();
  const Json* spec_p = FindPath(pod, {"spec"});
  const Json* old_p = FindPath(old, {"spec"});
  const Json& spec = spec_p && spec_p->is_object() ? *spec_p : kEmpty;
  const Json& old_spec = old_p && old_p->is_object() ? *old_p : kEmpty;
  Append(errs, ValidatePodSpec(spec));
  const Json& containers = ArrayOrEmpty(FindPath(spec, {"containers"}));
  const Json& old_containers = ArrayOrEmpty(FindPath(old_spec, {"containers"}));
  if (containers.size() != old_containers.size()) {
    errs.push_back(Forbidden("spec.containers", "pod updates may not add or remove containers"));
    return errs;
  }
  const Json& inits = ArrayOrEmpty(FindPath(spec, {"initContainers"}));
  const Json& old_inits = ArrayOrEmpty(FindPath(old_spec, {"initContainers"}));
  if (inits.size() != old_inits.size()) {
    errs.push_back(Forbidden("spec.initContainers", "pod updates may not add or remove containers"));
    return errs;
  }
  const Json* ads = FindPath(spec, {"activeDeadlineSeconds"});
  const Json* old_ads = FindPath(old_spec, {"activeDeadlineSeconds"});
  if (ads && ads->is_number()) {
    int64_t v = ads->get<int64_t>();
    if (v < 0 || v > 2147483647) {
      errs.push_back(Invalid("spec.activeDeadlineSeconds", std::to_string(v),
                             InclusiveRangeError(0, 2147483647)));
      return errs;
    }
    if (old_ads && old_ads->is_number() && old_ads->get<int64_t>() < v) {
      errs.push_back(Invalid("spec.activeDeadlineSeconds", std::to_string(v),
                             "must be less than or equal to previous value"));
      return errs;
    }
  } else if (old_ads && old_ads->is_number()) {
    errs.push_back(Invalid("spec.activeDeadlineSeconds", "null",
                           "must not update from a positive integer to nil value"));
  }
  // Mask the mutable fields, then any remaining difference is forbidden.
  Json munged = spec;
  for (const char* list : {"containers", "initContainers"}) {
    if (!munged.contains(list)) continue;
    const Json& olds = ArrayOrEmpty(FindPath(old_spec, {list}));
    for (size_t i = 0; i < munged[list].size() && i < olds.size(); ++i) {
      if (olds[i].contains("image")) {
        munged[list][i]["image"] = olds[i]["image"];
      } else {
        munged[list][i].erase("image");
      }
    }
  }
  auto copy_old = [&](const char* key) {
    if (old_spec.contains(key)) {
      munged[key] = old_spec[key];
    } else {
      munged.erase(key);
    }
  };
  copy_old("activeDeadlineSeconds");
  // Tolerations: only additions.
  const Json& tolerations = ArrayOrEmpty(FindPath(spec, {"tolerations"}));
  const Json& old_tolerations = ArrayOrEmpty(FindPath(old_spec, {"tolerations"}));
  bool only_additions = true;
  for (const Json& t : old_tolerations) {
    if (std::find(tolerations.begin(), tolerations.end(), t) == tolerations.end()) {
      only_additions = false;
    }
  }
  if (only_additions) copy_old("tolerations");
  int64_t old_grace = GetInt(old_spec, {"terminationGracePeriodSeconds"}, 0);
  if (old_grace < 0 && GetInt(spec, {"terminationGracePeriodSeconds"}, 0) == 1) {
    copy_old("terminationGracePeriodSeconds");
  }
  // Scheduling gates may only be removed.
  const Json& gates = ArrayOrEmpty(FindPath(spec, {"schedulingGates"}));
  const Json& old_gates = ArrayOrEmpty(FindPath(old_spec, {"schedulingGates"}));
  bool gates_removed_only = true;
  for (const Json& g : gates) {
    if (std::find(old_gates.begin(), old_gates.end(), g) == old_gates.end()) {
      gates_removed_only = false;
    }
  }
  if (gates_removed_only) copy_old("schedulingGates");
  if (munged != old_spec) {
    errs.push_back(Forbidden(
        "spec",
        "pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
        "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow "
        "it to be set to 1 if it was previously negative)"));
  }
  return errs;
}

}  // namespace haru::api::core
