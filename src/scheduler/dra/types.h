#pragma once
// The DRA allocator's input model: compact C++ structs parsed once from the real
// resource.k8s.io/v1 JSON objects (ResourceSlice, DeviceClass, ResourceClaim) and from
// resource.k8s.io/v1beta2 DeviceTaintRule. Parsing errors are Status values whose message
// names the field path ("spec.devices[3].consumesCounters[0].counterSet: Required value").
// Plain values; thread-compatible. Quantities are kept as haru::Quantity; counters are
// additionally reduced to milli units (int64) where the allocator needs speed.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/quantity/quantity.h"
#include "common/status.h"

namespace haru::scheduler::dra {

// The result-size limit of the v1 API (AllocationResultsMaxSize = DeviceRequestsMaxSize).
inline constexpr int kAllocationResultsMaxSize = 32;

// A device attribute value: exactly one of int, bool, string, version. kUnknown is a value
// of a type this model does not know (for example list attributes): it never satisfies a
// constraint and is invisible to CEL.
struct AttributeValue {
  enum class Kind { kInt, kBool, kString, kVersion, kUnknown };
  Kind kind = Kind::kUnknown;
  int64_t int_value = 0;
  bool bool_value = false;
  std::string text;  // string or version

  bool operator==(const AttributeValue& o) const {
    return kind == o.kind && int_value == o.int_value && bool_value == o.bool_value && text == o.text;
  }
};

// core/v1 NodeSelector, reduced to what DRA uses. `raw` is the original JSON, copied to
// allocation results.
struct NodeSelectorRequirement {
  std::string key;
  std::string op;  // In, NotIn, Exists, DoesNotExist, Gt, Lt
  std::vector<std::string> values;
  Json raw;
};
struct NodeSelectorTerm {
  std::vector<NodeSelectorRequirement> match_expressions;
  std::vector<NodeSelectorRequirement> match_fields;
};
struct NodeSelector {
  std::vector<NodeSelectorTerm> terms;
};

// The node the allocator places a pod on: its name and labels.
struct Node {
  std::string name;
  std::map<std::string, std::string> labels;
};

// Whether `node` satisfies `selector` (terms are ORed, requirements in a term ANDed; the
// only field is metadata.name). An unknown operator or a bad Gt/Lt value never matches.
bool NodeSelectorMatches(const NodeSelector& selector, const Node& node);

struct DeviceTaint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule, NoExecute, None, or anything a newer API adds
  Json raw;
};

struct DeviceToleration {
  std::string key;
  std::string op = "Equal";  // Exists | Equal
  std::string value;
  std::string effect;  // "" tolerates every effect
  Json raw;            // copied into results[].tolerations
};

// resourceclaim.ToleratesTaint: the toleration matches the taint.
bool ToleratesTaint(const DeviceToleration& toleration, const DeviceTaint& taint);

struct Counter {
  std::string name;
  Quantity value;
};

struct CounterSet {
  std::string name;
  std::vector<Counter> counters;
};

struct CounterConsumption {
  std::string counter_set;
  std::vector<Counter> counters;
};

struct CapacityRequestPolicy {
  std::optional<Quantity> default_value;
  std::vector<Quantity> valid_values;
  std::optional<Quantity> range_min, range_max, range_step;
  bool has_range = false;
};

struct DeviceCapacity {
  std::string name;  // qualified name as published
  Quantity value;
  std::optional<CapacityRequestPolicy> policy;
};

struct Device {
  std::string name;
  std::vector<std::pair<std::string, AttributeValue>> attributes;  // qualified name as published
  std::vector<DeviceCapacity> capacity;
  std::vector<CounterConsumption> consumes_counters;
  std::vector<DeviceTaint> taints;
  // Per-device node selection (only with spec.perDeviceNodeSelection).
  std::optional<std::string> node_name;
  std::optional<NodeSelector> node_selector;
  Json node_selector_raw;
  bool all_nodes = false;
  bool binds_to_node = false;
  std::vector<std::string> binding_conditions;
  std::vector<std::string> binding_failure_conditions;
  bool allow_multiple_allocations = false;
};

struct ResourceSlice {
  std::string name;
  std::string driver;
  std::string pool;
  int64_t generation = 0;
  int64_t resource_slice_count = 0;
  std::optional<std::string> node_name;
  std::optional<NodeSelector> node_selector;
  Json node_selector_raw;
  bool all_nodes = false;
  bool per_device_node_selection = false;
  std::vector<Device> devices;
  std::vector<CounterSet> shared_counters;
};

// A selector of a class or a request. `has_cel` false means a selector of a type this
// model does not know (upstream: "CEL expression empty (unsupported selector type?)").
struct DeviceSelector {
  bool has_cel = false;
  std::string expression;
};

struct DeviceClass {
  std::string name;
  std::vector<DeviceSelector> selectors;
  std::vector<Json> config;  // each a DeviceConfiguration ({opaque: ...})
};

// One ExactDeviceRequest or one DeviceSubRequest.
struct RequestSpec {
  std::string name;
  std::string device_class_name;
  std::vector<DeviceSelector> selectors;
  std::string allocation_mode = "ExactCount";
  int64_t count = 1;
  std::optional<bool> admin_access;
  std::vector<DeviceToleration> tolerations;
  // exactly.capacity.requests; absent when has_capacity is false.
  bool has_capacity = false;
  std::vector<std::pair<std::string, Quantity>> capacity_requests;
};

struct DeviceRequest {
  std::string name;
  std::optional<RequestSpec> exactly;
  std::vector<RequestSpec> first_available;
};

struct DeviceConstraint {
  std::vector<std::string> requests;
  std::optional<std::string> match_attribute;
  std::optional<std::string> distinct_attribute;
};

struct ClaimConfig {
  std::vector<std::string> requests;
  Json configuration;  // the DeviceConfiguration part ({opaque: ...})
};

struct ResourceClaim {
  std::string namespace_name;
  std::string name;
  std::string uid;
  std::vector<DeviceRequest> requests;
  std::vector<DeviceConstraint> constraints;
  std::vector<ClaimConfig> config;
};

// resource.k8s.io/v1beta2 DeviceTaintRule: a taint added to every device the selector
// names. A missing selector selects nothing; an empty one selects every device.
struct DeviceTaintRule {
  std::string name;
  bool has_selector = false;
  std::optional<std::string> driver, pool, device;
  DeviceTaint taint;
};

StatusOr<ResourceSlice> ParseResourceSlice(const Json& object);
StatusOr<DeviceClass> ParseDeviceClass(const Json& object);
StatusOr<ResourceClaim> ParseResourceClaim(const Json& object);
StatusOr<DeviceTaintRule> ParseDeviceTaintRule(const Json& object);
// A core/v1 NodeSelector object ({nodeSelectorTerms: [...]}); errors name `path`. Also used
// by the scheduler for a pod's required node affinity.
StatusOr<NodeSelector> ParseCoreNodeSelector(const Json& object, const std::string& path);

}  // namespace haru::scheduler::dra
