#pragma once
// resource.k8s.io kinds (Dynamic Resource Allocation): v1 DeviceClass, ResourceClaim,
// ResourceClaimTemplate, ResourceSlice, and v1beta2 DeviceTaintRule (served by default in
// haru; upstream needs --runtime-config for it). Each function returns the kind's
// immutable, process-wide spec. Hooks are exposed for tests.

#include <string>
#include <string_view>
#include <vector>

#include "api/kind_spec.h"

namespace haru::api::resource {

const KindSpec& DeviceClassKind();
const KindSpec& ResourceClaimKind();
const KindSpec& ResourceClaimTemplateKind();
const KindSpec& ResourceSliceKind();
const KindSpec& DeviceTaintRuleKind();

// Appends the resource.k8s.io kinds in registration order (v1, then v1beta2).
void RegisterResourceKinds(std::vector<const KindSpec*>& out);

// Defaults of a ResourceClaimSpec at `spec` (allocationMode ExactCount, count 1).
void DefaultClaimSpec(Json& spec);
FieldErrors ValidateDeviceClass(const Json& cls);
FieldErrors ValidateResourceClaim(const Json& claim);
FieldErrors ValidateResourceClaimUpdate(const Json& claim, const Json& old);
FieldErrors ValidateResourceClaimStatusUpdate(const Json& claim, const Json& old);
FieldErrors ValidateResourceClaimTemplate(const Json& tmpl);
FieldErrors ValidateResourceSlice(const Json& slice);
FieldErrors ValidateResourceSliceUpdate(const Json& slice, const Json& old);
FieldErrors ValidateDeviceTaintRule(const Json& rule);
// "pending", "allocated,reserved", "deleted,allocated", ... (upstream's printer).
std::string ResourceClaimState(const Json& claim);
// semver.org 2.0.0 without a leading "v".
bool IsSemver(std::string_view version);

}  // namespace haru::api::resource
