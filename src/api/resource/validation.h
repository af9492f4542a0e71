#pragma once
// Validation shared by the resource.k8s.io kinds, with upstream's field paths, limits and
// messages (pkg/apis/resource/validation). Each function appends nothing for valid input
// and reads only the JSON it is given. Stateless; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "api/meta/field_errors.h"
#include "common/json.h"

namespace haru::api::resource {

// Limits of resource.k8s.io/v1 (k8s.io/api resource/v1 constants).
inline constexpr int kDriverNameMaxLength = 63;
inline constexpr int kPoolNameMaxLength = 253;
inline constexpr int kDeviceMaxDomainLength = 63;
inline constexpr int kDeviceMaxIdLength = 32;
inline constexpr int kDeviceAttributeMaxValueLength = 64;
inline constexpr int kResourceSliceMaxDevices = 128;
inline constexpr int kResourceSliceMaxDevicesWithAdvancedFeatures = 64;
inline constexpr int kResourceSliceMaxAttributesAndCapacitiesPerDevice = 32;
inline constexpr int kResourceSliceMaxCounterSets = 8;
inline constexpr int kResourceSliceMaxCountersPerCounterSet = 32;
inline constexpr int kResourceSliceMaxDeviceCounterConsumptionsPerDevice = 2;
inline constexpr int kResourceSliceMaxCountersPerDeviceCounterConsumption = 32;
inline constexpr int kDeviceTaintsMaxLength = 16;
inline constexpr int kBindingConditionsMaxSize = 4;
inline constexpr int kDeviceRequestsMaxSize = 32;
inline constexpr int kDeviceConstraintsMaxSize = 32;
inline constexpr int kDeviceConfigMaxSize = 32;
inline constexpr int kDeviceSelectorsMaxSize = 32;
inline constexpr int kFirstAvailableDeviceRequestMaxSize = 8;
inline constexpr int kDeviceTolerationsMaxLength = 16;
inline constexpr int kCelSelectorExpressionMaxLength = 10 * 1024;
inline constexpr int kOpaqueParametersMaxLength = 10 * 1024;
inline constexpr int kResourceClaimReservedForMaxSize = 256;
inline constexpr int kAllocationResultsMaxSize = 32;
inline constexpr int kAllocatedDeviceStatusMaxConditions = 8;
inline constexpr int kDeviceTaintRuleStatusMaxConditions = 8;

// The JSON array at `v`, or an empty array when `v` is null or not an array.
const Json& ArrayOrEmpty(const Json* v);

// A driver name: required, at most 63 characters, a DNS subdomain (upstream checks it
// lower-cased, so upper case passes validation and earns a warning elsewhere).
FieldErrors ValidateDriverName(std::string_view name, const std::string& path);
// A pool name: required, at most 253 characters, DNS subdomains separated by '/'.
FieldErrors ValidatePoolName(std::string_view name, const std::string& path);
// A device, request, counter or counter-set name: required, a DNS label.
FieldErrors ValidateDnsLabelName(std::string_view name, const std::string& path);
// An attribute or capacity name: a C identifier of at most 32 characters, optionally
// prefixed with "<driver-like domain>/".
FieldErrors ValidateQualifiedName(std::string_view name, const std::string& path);
// Like ValidateQualifiedName, and the domain is required.
FieldErrors ValidateFullyQualifiedName(std::string_view name, const std::string& path);
// A label value (taint and toleration values).
FieldErrors ValidateLabelValueAt(std::string_view value, const std::string& path);
// A label name (taint keys, binding conditions).
FieldErrors ValidateLabelNameAt(std::string_view value, const std::string& path);
// A node selector as ValidateNodeSelector: at least one term, operators known.
FieldErrors ValidateNodeSelector(const Json& selector, const std::string& path);

// A list of DeviceSelectors (at most 32); each needs `cel`, whose expression must be at
// most 10240 characters and compile in the DRA CEL environment. A compile error is
// Invalid on "<path>[i].cel.expression" with "compilation failed: <line:column report>".
// `stored` skips compiling (the expressions were accepted before).
FieldErrors ValidateSelectors(const Json* selectors, const std::string& path, bool stored);
// One CEL device-selector expression.
FieldErrors ValidateCelExpression(const std::string& expression, const std::string& path);

// A DeviceConfiguration: `opaque` required, with a driver and a JSON-object `parameters`
// of at most 10 KiB.
FieldErrors ValidateDeviceConfiguration(const Json& config, const std::string& path);
// A DeviceToleration (key, operator Exists|Equal, value, effect).
FieldErrors ValidateDeviceToleration(const Json& toleration, const std::string& path);
// A DeviceTaint (key, value, effect None|NoSchedule|NoExecute). With `old`, the effect is
// only checked when it changed.
FieldErrors ValidateDeviceTaint(const Json& taint, const Json* old, const std::string& path);
// A ResourceClaimSpec at `path` ("spec" or "spec.spec"): requests, constraints, config.
// `stored` skips compiling CEL selectors.
FieldErrors ValidateClaimSpec(const Json& spec, const std::string& path, bool stored);
// The names a claim's requests can be referred to by: "req" and "req/sub".
std::vector<std::string> RequestNames(const Json& spec);
// A reference to a request ("req" or "req/sub") that must be one of `names`.
FieldErrors ValidateRequestNameRef(std::string_view ref, const std::vector<std::string>& names,
                                   const std::string& path);
// Sets timeAdded to now on a taint that has none (upstream's SetDefaults_DeviceTaint).
void DefaultDeviceTaint(Json& taint);
// Now, as RFC 3339 seconds in UTC ("2026-01-02T03:04:05Z"), from api/meta/columns.h's clock.
std::string NowRfc3339Seconds();

}  // namespace haru::api::resource
