// core/v1 Endpoints (pkg/registry/core/endpoint): subset shape and printEndpoints' column.

#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::core {

namespace {

FieldErrors ValidateSubsets(const Json& ep) {
  FieldErrors errs;
  const Json* subsets = FindPath(ep, {"subsets"});
  if (!subsets || !subsets->is_array()) return errs;
  for (size_t i = 0; i < subsets->size(); ++i) {
    const Json& ss = (*subsets)[i];
    std::string sp = Index("subsets", i);
    for (const char* list : {"addresses", "notReadyAddresses"}) {
      const Json* addrs = FindPath(ss, {list});
      if (!addrs || !addrs->is_array()) continue;
      for (size_t j = 0; j < addrs->size(); ++j) {
        std::string ip = GetString((*addrs)[j], {"ip"});
        if (!IsValidIp(ip)) {
          errs.push_back(InvalidString(Child(Index(Child(sp, list), j), "ip"), ip,
                                       "must be a valid IP address"));
        }
      }
    }
    const Json* ports = FindPath(ss, {"ports"});
    if (!ports || !ports->is_array()) continue;
    for (size_t j = 0; j < ports->size(); ++j) {
      const Json& p = (*ports)[j];
      std::string pp = Index(Child(sp, "ports"), j);
      std::string name = GetString(p, {"name"});
      if (!name.empty()) Append(errs, InvalidEach(Child(pp, "name"), name, IsDns1123Label(name)));
      int64_t port = GetInt(p, {"port"});
      for (auto& m : IsValidPortNum(port)) {
        errs.push_back(Invalid(Child(pp, "port"), std::to_string(port), m));
      }
      Append(errs, ValidateProtocol(GetString(p, {"protocol"}), Child(pp, "protocol")));
    }
  }
  return errs;
}

std::string FormatEndpoints(const Json& ep) {
  const Json* subsets = FindPath(ep, {"subsets"});
  if (!subsets || !subsets->is_array() || subsets->empty()) return "<none>";
  std::vector<std::string> list;
  const size_t kMax = 3;
  bool more = false;
  size_t count = 0;
  for (const Json& ss : *subsets) {
    const Json* addrs = FindPath(ss, {"addresses"});
    size_t naddr = addrs && addrs->is_array() ? addrs->size() : 0;
    const Json* ports = FindPath(ss, {"ports"});
    if (!ports || !ports->is_array() || ports->empty()) {
      count += naddr;
      for (size_t i = 0; i < naddr; ++i) {
        if (list.size() == kMax) {
          more = true;
          break;
        }
        list.push_back(GetString((*addrs)[i], {"ip"}));
      }
      continue;
    }
    for (const Json& port : *ports) {
      count += naddr;
      for (size_t i = 0; i < naddr; ++i) {
        if (list.size() == kMax) {
          more = true;
          break;
        }
        std::string ip = GetString((*addrs)[i], {"ip"});
        if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
        list.push_back(ip + ":" + std::to_string(GetInt(port, {"port"})));
      }
    }
  }
  std::string out;
  for (const auto& s : list) out += (out.empty() ? "" : ",") + s;
  if (more) out += " + " + std::to_string(count - kMax) + " more...";
  return out;
}

}  // namespace

const KindSpec& EndpointsKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "Endpoints"};
    s.plural = "endpoints";
    s.singular = "endpoints";
    s.short_names = {"ep"};
    s.schema = "io.k8s.api.core.v1.Endpoints";
    s.default_fields = [](Json& ep) {
      Json* subsets = ep.contains("subsets") && ep["subsets"].is_array() ? &ep["subsets"] : nullptr;
      if (!subsets) return;
      for (Json& ss : *subsets) {
        if (!ss.is_object() || !ss.contains("ports") || !ss["ports"].is_array()) continue;
        for (Json& p : ss["ports"]) {
          if (p.is_object() && !p.contains("protocol")) p["protocol"] = "TCP";
        }
      }
    };
    s.validate = [](const Json& ep) {
      FieldErrors errs = ValidateObjectMeta(ep, true, NameRule::kDnsSubdomain);
      Append(errs, ValidateSubsets(ep));
      return errs;
    };
    s.validate_update = [](const Json& ep, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(ep, old);
      Append(errs, ValidateSubsets(ep));
      return errs;
    };
    s.columns = {NameColumn(),
                 {"Endpoints", "string", "", "Endpoints is the list of endpoints for the service.",
                  0, [](const Json& o) { return Json(FormatEndpoints(o)); }},
                 AgeColumn()};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
