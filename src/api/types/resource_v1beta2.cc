// resource.k8s.io/v1beta2 DeviceTaintRule. Upstream serves this beta API only when enabled
// with --runtime-config; haru serves it by default.
// Format: see api/schema/declarations.h. Facts (names, types, proto numbers, list types,
// enums) follow k8s.io/api v0.36.0 resource/v1beta2; descriptions are haru's own.

#include "api/types/builtin_types.h"

namespace haru::api::types {

std::string_view ResourceV1beta2Declarations() {
  return R"decl(
package io.k8s.api.resource.v1beta2
use meta io.k8s.apimachinery.pkg.apis.meta.v1

type DeviceTaintRule gvk=resource.k8s.io/v1beta2/DeviceTaintRule
    "A DeviceTaintRule adds one taint to every device its selector matches, without changing the ResourceSlices."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       DeviceTaintRuleSpec proto=2 required "Which devices are tainted, and with what."
  status     DeviceTaintRuleStatus proto=3 "What the eviction controller reports."

type DeviceTaintRuleList gvk=resource.k8s.io/v1beta2/DeviceTaintRuleList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []DeviceTaintRule proto=2 required

type DeviceTaintRuleSpec
  deviceSelector DeviceTaintSelector proto=1
      "The devices to taint; all given fields must match. Empty selects every device; unset selects none."
  taint          DeviceTaint proto=2 required "The taint to add."

type DeviceTaintSelector
  driver string proto=2 "Only devices of this driver."
  pool   string proto=3 "Only devices of this pool."
  device string proto=4 "Only the device with this name."

type DeviceTaint "A taint keeps devices away from claims that do not tolerate it."
  key       string proto=1 required "The taint key, a label name."
  value     string proto=2 "The taint value, a label value."
  effect    string proto=3 required enum=None|NoSchedule|NoExecute
      "What the taint does: None (only reports), NoSchedule (no new allocations) or NoExecute (also evicts)."
  timeAdded time proto=4
      "When the taint was added; set by the server when left empty and when the effect changes."

type DeviceTaintRuleStatus
  conditions []meta.Condition proto=1 listType=map keys=type merge=type strategy=merge
      "Conditions of the rule, at most 8 (type EvictionInProgress)."
)decl";
}

}  // namespace haru::api::types
