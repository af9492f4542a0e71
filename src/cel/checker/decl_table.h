#pragma once
// Function declarations for the checker, as data: one row per overload. The checker parses
// the signatures once when it builds an environment.
//
// Signature grammar: "(T1, T2) -> R", optionally preceded by type parameters in angle
// brackets: "<A> (list(A), int) -> A", "<K, V> (map(K, V)) -> int". Type spellings are the
// ones the checker prints: int, uint, double, bool, string, bytes, null_type, dyn,
// google.protobuf.Duration, google.protobuf.Timestamp, list(T), map(K, V), type(T),
// optional_type(T), and library (opaque) types by their upstream names, e.g.
// kubernetes.Quantity, net.IP, net.CIDR, kubernetes.URL, kubernetes.Semver.

#include <span>

namespace haru::cel {

struct OverloadSpec {
  const char* function;   // "_+_", "size", "quantity", "compareTo", "math.greatest"
  const char* id;         // upstream's overload id: "add_int64", "size_string", ...
  bool member;            // receiver-style `x.f(y)`; the receiver is the first parameter
  const char* signature;  // "(int, int) -> int"
};

// The CEL standard library (operators, conversions, size, contains, timestamps, ...).
std::span<const OverloadSpec> StandardOverloads();
// The extension libraries Kubernetes enables: strings, math, lists, sets, encoders, optional.
std::span<const OverloadSpec> ExtensionOverloads();
// The Kubernetes libraries: quantity, url, ip/cidr, semver, regex, lists, format, authorizer.
std::span<const OverloadSpec> KubernetesOverloads();

}  // namespace haru::cel
