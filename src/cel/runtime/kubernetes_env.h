#pragma once
// The checked environments Kubernetes compiles CEL expressions in, ready for Compile:
// declarations from cel/checker/environments.h plus the limits upstream applies.

#include <string_view>

#include "cel/checker/types.h"
#include "cel/runtime/program.h"

namespace haru::cel {

// DRA device selectors (CELDeviceSelector.expression) as upstream compiles them: `device`
// typed as kubernetes.DRADevice, a bool result, and both the estimated and the runtime cost
// limited to 1,000,000 (resourceapi.CELSelectorExpressionMaxCost).
const Env& DraSelectorEnv();

// Upstream's runtime budget for one admission policy binding on one request, spent by all its
// expressions together (evaluate them with Program::Evaluate(activation, budget)).
inline constexpr int64_t kAdmissionBindingCostBudget = 10000000;

// Admission policy expressions: object and oldObject of `object_type`, params of
// `params_type` (dyn when null), request, namespaceObject, authorizer and variables, with
// the per-expression runtime cost limit. `require_bool` for validations and match conditions.
Env AdmissionPolicyEnv(TypePtr object_type, TypePtr params_type, bool require_bool);

// "dra" or "admission" (untyped object and params, bool result); false for other names.
bool LookupKubernetesEnv(std::string_view name, Env* env);

}  // namespace haru::cel
