// resource.k8s.io/v1 ResourceClaim (pkg/registry/resource/resourceclaim): spec immutable,
// status only through /status, STATE column as upstream's printer.

#include <algorithm>
#include <set>

#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "api/resource/resource.h"
#include "api/resource/validation.h"

namespace haru::api::resource {

namespace {

void DefaultClaim(Json& claim) {
  if (!claim.is_object()) return;
  auto spec = claim.find("spec");
  if (spec != claim.end()) DefaultClaimSpec(*spec);
}

FieldErrors ValidateDriverPoolDevice(const Json& entry, const std::string& path) {
  FieldErrors errs = ValidateDriverName(GetString(entry, {"driver"}), Child(path, "driver"));
  Append(errs, ValidatePoolName(GetString(entry, {"pool"}), Child(path, "pool")));
  Append(errs, ValidateDnsLabelName(GetString(entry, {"device"}), Child(path, "device")));
  return errs;
}

std::string DeviceId(const Json& entry) {
  std::string id = GetString(entry, {"driver"}) + "/" + GetString(entry, {"pool"}) + "/" +
                   GetString(entry, {"device"});
  std::string share = GetString(entry, {"shareID"});
  if (!share.empty()) id += "/" + share;
  return id;
}

FieldErrors ValidateAllocation(const Json& allocation, const std::vector<std::string>& names) {
  FieldErrors errs;
  const Json& results = ArrayOrEmpty(FindPath(allocation, {"devices", "results"}));
  const std::string rp = "status.allocation.devices.results";
  if (static_cast<int>(results.size()) > kAllocationResultsMaxSize) {
    errs.push_back(TooMany(rp, static_cast<int>(results.size()), kAllocationResultsMaxSize));
  } else {
    for (size_t i = 0; i < results.size(); ++i) {
      std::string ip = Index(rp, i);
      Append(errs, ValidateRequestNameRef(GetString(results[i], {"request"}), names, Child(ip, "request")));
      Append(errs, ValidateDriverPoolDevice(results[i], ip));
      const Json& tolerations = ArrayOrEmpty(FindPath(results[i], {"tolerations"}));
      for (size_t j = 0; j < tolerations.size(); ++j) {
        Append(errs, ValidateDeviceToleration(tolerations[j], Index(Child(ip, "tolerations"), j)));
      }
    }
  }
  const Json& configs = ArrayOrEmpty(FindPath(allocation, {"devices", "config"}));
  const std::string cp = "status.allocation.devices.config";
  if (static_cast<int>(configs.size()) > 2 * kDeviceConfigMaxSize) {
    errs.push_back(TooMany(cp, static_cast<int>(configs.size()), 2 * kDeviceConfigMaxSize));
  } else {
    for (size_t i = 0; i < configs.size(); ++i) {
      std::string ip = Index(cp, i);
      std::string source = GetString(configs[i], {"source"});
      if (source.empty()) {
        errs.push_back(Required(Child(ip, "source")));
      } else if (source != "FromClass" && source != "FromClaim") {
        errs.push_back(NotSupported(Child(ip, "source"), source, {"FromClaim", "FromClass"}));
      }
      const Json& refs = ArrayOrEmpty(FindPath(configs[i], {"requests"}));
      for (size_t j = 0; j < refs.size(); ++j) {
        Append(errs, ValidateRequestNameRef(refs[j].is_string() ? refs[j].get<std::string>() : "",
                                            names, Index(Child(ip, "requests"), j)));
      }
      Append(errs, ValidateDeviceConfiguration(configs[i], ip));
    }
  }
  if (const Json* sel = FindPath(allocation, {"nodeSelector"}); sel && sel->is_object()) {
    Append(errs, ValidateNodeSelector(*sel, "status.allocation.nodeSelector"));
  }
  return errs;
}

}  // namespace

std::string ResourceClaimState(const Json& claim) {
  std::vector<std::string> states;
  const Json* deleted = FindPath(claim, {"metadata", "deletionTimestamp"});
  bool is_deleted = deleted != nullptr && !deleted->is_null();
  const Json* allocation = FindPath(claim, {"status", "allocation"});
  if (is_deleted) states.push_back("deleted");
  if (allocation == nullptr || allocation->is_null()) {
    if (!is_deleted) states.push_back("pending");
  } else {
    states.push_back("allocated");
    if (!ArrayOrEmpty(FindPath(claim, {"status", "reservedFor"})).empty()) states.push_back("reserved");
  }
  std::string out;
  for (size_t i = 0; i < states.size(); ++i) out += (i ? "," : "") + states[i];
  return out;
}

FieldErrors ValidateResourceClaim(const Json& claim) {
  FieldErrors errs = ValidateObjectMeta(claim, true, NameRule::kDnsSubdomain);
  static const Json kEmpty = Json::object();
  const Json* spec = FindPath(claim, {"spec"});
  Append(errs, ValidateClaimSpec(spec && spec->is_object() ? *spec : kEmpty, "spec", false));
  return errs;
}

FieldErrors ValidateResourceClaimUpdate(const Json& claim, const Json& old) {
  FieldErrors errs = ValidateObjectMeta(claim, true, NameRule::kDnsSubdomain);
  Append(errs, ValidateObjectMetaUpdate(claim, old));
  // Only immutability: the user cannot change anything else in the spec.
  Append(errs, ValidateImmutableField(FindPath(claim, {"spec"}), FindPath(old, {"spec"}), "spec"));
  return errs;
}

FieldErrors ValidateResourceClaimStatusUpdate(const Json& claim, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(claim, old);
  static const Json kEmpty = Json::object();
  const Json* spec = FindPath(claim, {"spec"});
  std::vector<std::string> names = RequestNames(spec && spec->is_object() ? *spec : kEmpty);

  const Json& reserved = ArrayOrEmpty(FindPath(claim, {"status", "reservedFor"}));
  const std::string rp = "status.reservedFor";
  if (static_cast<int>(reserved.size()) > kResourceClaimReservedForMaxSize) {
    errs.push_back(TooMany(rp, static_cast<int>(reserved.size()), kResourceClaimReservedForMaxSize));
  } else {
    std::set<std::string> uids;
    for (size_t i = 0; i < reserved.size(); ++i) {
      std::string ip = Index(rp, i);
      for (const char* f : {"resource", "name", "uid"}) {
        if (GetString(reserved[i], {f}).empty()) errs.push_back(Required(Child(ip, f)));
      }
      std::string uid = GetString(reserved[i], {"uid"});
      if (!uids.insert(uid).second) errs.push_back(Duplicate(ip, QuoteValue(uid)));
    }
  }

  const Json* allocation = FindPath(claim, {"status", "allocation"});
  const Json* old_allocation = FindPath(old, {"status", "allocation"});
  bool allocated = allocation != nullptr && !allocation->is_null();
  bool was_allocated = old_allocation != nullptr && !old_allocation->is_null();
  if (!reserved.empty()) {
    if (!allocated) {
      errs.push_back(Forbidden(rp, "may not be specified when `allocated` is not set"));
    } else if (FindPath(claim, {"metadata", "deletionTimestamp"}) != nullptr) {
      const Json& old_reserved = ArrayOrEmpty(FindPath(old, {"status", "reservedFor"}));
      for (const Json& r : reserved) {
        if (std::find(old_reserved.begin(), old_reserved.end(), r) == old_reserved.end()) {
          errs.push_back(Forbidden(rp,
                                   "new entries may not be added while `deallocationRequested` or "
                                   "`deletionTimestamp` are set"));
          break;
        }
      }
    }
  }
  if (allocated && was_allocated) {
    Append(errs, ValidateImmutableField(allocation, old_allocation, "status.allocation"));
  } else if (allocated) {
    Append(errs, ValidateAllocation(*allocation, names));
  }

  std::set<std::string> allocated_ids;
  if (allocated) {
    for (const Json& r : ArrayOrEmpty(FindPath(*allocation, {"devices", "results"}))) {
      allocated_ids.insert(DeviceId(r));
    }
  }
  const Json& devices = ArrayOrEmpty(FindPath(claim, {"status", "devices"}));
  std::set<std::string> seen;
  for (size_t i = 0; i < devices.size(); ++i) {
    std::string ip = Index("status.devices", i);
    Append(errs, ValidateDriverPoolDevice(devices[i], ip));
    std::string id = DeviceId(devices[i]);
    if (!allocated_ids.count(id)) {
      errs.push_back(InvalidString(ip, id, "must be an allocated device in the claim"));
    }
    if (!seen.insert(id).second) errs.push_back(Duplicate(ip, QuoteValue(id)));
    const Json& conditions = ArrayOrEmpty(FindPath(devices[i], {"conditions"}));
    if (static_cast<int>(conditions.size()) > kAllocatedDeviceStatusMaxConditions) {
      errs.push_back(TooMany(Child(ip, "conditions"), static_cast<int>(conditions.size()),
                             kAllocatedDeviceStatusMaxConditions));
    }
  }
  return errs;
}

const KindSpec& ResourceClaimKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"resource.k8s.io", "v1", "ResourceClaim"};
    s.plural = "resourceclaims";
    s.singular = "resourceclaim";
    s.scope = Scope::kNamespaced;
    s.schema = "io.k8s.api.resource.v1.ResourceClaim";
    s.has_status = true;
    s.prepare_for_create = [](Json& claim) { claim.erase("status"); };
    s.default_fields = &DefaultClaim;
    s.validate = &ValidateResourceClaim;
    s.validate_update = &ValidateResourceClaimUpdate;
    s.validate_status_update = &ValidateResourceClaimStatusUpdate;
    s.columns = {NameColumn(),
                 {"State", "string", "",
                  "A summary of the current state (allocated, pending, reserved, etc.).", 0,
                  [](const Json& o) { return Json(ResourceClaimState(o)); }},
                 AgeColumn()};
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::resource
