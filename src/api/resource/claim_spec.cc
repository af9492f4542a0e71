// ResourceClaimSpec defaults and validation, shared by ResourceClaim and
// ResourceClaimTemplate (pkg/apis/resource/v1/defaults.go, validateDeviceClaim).

#include <algorithm>
#include <set>

#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "api/resource/resource.h"
#include "api/resource/validation.h"

namespace haru::api::resource {

namespace {

constexpr char kRequestRefMsg[] =
    "must be the name of a request in the claim or the name of a request and a subrequest "
    "separated by '/'";

void DefaultAllocationMode(Json& request) {
  if (!request.is_object()) return;
  std::string mode = GetString(request, {"allocationMode"});
  if (mode.empty()) {
    request["allocationMode"] = "ExactCount";
    mode = "ExactCount";
  }
  if (mode == "ExactCount" && GetInt(request, {"count"}) == 0) request["count"] = 1;
}

FieldErrors ValidateAllocationMode(const Json& request, const std::string& path) {
  FieldErrors errs;
  std::string mode = GetString(request, {"allocationMode"});
  int64_t count = GetInt(request, {"count"});
  if (mode == "All") {
    if (count != 0) {
      errs.push_back(Invalid(Child(path, "count"), std::to_string(count),
                             "must not be specified when allocationMode is 'All'"));
    }
  } else if (mode == "ExactCount") {
    if (count <= 0) {
      errs.push_back(Invalid(Child(path, "count"), std::to_string(count), "must be greater than zero"));
    }
  } else {
    errs.push_back(NotSupported(Child(path, "allocationMode"), mode, {"All", "ExactCount"}));
  }
  return errs;
}

FieldErrors ValidateDeviceClassRef(const Json& request, const std::string& path) {
  std::string cls = GetString(request, {"deviceClassName"});
  if (cls.empty()) return {Required(path)};
  return InvalidEach(path, cls, IsDns1123Subdomain(cls));
}

FieldErrors ValidateTolerations(const Json& request, const std::string& path) {
  FieldErrors errs;
  const Json& tolerations = ArrayOrEmpty(FindPath(request, {"tolerations"}));
  for (size_t i = 0; i < tolerations.size(); ++i) {
    Append(errs, ValidateDeviceToleration(tolerations[i], Index(path, i)));
  }
  return errs;
}

// The shape every (sub)request shares: class, selectors, mode and count, tolerations.
FieldErrors ValidateExactFields(const Json& request, const std::string& path, bool stored) {
  FieldErrors errs = ValidateDeviceClassRef(request, Child(path, "deviceClassName"));
  Append(errs, ValidateSelectors(FindPath(request, {"selectors"}), Child(path, "selectors"), stored));
  Append(errs, ValidateAllocationMode(request, path));
  Append(errs, ValidateTolerations(request, Child(path, "tolerations")));
  return errs;
}

FieldErrors ValidateRequest(const Json& request, const std::string& path, bool stored) {
  FieldErrors errs = ValidateDnsLabelName(GetString(request, {"name"}), Child(path, "name"));
  const Json* exactly = FindPath(request, {"exactly"});
  const Json& first = ArrayOrEmpty(FindPath(request, {"firstAvailable"}));
  bool has_exactly = exactly != nullptr && !exactly->is_null();
  bool has_first = !first.empty();
  if (!has_exactly && !has_first) {
    errs.push_back(Required(path, "exactly one of `exactly` or `firstAvailable` is required"));
  } else if (has_exactly && has_first) {
    errs.push_back(Invalid(path, "null",
                           "exactly one of `exactly` or `firstAvailable` is required, but multiple "
                           "fields are set"));
  } else if (has_first) {
    std::string fp = Child(path, "firstAvailable");
    if (static_cast<int>(first.size()) > kFirstAvailableDeviceRequestMaxSize) {
      errs.push_back(TooMany(fp, static_cast<int>(first.size()), kFirstAvailableDeviceRequestMaxSize));
      return errs;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < first.size(); ++i) {
      std::string sp = Index(fp, i);
      std::string name = GetString(first[i], {"name"});
      Append(errs, ValidateDnsLabelName(name, Child(sp, "name")));
      Append(errs, ValidateExactFields(first[i], sp, stored));
      if (!names.insert(name).second) errs.push_back(Duplicate(sp, QuoteValue(name)));
    }
  } else {
    Append(errs, ValidateExactFields(*exactly, Child(path, "exactly"), stored));
  }
  return errs;
}

FieldErrors ValidateRequestRefs(const Json& holder, const std::vector<std::string>& names,
                                const std::string& path) {
  FieldErrors errs;
  const Json& refs = ArrayOrEmpty(FindPath(holder, {"requests"}));
  if (static_cast<int>(refs.size()) > kDeviceRequestsMaxSize) {
    return {TooMany(path, static_cast<int>(refs.size()), kDeviceRequestsMaxSize)};
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < refs.size(); ++i) {
    std::string ref = refs[i].is_string() ? refs[i].get<std::string>() : "";
    Append(errs, ValidateRequestNameRef(ref, names, Index(path, i)));
    if (!seen.insert(ref).second) errs.push_back(Duplicate(Index(path, i), QuoteValue(ref)));
  }
  return errs;
}

}  // namespace

std::vector<std::string> RequestNames(const Json& spec) {
  std::vector<std::string> names;
  for (const Json& r : ArrayOrEmpty(FindPath(spec, {"devices", "requests"}))) {
    std::string name = GetString(r, {"name"});
    names.push_back(name);
    for (const Json& sub : ArrayOrEmpty(FindPath(r, {"firstAvailable"}))) {
      names.push_back(name + "/" + GetString(sub, {"name"}));
    }
  }
  return names;
}

FieldErrors ValidateRequestNameRef(std::string_view ref, const std::vector<std::string>& names,
                                   const std::string& path) {
  FieldErrors errs;
  size_t slashes = std::count(ref.begin(), ref.end(), '/');
  if (slashes > 1) return {InvalidString(path, ref, kRequestRefMsg)};
  size_t slash = ref.find('/');
  Append(errs, InvalidEach(path, ref.substr(0, slash), IsDns1123Label(ref.substr(0, slash))));
  if (slash != std::string_view::npos) {
    std::string_view sub = ref.substr(slash + 1);
    Append(errs, InvalidEach(path, sub, IsDns1123Label(sub)));
  }
  if (std::find(names.begin(), names.end(), ref) == names.end()) {
    errs.push_back(InvalidString(path, ref, kRequestRefMsg));
  }
  return errs;
}

void DefaultClaimSpec(Json& spec) {
  if (!spec.is_object()) return;
  auto devices = spec.find("devices");
  if (devices == spec.end() || !devices->is_object()) return;
  auto requests = devices->find("requests");
  if (requests == devices->end() || !requests->is_array()) return;
  for (Json& r : *requests) {
    if (!r.is_object()) continue;
    if (auto e = r.find("exactly"); e != r.end() && e->is_object()) DefaultAllocationMode(*e);
    if (auto f = r.find("firstAvailable"); f != r.end() && f->is_array()) {
      for (Json& sub : *f) DefaultAllocationMode(sub);
    }
  }
}

FieldErrors ValidateClaimSpec(const Json& spec, const std::string& path, bool stored) {
  FieldErrors errs;
  std::string dp = Child(path, "devices");
  std::vector<std::string> names = RequestNames(spec);

  const Json& requests = ArrayOrEmpty(FindPath(spec, {"devices", "requests"}));
  std::string rp = Child(dp, "requests");
  if (static_cast<int>(requests.size()) > kDeviceRequestsMaxSize) {
    errs.push_back(TooMany(rp, static_cast<int>(requests.size()), kDeviceRequestsMaxSize));
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < requests.size(); ++i) {
      Append(errs, ValidateRequest(requests[i], Index(rp, i), stored));
      std::string name = GetString(requests[i], {"name"});
      if (!seen.insert(name).second) errs.push_back(Duplicate(Index(rp, i), QuoteValue(name)));
    }
  }

  const Json& constraints = ArrayOrEmpty(FindPath(spec, {"devices", "constraints"}));
  std::string cp = Child(dp, "constraints");
  if (static_cast<int>(constraints.size()) > kDeviceConstraintsMaxSize) {
    errs.push_back(TooMany(cp, static_cast<int>(constraints.size()), kDeviceConstraintsMaxSize));
  } else {
    for (size_t i = 0; i < constraints.size(); ++i) {
      std::string ip = Index(cp, i);
      Append(errs, ValidateRequestRefs(constraints[i], names, Child(ip, "requests")));
      const Json* match = FindPath(constraints[i], {"matchAttribute"});
      const Json* distinct = FindPath(constraints[i], {"distinctAttribute"});
      if (match != nullptr && match->is_string()) {
        Append(errs, ValidateFullyQualifiedName(match->get<std::string>(), Child(ip, "matchAttribute")));
      } else if (distinct != nullptr && distinct->is_string()) {
        Append(errs, ValidateFullyQualifiedName(distinct->get<std::string>(),
                                                Child(ip, "distinctAttribute")));
      } else {
        errs.push_back(Required(ip,
                                "exactly one of \"matchAttribute\" or \"distinctAttribute\" is "
                                "required, but multiple fields are set"));
      }
    }
  }

  const Json& configs = ArrayOrEmpty(FindPath(spec, {"devices", "config"}));
  std::string fp = Child(dp, "config");
  if (static_cast<int>(configs.size()) > kDeviceConfigMaxSize) {
    errs.push_back(TooMany(fp, static_cast<int>(configs.size()), kDeviceConfigMaxSize));
  } else {
    for (size_t i = 0; i < configs.size(); ++i) {
      std::string ip = Index(fp, i);
      Append(errs, ValidateRequestRefs(configs[i], names, Child(ip, "requests")));
      Append(errs, ValidateDeviceConfiguration(configs[i], ip));
    }
  }
  return errs;
}

}  // namespace haru::api::resource
