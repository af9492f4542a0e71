// resource.k8s.io/v1: DeviceClass, ResourceClaim, ResourceClaimTemplate, ResourceSlice
// (Dynamic Resource Allocation).
// Format: see api/schema/declarations.h. Facts (names, types, proto numbers, list types,
// enums) follow k8s.io/api v0.36.0 resource/v1; descriptions are haru's own.

#include "api/types/builtin_types.h"

namespace haru::api::types {

std::string_view ResourceV1Declarations() {
  return R"decl(
package io.k8s.api.resource.v1
use meta io.k8s.apimachinery.pkg.apis.meta.v1
use core io.k8s.api.core.v1

type ResourceSlice gvk=resource.k8s.io/v1/ResourceSlice
    "A ResourceSlice publishes devices of one driver, or the shared counters they draw on, for one pool. Drivers write slices; the scheduler reads them to allocate claims."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       ResourceSliceSpec proto=2 required "What the slice offers and where."

type ResourceSliceList gvk=resource.k8s.io/v1/ResourceSliceList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []ResourceSlice proto=2 required

type ResourceSliceSpec
  driver   string proto=1 required
      "The driver that publishes the devices (a DNS subdomain, at most 63 characters). Immutable."
  pool     ResourcePool proto=2 required "The pool this slice belongs to."
  nodeName string proto=3
      "The node whose devices these are. Exactly one of nodeName, nodeSelector, allNodes and perDeviceNodeSelection is set. Immutable."
  nodeSelector core.NodeSelector proto=4
      "The nodes that can reach these devices; exactly one term."
  allNodes bool proto=5 "When true, every node can reach these devices."
  devices  []Device proto=6 listType=atomic
      "The devices of the slice: at most 128, or 64 when a device uses taints or consumes counters. Not together with sharedCounters."
  perDeviceNodeSelection bool proto=7
      "When true, each device says itself which nodes reach it."
  sharedCounters []CounterSet proto=8 listType=atomic
      "Counter sets that devices of the pool consume from (partitionable devices); at most 8. Not together with devices."

type ResourcePool
  name               string proto=1 required
      "The pool's name, unique per driver: one or more DNS subdomains separated by slashes, at most 253 characters."
  generation         int64 proto=2 required
      "Bumped by the driver whenever the pool changes; slices with an older generation are ignored."
  resourceSliceCount int64 proto=3 required "How many slices make up the pool."

type CounterSet
  name     string proto=1 required "The set's name, a DNS label unique in the pool."
  counters map[string]Counter proto=2 required "The counters of the set, at most 32, keyed by DNS labels."

type Counter
  value quantity proto=1 required "How much of the counter exists (or is consumed)."

type Device
  name       string proto=1 required "The device's name, a DNS label unique in the pool."
  attributes map[string]DeviceAttribute proto=2
      "Facts about the device that selectors can test, keyed by (optionally domain-qualified) names."
  capacity   map[string]DeviceCapacity proto=3 "Amounts the device has, keyed like attributes."
  consumesCounters []DeviceCounterConsumption proto=4 listType=atomic
      "Counters that allocating this device takes from the pool's counter sets; at most 2 entries."
  nodeName     string proto=5 "With perDeviceNodeSelection: the node that reaches this device."
  nodeSelector core.NodeSelector proto=6 "With perDeviceNodeSelection: the nodes that reach this device."
  allNodes     bool proto=7 "With perDeviceNodeSelection: every node reaches this device."
  taints       []DeviceTaint proto=8 listType=atomic "Taints on the device, at most 16."
  bindsToNode  bool proto=9 "When true, the allocation is limited to the node the pod is scheduled on."
  bindingConditions        []string proto=10 listType=atomic
      "Conditions that must become true on the claim before the pod binds; at most 4."
  bindingFailureConditions []string proto=11 listType=atomic
      "Conditions that mark binding as failed; at most 4."
  allowMultipleAllocations bool proto=12
      "When true, several claims may share the device, each consuming part of its capacity."

type DeviceCounterConsumption
  counterSet string proto=1 required "The counter set the counters come from."
  counters   map[string]Counter proto=2 required "How much of each counter the device takes; at most 32."

type DeviceAttribute
  int     int64 proto=2 "An integer value."
  bool    bool proto=3 "A boolean value."
  string  string proto=4 "A string value, at most 64 bytes."
  version string proto=5 "A semantic version (semver.org 2.0.0), at most 64 bytes."

type DeviceCapacity
  value         quantity proto=1 required "The amount."
  requestPolicy CapacityRequestPolicy proto=2
      "How much one allocation consumes when the device is shared."

type CapacityRequestPolicy
  default     quantity proto=1
  validValues []quantity proto=3 listType=atomic
  validRange  CapacityRequestPolicyRange proto=4

type CapacityRequestPolicyRange
  min  quantity proto=1 required
  max  quantity proto=2
  step quantity proto=3

type DeviceTaint "A taint keeps devices away from claims that do not tolerate it."
  key       string proto=1 required "The taint key, a label name."
  value     string proto=2 "The taint value, a label value."
  effect    string proto=3 required enum=None|NoSchedule|NoExecute
      "What the taint does: None (only reports), NoSchedule (no new allocations) or NoExecute (also evicts)."
  timeAdded time proto=4 "When the taint was added; set by the server when left empty."

type ResourceClaim gvk=resource.k8s.io/v1/ResourceClaim
    "A ResourceClaim asks for devices. The scheduler allocates them and records the result in status."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       ResourceClaimSpec proto=2 required "What is requested. Immutable."
  status     ResourceClaimStatus proto=3 "What was allocated and who uses it. Written by the system."

type ResourceClaimList gvk=resource.k8s.io/v1/ResourceClaimList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []ResourceClaim proto=2 required

type ResourceClaimSpec
  devices DeviceClaim proto=1 "The devices requested."

type DeviceClaim
  requests    []DeviceRequest proto=1 listType=atomic
      "The requests; each must be satisfied. At most 32, names unique."
  constraints []DeviceConstraint proto=2 listType=atomic
      "Constraints across the devices of several requests; at most 32."
  config      []DeviceClaimConfiguration proto=3 listType=atomic
      "Driver configuration for the requested devices; at most 32."

type DeviceRequest
  name    string proto=1 required
      "The request's name, a DNS label, referenced by constraints, config and containers."
  exactly ExactDeviceRequest proto=2
      "One exact request. Exactly one of exactly and firstAvailable is set."
  firstAvailable []DeviceSubRequest proto=3 listType=atomic
      "Alternatives in order of preference; the first one that can be allocated wins. At most 8."

type ExactDeviceRequest
  deviceClassName string proto=1 required
      "The DeviceClass whose selectors and configuration apply."
  selectors []DeviceSelector proto=2 listType=atomic
      "CEL selectors a device must all match, in addition to the class's; at most 32."
  allocationMode string proto=3 enum=ExactCount|All
      "ExactCount (the default) allocates count devices; All allocates every matching device."
  count int64 proto=4 "How many devices with ExactCount; default 1."
  adminAccess bool proto=5
      "Requests privileged access to devices that may be in use (namespaces labelled for admin access only)."
  tolerations []DeviceToleration proto=6 listType=atomic "Device taints this request tolerates; at most 16."
  capacity CapacityRequirements proto=7 "Capacity to consume from shared devices."

type DeviceSubRequest
  name            string proto=1 required "The subrequest's name, a DNS label."
  deviceClassName string proto=2 required "The DeviceClass whose selectors and configuration apply."
  selectors       []DeviceSelector proto=3 listType=atomic "CEL selectors a device must all match."
  allocationMode  string proto=4 enum=ExactCount|All "ExactCount (the default) or All."
  count           int64 proto=5 "How many devices with ExactCount; default 1."
  tolerations     []DeviceToleration proto=6 listType=atomic "Device taints this subrequest tolerates."
  capacity        CapacityRequirements proto=7 "Capacity to consume from shared devices."

type CapacityRequirements
  requests map[string]quantity proto=1 "Minimum amounts per capacity name."

type DeviceSelector
  cel CELDeviceSelector proto=1 "A CEL expression over the variable `device`."

type CELDeviceSelector
  expression string proto=1 required
      "A CEL expression that must evaluate to true for a device to match, e.g. device.driver == 'gpu.example.com'. At most 10240 characters."

type DeviceConstraint
  requests          []string proto=1 listType=atomic
      "The requests (or request/subrequest) the constraint covers; empty means all."
  matchAttribute    string proto=2
      "A fully qualified attribute all devices must share the same value of."
  distinctAttribute string proto=3
      "A fully qualified attribute whose value must differ between all devices."

type DeviceClaimConfiguration
  requests []string proto=1 listType=atomic "The requests the configuration applies to; empty means all."
  opaque   OpaqueDeviceConfiguration proto=2.1 "Driver-specific parameters."

type OpaqueDeviceConfiguration
  driver     string proto=1 required "The driver the parameters are for."
  parameters any proto=2 required "The parameters, a JSON object of at most 10 KiB."

type DeviceToleration
  key      string proto=1 "The taint key tolerated; empty with Exists tolerates every taint."
  operator string proto=2 enum=Exists|Equal "Equal (the default) compares values; Exists ignores them."
  value    string proto=3 "The taint value to match with Equal."
  effect   string proto=4 enum=None|NoSchedule|NoExecute "The taint effect tolerated; empty means all."
  tolerationSeconds int64 proto=5 "How long a NoExecute taint is tolerated."

type ResourceClaimStatus
  allocation  AllocationResult proto=1 "The allocation, once made. It is not modified afterwards."
  reservedFor []ResourceClaimConsumerReference proto=2 listType=map keys=uid merge=uid strategy=merge
      "The pods (or other consumers) currently using the claim; at most 256."
  devices []AllocatedDeviceStatus proto=4 listType=map keys=driver,device,pool,shareID
      "Status the drivers report per allocated device."

type ResourceClaimConsumerReference
  apiGroup string proto=1
  resource string proto=3 required
  name     string proto=4 required
  uid      string proto=5 required

type AllocationResult
  devices      DeviceAllocationResult proto=1 "The allocated devices."
  nodeSelector core.NodeSelector proto=3 "The nodes where the allocated devices can be used."
  allocationTimestamp time proto=5 "When the allocation was made."

type DeviceAllocationResult
  results []DeviceRequestAllocationResult proto=1 listType=atomic "One entry per allocated device."
  config  []DeviceAllocationConfiguration proto=2 listType=atomic "Configuration from the class and the claim."

type DeviceRequestAllocationResult
  request string proto=1 required "The request (or request/subrequest) this device satisfies."
  driver  string proto=2 required
  pool    string proto=3 required
  device  string proto=4 required
  adminAccess bool proto=5
  tolerations []DeviceToleration proto=6 listType=atomic
  bindingConditions        []string proto=7 listType=atomic
  bindingFailureConditions []string proto=8 listType=atomic
  shareID string proto=9
  consumedCapacity map[string]quantity proto=10

type DeviceAllocationConfiguration
  source   string proto=1 required enum=FromClass|FromClaim
  requests []string proto=2 listType=atomic
  opaque   OpaqueDeviceConfiguration proto=3.1

type AllocatedDeviceStatus
  driver  string proto=1 required
  pool    string proto=2 required
  device  string proto=3 required
  shareID string proto=7
  conditions []meta.Condition proto=4 listType=map keys=type
  data    any proto=5
  networkData NetworkDeviceData proto=6

type NetworkDeviceData
  interfaceName   string proto=1
  ips             []string proto=2 listType=atomic
  hardwareAddress string proto=3

type DeviceClass gvk=resource.k8s.io/v1/DeviceClass
    "A DeviceClass names a kind of device (selectors and configuration) that claims refer to."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       DeviceClassSpec proto=2 required "The class's selectors and configuration."

type DeviceClassList gvk=resource.k8s.io/v1/DeviceClassList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []DeviceClass proto=2 required

type DeviceClassSpec
  selectors []DeviceSelector proto=1 listType=atomic
      "CEL selectors every device of the class must match; at most 32."
  config    []DeviceClassConfiguration proto=2 listType=atomic
      "Driver configuration added to every claim that uses the class; at most 32."
  extendedResourceName string proto=4
      "An extended resource name that pods may request instead of writing a claim."

type DeviceClassConfiguration
  opaque OpaqueDeviceConfiguration proto=1.1 "Driver-specific parameters."

type ResourceClaimTemplate gvk=resource.k8s.io/v1/ResourceClaimTemplate
    "A ResourceClaimTemplate is the blueprint from which a ResourceClaim is made for each pod that names it."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       ResourceClaimTemplateSpec proto=2 required "The claim to create."

type ResourceClaimTemplateList gvk=resource.k8s.io/v1/ResourceClaimTemplateList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []ResourceClaimTemplate proto=2 required

type ResourceClaimTemplateSpec
  metadata meta.ObjectMeta proto=1 "Labels and annotations copied into each generated claim."
  spec     ResourceClaimSpec proto=2 required "The spec of each generated claim."
)decl";
}

}  // namespace haru::api::types
