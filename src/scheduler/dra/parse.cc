// Parsing of the v1 DRA objects into the allocator's model (types.h). Only the shape is
// checked here (types, required fields the allocator relies on); API validation proper
// (name formats, limits) belongs to the kind declarations.

#include <utility>

#include "scheduler/dra/types.h"

namespace haru::scheduler::dra {
namespace {

Status FieldError(const std::string& path, const std::string& what) {
  return Status::Invalid(path + ": " + what);
}

// Reads an optional string field; wrong types are errors.
Status GetString(const Json& obj, const char* key, const std::string& path, std::string* out,
                 bool required = false) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return FieldError(path + "." + key, "Required value");
    return Status::OK();
  }
  if (!it->is_string()) return FieldError(path + "." + key, "Invalid value: must be a string");
  *out = it->get<std::string>();
  return Status::OK();
}

Status GetOptString(const Json& obj, const char* key, const std::string& path,
                    std::optional<std::string>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::OK();
  if (!it->is_string()) return FieldError(path + "." + key, "Invalid value: must be a string");
  *out = it->get<std::string>();
  return Status::OK();
}

Status GetBool(const Json& obj, const char* key, const std::string& path, bool* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::OK();
  if (!it->is_boolean()) return FieldError(path + "." + key, "Invalid value: must be a boolean");
  *out = it->get<bool>();
  return Status::OK();
}

Status GetInt(const Json& obj, const char* key, const std::string& path, int64_t* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::OK();
  if (!it->is_number_integer()) return FieldError(path + "." + key, "Invalid value: must be an integer");
  *out = it->get<int64_t>();
  return Status::OK();
}

// An array field (absent or null = empty).
StatusOr<const Json*> GetArray(const Json& obj, const char* key, const std::string& path) {
  static const Json kEmpty = Json::array();
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return &kEmpty;
  if (!it->is_array()) return FieldError(path + "." + key, "Invalid value: must be an array");
  return &*it;
}

StatusOr<const Json*> GetObject(const Json& obj, const char* key, const std::string& path) {
  static const Json kEmpty = Json::object();
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return &kEmpty;
  if (!it->is_object()) return FieldError(path + "." + key, "Invalid value: must be an object");
  return &*it;
}

Status GetStringList(const Json& obj, const char* key, const std::string& path,
                     std::vector<std::string>* out) {
  HARU_ASSIGN_OR_RETURN(const Json* arr, GetArray(obj, key, path));
  for (size_t i = 0; i < arr->size(); ++i) {
    if (!(*arr)[i].is_string()) {
      return FieldError(path + "." + key + "[" + std::to_string(i) + "]",
                        "Invalid value: must be a string");
    }
    out->push_back((*arr)[i].get<std::string>());
  }
  return Status::OK();
}

StatusOr<Quantity> ParseQuantityField(const Json& v, const std::string& path) {
  if (v.is_string()) {
    auto q = ParseQuantity(v.get<std::string>());
    if (!q.ok()) return FieldError(path, "Invalid value: " + q.status().message());
    return *q;
  }
  if (v.is_number_integer()) return Quantity::FromInt(v.get<int64_t>());
  return FieldError(path, "Invalid value: must be a quantity");
}

Status RequireObject(const Json& v, const std::string& path) {
  if (!v.is_object()) return FieldError(path, "Invalid value: must be an object");
  return Status::OK();
}

StatusOr<NodeSelectorRequirement> ParseRequirement(const Json& v, const std::string& path) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  NodeSelectorRequirement r;
  HARU_RETURN_IF_ERROR(GetString(v, "key", path, &r.key, true));
  HARU_RETURN_IF_ERROR(GetString(v, "operator", path, &r.op, true));
  HARU_RETURN_IF_ERROR(GetStringList(v, "values", path, &r.values));
  r.raw = v;
  return r;
}

StatusOr<NodeSelector> ParseNodeSelector(const Json& v, const std::string& path) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  NodeSelector s;
  HARU_ASSIGN_OR_RETURN(const Json* terms, GetArray(v, "nodeSelectorTerms", path));
  for (size_t i = 0; i < terms->size(); ++i) {
    std::string tp = path + ".nodeSelectorTerms[" + std::to_string(i) + "]";
    const Json& t = (*terms)[i];
    HARU_RETURN_IF_ERROR(RequireObject(t, tp));
    NodeSelectorTerm term;
    for (const char* key : {"matchExpressions", "matchFields"}) {
      HARU_ASSIGN_OR_RETURN(const Json* reqs, GetArray(t, key, tp));
      for (size_t j = 0; j < reqs->size(); ++j) {
        HARU_ASSIGN_OR_RETURN(auto r, ParseRequirement((*reqs)[j], tp + "." + key + "[" +
                                                                       std::to_string(j) + "]"));
        (key[5] == 'E' ? term.match_expressions : term.match_fields).push_back(std::move(r));
      }
    }
    s.terms.push_back(std::move(term));
  }
  return s;
}

StatusOr<DeviceTaint> ParseTaint(const Json& v, const std::string& path) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  DeviceTaint t;
  HARU_RETURN_IF_ERROR(GetString(v, "key", path, &t.key, true));
  HARU_RETURN_IF_ERROR(GetString(v, "value", path, &t.value));
  HARU_RETURN_IF_ERROR(GetString(v, "effect", path, &t.effect, true));
  t.raw = v;
  return t;
}

StatusOr<DeviceToleration> ParseToleration(const Json& v, const std::string& path) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  DeviceToleration t;
  HARU_RETURN_IF_ERROR(GetString(v, "key", path, &t.key));
  HARU_RETURN_IF_ERROR(GetString(v, "operator", path, &t.op));
  if (t.op.empty()) t.op = "Equal";
  HARU_RETURN_IF_ERROR(GetString(v, "value", path, &t.value));
  HARU_RETURN_IF_ERROR(GetString(v, "effect", path, &t.effect));
  t.raw = v;
  return t;
}

Status ParseCounters(const Json& obj, const std::string& path, std::vector<Counter>* out) {
  HARU_ASSIGN_OR_RETURN(const Json* counters, GetObject(obj, "counters", path));
  for (auto it = counters->begin(); it != counters->end(); ++it) {
    std::string cp = path + ".counters[" + it.key() + "]";
    HARU_RETURN_IF_ERROR(RequireObject(*it, cp));
    auto value = it->find("value");
    if (value == it->end()) return FieldError(cp + ".value", "Required value");
    HARU_ASSIGN_OR_RETURN(Quantity q, ParseQuantityField(*value, cp + ".value"));
    out->push_back({it.key(), q});
  }
  return Status::OK();
}

StatusOr<AttributeValue> ParseAttribute(const Json& v, const std::string& path) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  AttributeValue a;
  int set = 0;
  if (auto it = v.find("int"); it != v.end() && !it->is_null()) {
    if (!it->is_number_integer()) return FieldError(path + ".int", "Invalid value: must be an integer");
    a.kind = AttributeValue::Kind::kInt, a.int_value = it->get<int64_t>(), ++set;
  }
  if (auto it = v.find("bool"); it != v.end() && !it->is_null()) {
    if (!it->is_boolean()) return FieldError(path + ".bool", "Invalid value: must be a boolean");
    a.kind = AttributeValue::Kind::kBool, a.bool_value = it->get<bool>(), ++set;
  }
  if (auto it = v.find("string"); it != v.end() && !it->is_null()) {
    if (!it->is_string()) return FieldError(path + ".string", "Invalid value: must be a string");
    a.kind = AttributeValue::Kind::kString, a.text = it->get<std::string>(), ++set;
  }
  if (auto it = v.find("version"); it != v.end() && !it->is_null()) {
    if (!it->is_string()) return FieldError(path + ".version", "Invalid value: must be a string");
    a.kind = AttributeValue::Kind::kVersion, a.text = it->get<std::string>(), ++set;
  }
  if (set > 1) return FieldError(path, "Invalid value: exactly one value must be specified");
  return a;  // no known value: kUnknown
}

StatusOr<CapacityRequestPolicy> ParsePolicy(const Json& v, const std::string& path) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  CapacityRequestPolicy p;
  if (auto it = v.find("default"); it != v.end() && !it->is_null()) {
    HARU_ASSIGN_OR_RETURN(p.default_value, ParseQuantityField(*it, path + ".default"));
  }
  HARU_ASSIGN_OR_RETURN(const Json* values, GetArray(v, "validValues", path));
  for (size_t i = 0; i < values->size(); ++i) {
    HARU_ASSIGN_OR_RETURN(Quantity q, ParseQuantityField((*values)[i], path + ".validValues[" +
                                                                           std::to_string(i) + "]"));
    p.valid_values.push_back(q);
  }
  if (auto it = v.find("validRange"); it != v.end() && !it->is_null()) {
    std::string rp = path + ".validRange";
    HARU_RETURN_IF_ERROR(RequireObject(*it, rp));
    p.has_range = true;
    if (auto m = it->find("min"); m != it->end() && !m->is_null()) {
      HARU_ASSIGN_OR_RETURN(p.range_min, ParseQuantityField(*m, rp + ".min"));
    }
    if (auto m = it->find("max"); m != it->end() && !m->is_null()) {
      HARU_ASSIGN_OR_RETURN(p.range_max, ParseQuantityField(*m, rp + ".max"));
    }
    if (auto m = it->find("step"); m != it->end() && !m->is_null()) {
      HARU_ASSIGN_OR_RETURN(p.range_step, ParseQuantityField(*m, rp + ".step"));
      if (p.range_step->Sign() <= 0) return FieldError(rp + ".step", "Invalid value: must be positive");
    }
  }
  return p;
}

StatusOr<Device> ParseDevice(const Json& v, const std::string& path) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  Device d;
  HARU_RETURN_IF_ERROR(GetString(v, "name", path, &d.name, true));
  HARU_ASSIGN_OR_RETURN(const Json* attrs, GetObject(v, "attributes", path));
  for (auto it = attrs->begin(); it != attrs->end(); ++it) {
    HARU_ASSIGN_OR_RETURN(AttributeValue a, ParseAttribute(*it, path + ".attributes[" + it.key() + "]"));
    d.attributes.emplace_back(it.key(), std::move(a));
  }
  HARU_ASSIGN_OR_RETURN(const Json* caps, GetObject(v, "capacity", path));
  for (auto it = caps->begin(); it != caps->end(); ++it) {
    std::string cp = path + ".capacity[" + it.key() + "]";
    HARU_RETURN_IF_ERROR(RequireObject(*it, cp));
    DeviceCapacity c;
    c.name = it.key();
    auto value = it->find("value");
    if (value == it->end()) return FieldError(cp + ".value", "Required value");
    HARU_ASSIGN_OR_RETURN(c.value, ParseQuantityField(*value, cp + ".value"));
    if (auto p = it->find("requestPolicy"); p != it->end() && !p->is_null()) {
      HARU_ASSIGN_OR_RETURN(c.policy, ParsePolicy(*p, cp + ".requestPolicy"));
    }
    d.capacity.push_back(std::move(c));
  }
  HARU_ASSIGN_OR_RETURN(const Json* consumes, GetArray(v, "consumesCounters", path));
  for (size_t i = 0; i < consumes->size(); ++i) {
    std::string cp = path + ".consumesCounters[" + std::to_string(i) + "]";
    HARU_RETURN_IF_ERROR(RequireObject((*consumes)[i], cp));
    CounterConsumption c;
    HARU_RETURN_IF_ERROR(GetString((*consumes)[i], "counterSet", cp, &c.counter_set, true));
    HARU_RETURN_IF_ERROR(ParseCounters((*consumes)[i], cp, &c.counters));
    d.consumes_counters.push_back(std::move(c));
  }
  HARU_ASSIGN_OR_RETURN(const Json* taints, GetArray(v, "taints", path));
  for (size_t i = 0; i < taints->size(); ++i) {
    HARU_ASSIGN_OR_RETURN(DeviceTaint t, ParseTaint((*taints)[i], path + ".taints[" + std::to_string(i) + "]"));
    d.taints.push_back(std::move(t));
  }
  HARU_RETURN_IF_ERROR(GetOptString(v, "nodeName", path, &d.node_name));
  if (d.node_name && d.node_name->empty()) d.node_name.reset();
  if (auto it = v.find("nodeSelector"); it != v.end() && !it->is_null()) {
    HARU_ASSIGN_OR_RETURN(d.node_selector, ParseNodeSelector(*it, path + ".nodeSelector"));
    d.node_selector_raw = *it;
  }
  HARU_RETURN_IF_ERROR(GetBool(v, "allNodes", path, &d.all_nodes));
  HARU_RETURN_IF_ERROR(GetBool(v, "bindsToNode", path, &d.binds_to_node));
  HARU_RETURN_IF_ERROR(GetStringList(v, "bindingConditions", path, &d.binding_conditions));
  HARU_RETURN_IF_ERROR(GetStringList(v, "bindingFailureConditions", path, &d.binding_failure_conditions));
  HARU_RETURN_IF_ERROR(GetBool(v, "allowMultipleAllocations", path, &d.allow_multiple_allocations));
  return d;
}

Status ParseSelectors(const Json& obj, const std::string& path, std::vector<DeviceSelector>* out) {
  HARU_ASSIGN_OR_RETURN(const Json* sels, GetArray(obj, "selectors", path));
  for (size_t i = 0; i < sels->size(); ++i) {
    std::string sp = path + ".selectors[" + std::to_string(i) + "]";
    const Json& s = (*sels)[i];
    HARU_RETURN_IF_ERROR(RequireObject(s, sp));
    DeviceSelector sel;
    if (auto it = s.find("cel"); it != s.end() && !it->is_null()) {
      HARU_RETURN_IF_ERROR(RequireObject(*it, sp + ".cel"));
      sel.has_cel = true;
      HARU_RETURN_IF_ERROR(GetString(*it, "expression", sp + ".cel", &sel.expression, true));
    }
    out->push_back(std::move(sel));
  }
  return Status::OK();
}

StatusOr<RequestSpec> ParseRequestSpec(const Json& v, const std::string& path, std::string name) {
  HARU_RETURN_IF_ERROR(RequireObject(v, path));
  RequestSpec r;
  r.name = std::move(name);
  HARU_RETURN_IF_ERROR(GetString(v, "deviceClassName", path, &r.device_class_name));
  HARU_RETURN_IF_ERROR(ParseSelectors(v, path, &r.selectors));
  HARU_RETURN_IF_ERROR(GetString(v, "allocationMode", path, &r.allocation_mode));
  if (r.allocation_mode.empty()) r.allocation_mode = "ExactCount";
  HARU_RETURN_IF_ERROR(GetInt(v, "count", path, &r.count));
  if (auto it = v.find("count"); (it == v.end() || it->is_null()) && r.allocation_mode != "ExactCount") {
    r.count = 0;
  }
  if (auto it = v.find("adminAccess"); it != v.end() && !it->is_null()) {
    bool b = false;
    HARU_RETURN_IF_ERROR(GetBool(v, "adminAccess", path, &b));
    r.admin_access = b;
  }
  HARU_ASSIGN_OR_RETURN(const Json* tols, GetArray(v, "tolerations", path));
  for (size_t i = 0; i < tols->size(); ++i) {
    HARU_ASSIGN_OR_RETURN(DeviceToleration t,
                          ParseToleration((*tols)[i], path + ".tolerations[" + std::to_string(i) + "]"));
    r.tolerations.push_back(std::move(t));
  }
  if (auto it = v.find("capacity"); it != v.end() && !it->is_null()) {
    std::string cp = path + ".capacity";
    HARU_RETURN_IF_ERROR(RequireObject(*it, cp));
    r.has_capacity = true;
    HARU_ASSIGN_OR_RETURN(const Json* reqs, GetObject(*it, "requests", cp));
    for (auto q = reqs->begin(); q != reqs->end(); ++q) {
      HARU_ASSIGN_OR_RETURN(Quantity value, ParseQuantityField(*q, cp + ".requests[" + q.key() + "]"));
      r.capacity_requests.emplace_back(q.key(), value);
    }
  }
  return r;
}

Status ParseMetadata(const Json& object, std::string* name, std::string* ns, std::string* uid) {
  HARU_RETURN_IF_ERROR(RequireObject(object, "<object>"));
  HARU_ASSIGN_OR_RETURN(const Json* meta, GetObject(object, "metadata", ""));
  HARU_RETURN_IF_ERROR(GetString(*meta, "name", "metadata", name));
  if (ns) HARU_RETURN_IF_ERROR(GetString(*meta, "namespace", "metadata", ns));
  if (uid) HARU_RETURN_IF_ERROR(GetString(*meta, "uid", "metadata", uid));
  return Status::OK();
}

}  // namespace

StatusOr<ResourceSlice> ParseResourceSlice(const Json& object) {
  ResourceSlice s;
  HARU_RETURN_IF_ERROR(ParseMetadata(object, &s.name, nullptr, nullptr));
  auto spec_it = object.find("spec");
  if (spec_it == object.end()) return FieldError("spec", "Required value");
  const Json& spec = *spec_it;
  HARU_RETURN_IF_ERROR(RequireObject(spec, "spec"));
  HARU_RETURN_IF_ERROR(GetString(spec, "driver", "spec", &s.driver, true));
  auto pool_it = spec.find("pool");
  if (pool_it == spec.end()) return FieldError("spec.pool", "Required value");
  HARU_RETURN_IF_ERROR(RequireObject(*pool_it, "spec.pool"));
  HARU_RETURN_IF_ERROR(GetString(*pool_it, "name", "spec.pool", &s.pool, true));
  HARU_RETURN_IF_ERROR(GetInt(*pool_it, "generation", "spec.pool", &s.generation));
  HARU_RETURN_IF_ERROR(GetInt(*pool_it, "resourceSliceCount", "spec.pool", &s.resource_slice_count));
  HARU_RETURN_IF_ERROR(GetOptString(spec, "nodeName", "spec", &s.node_name));
  if (s.node_name && s.node_name->empty()) s.node_name.reset();
  if (auto it = spec.find("nodeSelector"); it != spec.end() && !it->is_null()) {
    HARU_ASSIGN_OR_RETURN(s.node_selector, ParseNodeSelector(*it, "spec.nodeSelector"));
    s.node_selector_raw = *it;
  }
  HARU_RETURN_IF_ERROR(GetBool(spec, "allNodes", "spec", &s.all_nodes));
  HARU_RETURN_IF_ERROR(GetBool(spec, "perDeviceNodeSelection", "spec", &s.per_device_node_selection));
  HARU_ASSIGN_OR_RETURN(const Json* devices, GetArray(spec, "devices", "spec"));
  for (size_t i = 0; i < devices->size(); ++i) {
    HARU_ASSIGN_OR_RETURN(Device d, ParseDevice((*devices)[i], "spec.devices[" + std::to_string(i) + "]"));
    s.devices.push_back(std::move(d));
  }
  HARU_ASSIGN_OR_RETURN(const Json* sets, GetArray(spec, "sharedCounters", "spec"));
  for (size_t i = 0; i < sets->size(); ++i) {
    std::string cp = "spec.sharedCounters[" + std::to_string(i) + "]";
    HARU_RETURN_IF_ERROR(RequireObject((*sets)[i], cp));
    CounterSet c;
    HARU_RETURN_IF_ERROR(GetString((*sets)[i], "name", cp, &c.name, true));
    HARU_RETURN_IF_ERROR(ParseCounters((*sets)[i], cp, &c.counters));
    s.shared_counters.push_back(std::move(c));
  }
  return s;
}

StatusOr<DeviceClass> ParseDeviceClass(const Json& object) {
  DeviceClass c;
  HARU_RETURN_IF_ERROR(ParseMetadata(object, &c.name, nullptr, nullptr));
  HARU_ASSIGN_OR_RETURN(const Json* spec, GetObject(object, "spec", ""));
  HARU_RETURN_IF_ERROR(ParseSelectors(*spec, "spec", &c.selectors));
  HARU_ASSIGN_OR_RETURN(const Json* config, GetArray(*spec, "config", "spec"));
  for (size_t i = 0; i < config->size(); ++i) {
    HARU_RETURN_IF_ERROR(RequireObject((*config)[i], "spec.config[" + std::to_string(i) + "]"));
    c.config.push_back((*config)[i]);
  }
  return c;
}

StatusOr<ResourceClaim> ParseResourceClaim(const Json& object) {
  ResourceClaim c;
  HARU_RETURN_IF_ERROR(ParseMetadata(object, &c.name, &c.namespace_name, &c.uid));
  HARU_ASSIGN_OR_RETURN(const Json* spec, GetObject(object, "spec", ""));
  HARU_ASSIGN_OR_RETURN(const Json* devices, GetObject(*spec, "devices", "spec"));
  const std::string dp = "spec.devices";
  HARU_ASSIGN_OR_RETURN(const Json* requests, GetArray(*devices, "requests", dp));
  for (size_t i = 0; i < requests->size(); ++i) {
    std::string rp = dp + ".requests[" + std::to_string(i) + "]";
    const Json& r = (*requests)[i];
    HARU_RETURN_IF_ERROR(RequireObject(r, rp));
    DeviceRequest req;
    HARU_RETURN_IF_ERROR(GetString(r, "name", rp, &req.name, true));
    if (auto it = r.find("exactly"); it != r.end() && !it->is_null()) {
      HARU_ASSIGN_OR_RETURN(req.exactly, ParseRequestSpec(*it, rp + ".exactly", req.name));
    }
    HARU_ASSIGN_OR_RETURN(const Json* subs, GetArray(r, "firstAvailable", rp));
    for (size_t j = 0; j < subs->size(); ++j) {
      std::string sp = rp + ".firstAvailable[" + std::to_string(j) + "]";
      std::string name;
      HARU_RETURN_IF_ERROR(RequireObject((*subs)[j], sp));
      HARU_RETURN_IF_ERROR(GetString((*subs)[j], "name", sp, &name, true));
      HARU_ASSIGN_OR_RETURN(RequestSpec sub, ParseRequestSpec((*subs)[j], sp, name));
      sub.admin_access.reset();  // subrequests have no adminAccess field
      req.first_available.push_back(std::move(sub));
    }
    if (req.exactly && !req.first_available.empty()) {
      return FieldError(rp, "Invalid value: exactly one of `exactly` or `firstAvailable` is required");
    }
    c.requests.push_back(std::move(req));
  }
  HARU_ASSIGN_OR_RETURN(const Json* constraints, GetArray(*devices, "constraints", dp));
  for (size_t i = 0; i < constraints->size(); ++i) {
    std::string cp = dp + ".constraints[" + std::to_string(i) + "]";
    HARU_RETURN_IF_ERROR(RequireObject((*constraints)[i], cp));
    DeviceConstraint dc;
    HARU_RETURN_IF_ERROR(GetStringList((*constraints)[i], "requests", cp, &dc.requests));
    HARU_RETURN_IF_ERROR(GetOptString((*constraints)[i], "matchAttribute", cp, &dc.match_attribute));
    HARU_RETURN_IF_ERROR(GetOptString((*constraints)[i], "distinctAttribute", cp, &dc.distinct_attribute));
    c.constraints.push_back(std::move(dc));
  }
  HARU_ASSIGN_OR_RETURN(const Json* config, GetArray(*devices, "config", dp));
  for (size_t i = 0; i < config->size(); ++i) {
    std::string cp = dp + ".config[" + std::to_string(i) + "]";
    HARU_RETURN_IF_ERROR(RequireObject((*config)[i], cp));
    ClaimConfig cc;
    HARU_RETURN_IF_ERROR(GetStringList((*config)[i], "requests", cp, &cc.requests));
    cc.configuration = (*config)[i];
    cc.configuration.erase("requests");
    c.config.push_back(std::move(cc));
  }
  return c;
}

StatusOr<DeviceTaintRule> ParseDeviceTaintRule(const Json& object) {
  DeviceTaintRule r;
  HARU_RETURN_IF_ERROR(ParseMetadata(object, &r.name, nullptr, nullptr));
  HARU_ASSIGN_OR_RETURN(const Json* spec, GetObject(object, "spec", ""));
  if (auto it = spec->find("deviceSelector"); it != spec->end() && !it->is_null()) {
    HARU_RETURN_IF_ERROR(RequireObject(*it, "spec.deviceSelector"));
    r.has_selector = true;
    HARU_RETURN_IF_ERROR(GetOptString(*it, "driver", "spec.deviceSelector", &r.driver));
    HARU_RETURN_IF_ERROR(GetOptString(*it, "pool", "spec.deviceSelector", &r.pool));
    HARU_RETURN_IF_ERROR(GetOptString(*it, "device", "spec.deviceSelector", &r.device));
  }
  auto taint = spec->find("taint");
  if (taint == spec->end()) return FieldError("spec.taint", "Required value");
  HARU_ASSIGN_OR_RETURN(r.taint, ParseTaint(*taint, "spec.taint"));
  return r;
}

bool ToleratesTaint(const DeviceToleration& toleration, const DeviceTaint& taint) {
  if (!toleration.effect.empty() && toleration.effect != taint.effect) return false;
  if (!toleration.key.empty() && toleration.key != taint.key) return false;
  if (toleration.op == "Exists") return true;
  if (toleration.op == "Equal") return toleration.value == taint.value;
  return false;
}

StatusOr<NodeSelector> ParseCoreNodeSelector(const Json& object, const std::string& path) {
  return ParseNodeSelector(object, path);
}

}  // namespace haru::scheduler::dra
