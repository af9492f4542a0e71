#pragma once
// The Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library), one family per file.
// Library values are opaque CEL values whose type names match upstream's.

#include <string_view>

#include "cel/common/value.h"
#include "cel/runtime/function_registry.h"

namespace haru::cel {

inline constexpr char kQuantityType[] = "kubernetes.Quantity";
inline constexpr char kUrlType[] = "kubernetes.URL";
inline constexpr char kIpType[] = "net.IP";
inline constexpr char kCidrType[] = "net.CIDR";
inline constexpr char kSemverType[] = "kubernetes.Semver";
inline constexpr char kFormatType[] = "kubernetes.NamedFormat";

// A quantity value for inputs (DRA capacity): the parsed `text`, or an error value.
Value QuantityFromString(std::string_view text);

// Go's url.ParseRequestURI accepts `s` (k8s_url.cc; the "uri" format uses it too).
bool IsRequestUri(std::string_view s);

void RegisterK8sQuantity(FunctionRegistry& r);  // k8s_quantity.cc
void RegisterK8sUrl(FunctionRegistry& r);       // k8s_url.cc
void RegisterK8sIp(FunctionRegistry& r);        // k8s_ip.cc (ip and cidr)
void RegisterK8sSemver(FunctionRegistry& r);    // k8s_semver.cc
void RegisterK8sRegex(FunctionRegistry& r);     // k8s_regex.cc
void RegisterK8sLists(FunctionRegistry& r);     // k8s_lists.cc
void RegisterK8sFormat(FunctionRegistry& r);    // k8s_format.cc

inline void RegisterKubernetesLibraries(FunctionRegistry& r) {
  RegisterK8sQuantity(r);
  RegisterK8sUrl(r);
  RegisterK8sIp(r);
  RegisterK8sSemver(r);
  RegisterK8sRegex(r);
  RegisterK8sLists(r);
  RegisterK8sFormat(r);
}

}  // namespace haru::cel
