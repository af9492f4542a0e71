// resource.k8s.io/v1 ResourceSlice (pkg/registry/resource/resourceslice): cluster-scoped,
// generation bumped on spec changes, field selectors spec.nodeName and spec.driver.

#include <algorithm>
#include <map>
#include <set>

#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "api/resource/resource.h"
#include "api/resource/validation.h"

namespace haru::api::resource {

namespace {

constexpr char kNodeSelectionRequired[] =
    "exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required";
constexpr char kDeviceNodeSelection[] =
    "exactly one of `nodeName`, `nodeSelector`, or `allNodes` is required when "
    "`perDeviceNodeSelection` is set to true in the ResourceSlice spec";

bool IsTrue(const Json* v) { return v != nullptr && v->is_boolean() && v->get<bool>(); }
bool IsSet(const Json* v) { return v != nullptr && !v->is_null(); }

// A map of name -> {value} (counters): at most `max` entries with DNS-label keys.
FieldErrors ValidateCounters(const Json* counters, int max, const std::string& path) {
  FieldErrors errs;
  if (counters == nullptr || !counters->is_object() || counters->empty()) {
    errs.push_back(Required(path));
    return errs;
  }
  if (static_cast<int>(counters->size()) > max) {
    errs.push_back(TooMany(path, static_cast<int>(counters->size()), max));
    return errs;
  }
  for (auto it = counters->begin(); it != counters->end(); ++it) {
    Append(errs, InvalidEach(path, it.key(), IsDns1123Label(it.key())));
  }
  return errs;
}

FieldErrors ValidateAttribute(const Json& attr, const std::string& path) {
  FieldErrors errs;
  int set = 0;
  for (const char* k : {"int", "bool", "string", "version"}) {
    if (IsSet(FindPath(attr, {k}))) ++set;
  }
  std::string s = GetString(attr, {"string"});
  if (static_cast<int>(s.size()) > kDeviceAttributeMaxValueLength) {
    errs.push_back(TooLong(Child(path, "string"), kDeviceAttributeMaxValueLength));
  }
  if (const Json* v = FindPath(attr, {"version"}); v && v->is_string()) {
    std::string ver = v->get<std::string>();
    if (!IsSemver(ver)) {
      errs.push_back(InvalidString(Child(path, "version"), ver,
                                   "must be a string compatible with semver.org spec 2.0.0"));
    }
    if (static_cast<int>(ver.size()) > kDeviceAttributeMaxValueLength) {
      errs.push_back(TooLong(Child(path, "version"), kDeviceAttributeMaxValueLength));
    }
  }
  if (set == 0) {
    errs.push_back(InvalidString(path, "", "exactly one value must be specified"));
  } else if (set > 1) {
    errs.push_back(Invalid(path, RenderValue(attr), "exactly one value must be specified"));
  }
  return errs;
}

FieldErrors ValidateDevice(const Json& device, bool per_device_node_selection,
                           const std::string& path) {
  FieldErrors errs = ValidateDnsLabelName(GetString(device, {"name"}), Child(path, "name"));
  const Json* attrs = FindPath(device, {"attributes"});
  const Json* caps = FindPath(device, {"capacity"});
  size_t n_attrs = attrs && attrs->is_object() ? attrs->size() : 0;
  size_t n_caps = caps && caps->is_object() ? caps->size() : 0;
  int total = static_cast<int>(n_attrs + n_caps);
  if (total > kResourceSliceMaxAttributesAndCapacitiesPerDevice) {
    errs.push_back(Invalid(path, std::to_string(total),
                           "the total number of attributes and capacities must not exceed " +
                               std::to_string(kResourceSliceMaxAttributesAndCapacitiesPerDevice)));
  }
  if (n_attrs > 0) {
    std::string ap = Child(path, "attributes");
    for (auto it = attrs->begin(); it != attrs->end(); ++it) {
      Append(errs, ValidateQualifiedName(it.key(), ap));
      Append(errs, ValidateAttribute(*it, Key(ap, it.key())));
    }
  }
  bool shared = GetBool(device, {"allowMultipleAllocations"});
  if (n_caps > 0) {
    std::string cp = Child(path, "capacity");
    for (auto it = caps->begin(); it != caps->end(); ++it) {
      Append(errs, ValidateQualifiedName(it.key(), cp));
      if (!shared && IsSet(FindPath(*it, {"requestPolicy"}))) {
        errs.push_back(Forbidden(Child(Key(cp, it.key()), "requestPolicy"),
                                 "allowMultipleAllocations must be true"));
      }
    }
  }
  const Json& taints = ArrayOrEmpty(FindPath(device, {"taints"}));
  std::string tp = Child(path, "taints");
  if (static_cast<int>(taints.size()) > kDeviceTaintsMaxLength) {
    errs.push_back(TooMany(tp, static_cast<int>(taints.size()), kDeviceTaintsMaxLength));
  } else {
    for (size_t i = 0; i < taints.size(); ++i) {
      Append(errs, ValidateDeviceTaint(taints[i], nullptr, Index(tp, i)));
    }
  }
  const Json& consumes = ArrayOrEmpty(FindPath(device, {"consumesCounters"}));
  std::string ccp = Child(path, "consumesCounters");
  if (static_cast<int>(consumes.size()) > kResourceSliceMaxDeviceCounterConsumptionsPerDevice) {
    errs.push_back(TooMany(ccp, static_cast<int>(consumes.size()),
                           kResourceSliceMaxDeviceCounterConsumptionsPerDevice));
  } else {
    std::set<std::string> sets;
    for (size_t i = 0; i < consumes.size(); ++i) {
      std::string ip = Index(ccp, i);
      std::string set = GetString(consumes[i], {"counterSet"});
      Append(errs, ValidateDnsLabelName(set, Child(ip, "counterSet")));
      Append(errs, ValidateCounters(FindPath(consumes[i], {"counters"}),
                                    kResourceSliceMaxCountersPerDeviceCounterConsumption,
                                    Child(ip, "counters")));
      if (!sets.insert(set).second) errs.push_back(Duplicate(ip, QuoteValue(set)));
    }
  }
  const Json* node_name = FindPath(device, {"nodeName"});
  const Json* node_selector = FindPath(device, {"nodeSelector"});
  const Json* all_nodes = FindPath(device, {"allNodes"});
  if (per_device_node_selection) {
    std::vector<std::string> set_fields;
    if (IsSet(node_name)) {
      std::string name = node_name->is_string() ? node_name->get<std::string>() : "";
      if (!name.empty()) {
        set_fields.push_back("`nodeName`");
        Append(errs, InvalidEach(Child(path, "nodeName"), name, NameIsDnsSubdomain(name, false)));
      } else {
        errs.push_back(InvalidString(Child(path, "nodeName"), name, "must not be empty"));
      }
    }
    if (IsSet(node_selector)) {
      set_fields.push_back("`nodeSelector`");
      Append(errs, ValidateNodeSelector(*node_selector, Child(path, "nodeSelector")));
    }
    if (IsSet(all_nodes)) {
      if (IsTrue(all_nodes)) {
        set_fields.push_back("`allNodes`");
      } else {
        errs.push_back(Invalid(Child(path, "allNodes"), "false", "must be either unset or set to true"));
      }
    }
    if (set_fields.empty()) {
      errs.push_back(Required(path, kDeviceNodeSelection));
    } else if (set_fields.size() > 1) {
      std::string joined;
      for (size_t i = 0; i < set_fields.size(); ++i) joined += (i ? ", " : "") + set_fields[i];
      errs.push_back(InvalidString(path, "{" + joined + "}", kDeviceNodeSelection));
    }
  } else if (IsSet(node_name) || IsSet(node_selector) || IsSet(all_nodes)) {
    errs.push_back(Invalid(path, "null",
                           "`nodeName`, `nodeSelector` and `allNodes` can only be set if "
                           "`perDeviceNodeSelection` is set to true in the ResourceSlice spec"));
  }
  for (const char* list : {"bindingConditions", "bindingFailureConditions"}) {
    const Json& conds = ArrayOrEmpty(FindPath(device, {list}));
    std::string lp = Child(path, list);
    if (static_cast<int>(conds.size()) > kBindingConditionsMaxSize) {
      errs.push_back(TooMany(lp, static_cast<int>(conds.size()), kBindingConditionsMaxSize));
      continue;
    }
    for (size_t i = 0; i < conds.size(); ++i) {
      Append(errs, ValidateLabelNameAt(conds[i].is_string() ? conds[i].get<std::string>() : "",
                                       Index(lp, i)));
    }
  }
  size_t n_bind = ArrayOrEmpty(FindPath(device, {"bindingConditions"})).size();
  size_t n_fail = ArrayOrEmpty(FindPath(device, {"bindingFailureConditions"})).size();
  if (n_bind == 0 && n_fail > 0) {
    errs.push_back(Invalid(Child(path, "bindingConditions"), "[]",
                           "bindingConditions are required to use bindingFailureConditions"));
  }
  if (n_fail == 0 && n_bind > 0) {
    errs.push_back(Invalid(Child(path, "bindingFailureConditions"), "[]",
                           "bindingFailureConditions are required to use bindingConditions"));
  }
  return errs;
}

FieldErrors ValidateSliceSpec(const Json& slice, const Json* old) {
  FieldErrors errs;
  static const Json kEmpty = Json::object();
  const Json* spec_p = FindPath(slice, {"spec"});
  const Json& spec = spec_p && spec_p->is_object() ? *spec_p : kEmpty;
  Append(errs, ValidateDriverName(GetString(spec, {"driver"}), "spec.driver"));
  Append(errs, ValidatePoolName(GetString(spec, {"pool", "name"}), "spec.pool.name"));
  int64_t count = GetInt(spec, {"pool", "resourceSliceCount"});
  if (count <= 0) {
    errs.push_back(Invalid("spec.pool.resourceSliceCount", std::to_string(count), "must be greater than zero"));
  }
  int64_t generation = GetInt(spec, {"pool", "generation"});
  if (generation < 0) {
    errs.push_back(Invalid("spec.pool.generation", std::to_string(generation),
                           "must be greater than or equal to zero"));
  }
  if (old != nullptr) {
    Append(errs, ValidateImmutableField(FindPath(slice, {"spec", "pool", "name"}),
                                        FindPath(*old, {"spec", "pool", "name"}), "spec.pool.name"));
    Append(errs, ValidateImmutableField(FindPath(slice, {"spec", "driver"}),
                                        FindPath(*old, {"spec", "driver"}), "spec.driver"));
    Append(errs, ValidateImmutableField(FindPath(slice, {"spec", "nodeName"}),
                                        FindPath(*old, {"spec", "nodeName"}), "spec.nodeName"));
  }
  std::vector<std::string> set_fields;
  if (const Json* n = FindPath(spec, {"nodeName"}); IsSet(n)) {
    std::string name = n->is_string() ? n->get<std::string>() : "";
    if (!name.empty()) {
      set_fields.push_back("`nodeName`");
      Append(errs, InvalidEach("spec.nodeName", name, NameIsDnsSubdomain(name, false)));
    } else {
      errs.push_back(InvalidString("spec.nodeName", name, "must be either unset or set to a non-empty string"));
    }
  }
  if (const Json* s = FindPath(spec, {"nodeSelector"}); IsSet(s)) {
    set_fields.push_back("`nodeSelector`");
    Append(errs, ValidateNodeSelector(*s, "spec.nodeSelector"));
    const Json& terms = ArrayOrEmpty(FindPath(*s, {"nodeSelectorTerms"}));
    if (terms.size() != 1) {
      errs.push_back(Invalid("spec.nodeSelector.nodeSelectorTerms", RenderValue(terms),
                             "must have exactly one node selector term"));
    }
  }
  for (const char* flag : {"allNodes", "perDeviceNodeSelection"}) {
    if (const Json* v = FindPath(spec, {flag}); IsSet(v)) {
      if (IsTrue(v)) {
        set_fields.push_back(std::string("`") + flag + "`");
      } else {
        errs.push_back(Invalid(Child("spec", flag), "false", "must be either unset or set to true"));
      }
    }
  }
  if (set_fields.empty()) {
    errs.push_back(Required("spec", kNodeSelectionRequired));
  } else if (set_fields.size() > 1) {
    std::string joined;
    for (size_t i = 0; i < set_fields.size(); ++i) joined += (i ? ", " : "") + set_fields[i];
    errs.push_back(InvalidString("spec", "{" + joined + "}",
                                 std::string(kNodeSelectionRequired) + ", but multiple fields are set"));
  }
  const Json* devices_p = FindPath(spec, {"devices"});
  const Json* counters_p = FindPath(spec, {"sharedCounters"});
  if (IsSet(devices_p) && IsSet(counters_p)) {
    errs.push_back(InvalidString("spec", "", "only one of `sharedCounters` or `devices` is allowed"));
  }
  const Json& devices = ArrayOrEmpty(devices_p);
  bool advanced = false;
  for (const Json& d : devices) {
    if (!ArrayOrEmpty(FindPath(d, {"taints"})).empty() ||
        !ArrayOrEmpty(FindPath(d, {"consumesCounters"})).empty()) {
      advanced = true;
    }
  }
  int max_devices = advanced ? kResourceSliceMaxDevicesWithAdvancedFeatures : kResourceSliceMaxDevices;
  if (static_cast<int>(devices.size()) > max_devices) {
    errs.push_back(TooMany("spec.devices", static_cast<int>(devices.size()), max_devices));
  } else {
    bool per_device = GetBool(spec, {"perDeviceNodeSelection"});
    std::set<std::string> names;
    for (size_t i = 0; i < devices.size(); ++i) {
      std::string dp = Index("spec.devices", i);
      Append(errs, ValidateDevice(devices[i], per_device, dp));
      std::string name = GetString(devices[i], {"name"});
      if (!names.insert(name).second) errs.push_back(Duplicate(dp, QuoteValue(name)));
    }
  }
  const Json& sets = ArrayOrEmpty(counters_p);
  if (static_cast<int>(sets.size()) > kResourceSliceMaxCounterSets) {
    errs.push_back(TooMany("spec.sharedCounters", static_cast<int>(sets.size()), kResourceSliceMaxCounterSets));
  } else {
    std::set<std::string> names;
    for (size_t i = 0; i < sets.size(); ++i) {
      std::string sp = Index("spec.sharedCounters", i);
      std::string name = GetString(sets[i], {"name"});
      Append(errs, ValidateDnsLabelName(name, Child(sp, "name")));
      Append(errs, ValidateCounters(FindPath(sets[i], {"counters"}),
                                    kResourceSliceMaxCountersPerCounterSet, Child(sp, "counters")));
      if (!names.insert(name).second) errs.push_back(Duplicate(sp, QuoteValue(name)));
    }
  }
  return errs;
}

void DefaultSliceTaints(Json& slice) {
  Json* devices = &MutablePath(slice, {"spec"});
  auto it = devices->find("devices");
  if (it == devices->end() || !it->is_array()) return;
  for (Json& d : *it) {
    if (!d.is_object()) continue;
    auto t = d.find("taints");
    if (t == d.end() || !t->is_array()) continue;
    for (Json& taint : *t) DefaultDeviceTaint(taint);
  }
}

std::vector<std::string> DriverWarnings(const Json& slice, const Json*) {
  std::string driver = GetString(slice, {"spec", "driver"});
  for (char c : driver) {
    if (c >= 'A' && c <= 'Z') {
      return {"spec.driver: driver names should be lowercase; " + QuoteValue(driver) +
              " contains uppercase characters"};
    }
  }
  return {};
}

}  // namespace

bool IsSemver(std::string_view v) {
  // major.minor.patch, numeric identifiers without leading zeros, then optional
  // -prerelease(.ident)* and +build(.ident)*.
  auto numeric = [](std::string_view s) {
    if (s.empty()) return false;
    if (s.size() > 1 && s[0] == '0') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto ident_chars = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
  };
  auto split = [](std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
      size_t p = s.find(sep, start);
      out.push_back(s.substr(start, p == std::string_view::npos ? p : p - start));
      if (p == std::string_view::npos) break;
      start = p + 1;
    }
    return out;
  };
  std::string_view core = v, pre, build;
  size_t plus = core.find('+');
  if (plus != std::string_view::npos) {
    build = core.substr(plus + 1);
    core = core.substr(0, plus);
    for (std::string_view b : split(build, '.')) {
      if (!ident_chars(b)) return false;
    }
  }
  size_t dash = core.find('-');
  if (dash != std::string_view::npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
    for (std::string_view p : split(pre, '.')) {
      if (!ident_chars(p)) return false;
      bool all_digits = std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (all_digits && !numeric(p)) return false;
    }
  }
  std::vector<std::string_view> parts = split(core, '.');
  if (parts.size() != 3) return false;
  return numeric(parts[0]) && numeric(parts[1]) && numeric(parts[2]);
}

FieldErrors ValidateResourceSlice(const Json& slice) {
  FieldErrors errs = ValidateObjectMeta(slice, false, NameRule::kDnsSubdomain);
  Append(errs, ValidateSliceSpec(slice, nullptr));
  return errs;
}

FieldErrors ValidateResourceSliceUpdate(const Json& slice, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(slice, old);
  Append(errs, ValidateSliceSpec(slice, &old));
  return errs;
}

const KindSpec& ResourceSliceKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"resource.k8s.io", "v1", "ResourceSlice"};
    s.plural = "resourceslices";
    s.singular = "resourceslice";
    s.scope = Scope::kCluster;
    s.schema = "io.k8s.api.resource.v1.ResourceSlice";
    s.tracks_generation = true;
    s.default_fields = &DefaultSliceTaints;
    s.validate = &ValidateResourceSlice;
    s.validate_update = &ValidateResourceSliceUpdate;
    s.warnings = &DriverWarnings;
    s.columns = {NameColumn(),
                 StringColumn("Node", "The node whose devices the slice publishes.", "spec", "nodeName"),
                 StringColumn("Driver", "The driver that publishes the slice.", "spec", "driver"),
                 StringColumn("Pool", "The pool the slice belongs to.", "spec", "pool", "name"),
                 AgeColumn()};
    s.selectable_fields = {
        {"spec.nodeName", [](const Json& o) { return GetString(o, {"spec", "nodeName"}); },
         "spec.nodeName"},
        {"spec.driver", [](const Json& o) { return GetString(o, {"spec", "driver"}); },
         "spec.driver"},
    };
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::resource
