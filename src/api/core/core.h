#pragma once
// core/v1 kinds ("" group): one <kind>.cc each, registered in register.cc in upstream's
// discovery order. Each function returns the kind's immutable, process-wide spec.

#include <vector>

#include "api/kind_spec.h"

namespace haru::api::core {

const KindSpec& NamespaceKind();
const KindSpec& NodeKind();
const KindSpec& PodKind();
const KindSpec& ConfigMapKind();
const KindSpec& SecretKind();
const KindSpec& ServiceKind();
const KindSpec& ServiceAccountKind();
const KindSpec& EventKind();
const KindSpec& EndpointsKind();

// Appends the core/v1 kinds in registration order.
void RegisterCoreKinds(std::vector<const KindSpec*>& out);

// Pod hooks, exposed for tests and for callers that default/validate pod templates.
void DefaultPod(Json& pod);
void PreparePodForCreate(Json& pod);
FieldErrors ValidatePod(const Json& pod);
FieldErrors ValidatePodUpdate(const Json& pod, const Json& old);
std::vector<std::string> PodWarnings(const Json& pod, const Json* old);
// "BestEffort", "Burstable" or "Guaranteed" (upstream's qos.GetPodQOS).
std::string PodQosClass(const Json& pod);
// The STATUS cell of `kubectl get pods` (upstream's printPod logic).
std::string PodStatusReason(const Json& pod);

}  // namespace haru::api::core
