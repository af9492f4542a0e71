#pragma once
// The typed environments Kubernetes checks CEL expressions in, as data for the checker:
// DRA device selectors (k8s.io/dynamic-resource-allocation/cel) and admission policies
// (k8s.io/apiserver/pkg/admission/plugin/cel). Each returns the declared variables and
// whether the result must be bool; the library functions come from the declaration tables.

#include <map>
#include <string>

#include "cel/checker/checker.h"
#include "cel/checker/types.h"

namespace haru::cel {

// Type names as upstream declares them.
inline constexpr char kDraDeviceTypeName[] = "kubernetes.DRADevice";
inline constexpr char kAdmissionRequestTypeName[] = "kubernetes.AdmissionRequest";
inline constexpr char kNamespaceTypeName[] = "kubernetes.Namespace";
inline constexpr char kVariablesTypeName[] = "kubernetes.variables";
inline constexpr char kAuthorizerTypeName[] = "kubernetes.authorization.Authorizer";
inline constexpr char kResourceCheckTypeName[] = "kubernetes.authorization.ResourceCheck";

// `device` of a DRA selector: driver (string), attributes (map(string, map(string, any))),
// capacity (map(string, map(string, kubernetes.Quantity))) and, when the
// DRAConsumableCapacity gate is on (beta and on by default in 1.36),
// allowMultipleAllocations (bool).
TypePtr DraDeviceType(bool consumable_capacity = true);
// The one variable `device`; the result must be bool (or dyn/any).
TypeEnv DraSelectorEnvironment(bool consumable_capacity = true);

// `request`: upstream's hand-built subset of admission.k8s.io AdmissionRequest (no uid,
// object or oldObject), with kubernetes.GroupVersionKind, kubernetes.GroupVersionResource
// and kubernetes.UserInfo nested types.
TypePtr AdmissionRequestType();
// `namespaceObject`: upstream's subset of a Namespace (metadata, spec.finalizers, status).
TypePtr NamespaceObjectType();

// Validating/Mutating admission policy expressions: object, oldObject (object_type, or dyn
// when null), params (params_type, or dyn when null), request, namespaceObject, authorizer,
// authorizer.requestResource and variables (an object of type kubernetes.variables whose
// fields are the policy's variables, each with its type). Upstream declares params and the
// authorizer only when the policy has a paramKind or an authorizer; this environment always
// declares them. The result type is the caller's to check (bool for validations and match
// conditions, string for messageExpression, ...).
TypeEnv AdmissionEnvironment(TypePtr object_type, TypePtr params_type,
                             std::map<std::string, TypePtr> variables = {});

// checker.h's LookupEnvironment and EnvironmentVariables are defined in environments.cc:
// "dra" is DraSelectorEnvironment(); "admission" is AdmissionEnvironment with dyn object and
// params, and `variables` as map(string, dyn), since a lone expression's policy variables
// are unknown.

}  // namespace haru::cel
