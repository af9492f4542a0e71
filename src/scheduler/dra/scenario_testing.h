#pragma once
// Test-only builders for allocator scenarios: small functions that write the real v1 JSON
// shapes (ResourceSlice, DeviceClass, ResourceClaim, DeviceTaintRule) so that scenario
// tables read as data. Fixture conventions follow upstream's allocator tests: node-1 with
// labels region=region-1 and planet=earth, class-a selecting driver-a.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/dra/allocator.h"

namespace haru::scheduler::dra::testing {

inline Node Node1() { return Node{"node-1", {{"region", "region-1"}, {"planet", "earth"}}}; }

inline Json Dev(const std::string& name, Json attrs = Json::object(), Json caps = Json::object()) {
  Json d = {{"name", name}};
  if (!attrs.empty()) d["attributes"] = attrs;
  if (!caps.empty()) {
    Json c = Json::object();
    for (auto it = caps.begin(); it != caps.end(); ++it) c[it.key()] = {{"value", *it}};
    d["capacity"] = c;
  }
  return d;
}
inline Json Int(int64_t v) { return {{"int", v}}; }
inline Json Str(const std::string& v) { return {{"string", v}}; }
inline Json Bool(bool v) { return {{"bool", v}}; }
inline Json Ver(const std::string& v) { return {{"version", v}}; }

// Adds a consumesCounters entry {set: {counter: value}}.
inline Json Consumes(Json dev, const std::string& set, Json counters) {
  Json c = Json::object();
  for (auto it = counters.begin(); it != counters.end(); ++it) c[it.key()] = {{"value", *it}};
  dev["consumesCounters"].push_back({{"counterSet", set}, {"counters", c}});
  return dev;
}
inline Json Taint(Json dev, const std::string& key, const std::string& effect, const std::string& value = "") {
  Json t = {{"key", key}, {"effect", effect}};
  if (!value.empty()) t["value"] = value;
  dev["taints"].push_back(t);
  return dev;
}

struct SliceOpts {
  std::string node = "node-1";  // "" = none of nodeName
  std::string pool = "pool-1";
  std::string driver = "driver-a";
  int64_t generation = 1;
  int64_t count = 1;
  Json node_selector;       // set: spec.nodeSelector
  bool all_nodes = false;
  bool per_device = false;
};
inline Json Slice(const std::string& name, Json devices, SliceOpts o = {}) {
  Json spec = {{"driver", o.driver},
               {"pool", {{"name", o.pool}, {"generation", o.generation}, {"resourceSliceCount", o.count}}}};
  if (o.all_nodes) {
    spec["allNodes"] = true;
  } else if (!o.node_selector.is_null()) {
    spec["nodeSelector"] = o.node_selector;
  } else if (o.per_device) {
    spec["perDeviceNodeSelection"] = true;
  } else if (!o.node.empty()) {
    spec["nodeName"] = o.node;
  }
  if (!devices.empty()) spec["devices"] = devices;
  return {{"metadata", {{"name", name}}}, {"spec", spec}};
}
// A slice carrying only counter sets: {set: {counter: value}}.
inline Json CounterSlice(const std::string& name, Json sets, SliceOpts o = {}) {
  Json s = Slice(name, Json::array(), o);
  for (auto it = sets.begin(); it != sets.end(); ++it) {
    Json c = Json::object();
    for (auto ct = it->begin(); ct != it->end(); ++ct) c[ct.key()] = {{"value", *ct}};
    s["spec"]["sharedCounters"].push_back({{"name", it.key()}, {"counters", c}});
  }
  return s;
}
inline Json LabelSelector(const std::string& key, const std::string& value) {
  return {{"nodeSelectorTerms",
           Json::array({{{"matchExpressions", Json::array({{{"key", key}, {"operator", "In"}, {"values", {value}}}})}}})}};
}

inline Json Class(const std::string& name, std::vector<std::string> exprs, Json config = Json::array()) {
  Json sels = Json::array();
  for (auto& e : exprs) sels.push_back({{"cel", {{"expression", e}}}});
  Json spec = {{"selectors", sels}};
  if (!config.empty()) spec["config"] = config;
  return {{"metadata", {{"name", name}}}, {"spec", spec}};
}
inline Json ClassA() { return Class("class-a", {"device.driver == \"driver-a\""}); }
inline Json ClassB() { return Class("class-b", {"device.driver == \"driver-b\""}); }

// An `exactly` request body.
inline Json Exact(const std::string& cls = "class-a", int64_t count = 1, std::vector<std::string> exprs = {}) {
  Json e = {{"deviceClassName", cls}, {"count", count}};
  for (auto& x : exprs) e["selectors"].push_back({{"cel", {{"expression", x}}}});
  return e;
}
inline Json AllOf(const std::string& cls = "class-a", std::vector<std::string> exprs = {}) {
  Json e = {{"deviceClassName", cls}, {"allocationMode", "All"}};
  for (auto& x : exprs) e["selectors"].push_back({{"cel", {{"expression", x}}}});
  return e;
}
inline Json Req(const std::string& name, Json exactly) { return {{"name", name}, {"exactly", exactly}}; }
// A firstAvailable request; each sub is {name, ...exact body}.
inline Json FirstOf(const std::string& name, std::vector<std::pair<std::string, Json>> subs) {
  Json r = {{"name", name}, {"firstAvailable", Json::array()}};
  for (auto& [n, body] : subs) {
    Json s = body;
    s["name"] = n;
    r["firstAvailable"].push_back(s);
  }
  return r;
}
inline Json Claim(const std::string& name, Json requests, Json constraints = Json::array(), Json config = Json::array()) {
  Json devices = {{"requests", requests}};
  if (!constraints.empty()) devices["constraints"] = constraints;
  if (!config.empty()) devices["config"] = config;
  return {{"metadata", {{"name", name}, {"namespace", "default"}}}, {"spec", {{"devices", devices}}}};
}
inline Json Match(const std::string& attr, std::vector<std::string> requests = {}) {
  Json c = {{"matchAttribute", attr}};
  if (!requests.empty()) c["requests"] = requests;
  return c;
}
inline Json Distinct(const std::string& attr, std::vector<std::string> requests = {}) {
  Json c = {{"distinctAttribute", attr}};
  if (!requests.empty()) c["requests"] = requests;
  return c;
}
inline Json Opaque(const std::string& driver, Json params) {
  return {{"opaque", {{"driver", driver}, {"parameters", params}}}};
}

// Runs parsed inputs through a fresh allocator.
struct Inputs {
  std::vector<Json> slices;
  std::vector<Json> classes = {ClassA()};
  std::vector<Json> claims;
  std::vector<Json> rules;
  std::vector<DeviceId> allocated;
  std::vector<std::pair<DeviceId, std::vector<std::pair<std::string, std::string>>>> consumed;
  Node node = Node1();
  AllocatorOptions options;
};

inline StatusOr<AllocateResult> RunInputs(const Inputs& in) {
  std::vector<ResourceSlice> slices;
  std::vector<DeviceClass> classes;
  std::vector<DeviceTaintRule> rules;
  std::vector<ResourceClaim> claims;
  for (const Json& j : in.slices) {
    HARU_ASSIGN_OR_RETURN(auto s, ParseResourceSlice(j));
    slices.push_back(std::move(s));
  }
  for (const Json& j : in.classes) {
    HARU_ASSIGN_OR_RETURN(auto c, ParseDeviceClass(j));
    classes.push_back(std::move(c));
  }
  for (const Json& j : in.rules) {
    HARU_ASSIGN_OR_RETURN(auto r, ParseDeviceTaintRule(j));
    rules.push_back(std::move(r));
  }
  for (const Json& j : in.claims) {
    HARU_ASSIGN_OR_RETURN(auto c, ParseResourceClaim(j));
    claims.push_back(std::move(c));
  }
  AllocatedState state;
  for (const auto& id : in.allocated) state.allocated_devices.insert(id);
  for (const auto& [id, list] : in.consumed) {
    for (const auto& [name, q] : list) state.consumed_capacity[id].emplace_back(name, *ParseQuantity(q));
  }
  AllocatorOptions options = in.options;
  int n = 0;
  if (!options.share_id_generator) options.share_id_generator = [n]() mutable { return "share-" + std::to_string(++n); };
  auto a = Allocator::Create(options, std::move(slices), std::move(classes), std::move(rules));
  std::vector<const ResourceClaim*> ptrs;
  for (const auto& c : claims) ptrs.push_back(&c);
  return a->Allocate(in.node, ptrs, state);
}

// "request=driver/pool/device" for each result of each claim, sorted per claim.
inline std::vector<std::vector<std::string>> Picks(const AllocateResult& r) {
  std::vector<std::vector<std::string>> out;
  for (const Json& a : r.allocations) {
    std::vector<std::string> claim;
    if (a["devices"].contains("results")) {
      for (const Json& x : a["devices"]["results"]) {
        claim.push_back(x["request"].get<std::string>() + "=" + x["driver"].get<std::string>() + "/" +
                        x["pool"].get<std::string>() + "/" + x["device"].get<std::string>());
      }
    }
    std::sort(claim.begin(), claim.end());
    out.push_back(claim);
  }
  return out;
}

inline Json LocalSelector(const std::string& node = "node-1") {
  return {{"nodeSelectorTerms",
           Json::array({{{"matchFields", Json::array({{{"key", "metadata.name"}, {"operator", "In"}, {"values", {node}}}})}}})}};
}

}  // namespace haru::scheduler::dra::testing
