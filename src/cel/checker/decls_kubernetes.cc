// Declarations of the Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library): quantity,
// url, ip, cidr, semver, regex, lists, format and the authorizer, one row per overload with
// upstream's overload ids and signatures. The runtime is src/cel/library/k8s_*.cc; the
// authorizer is declared here only (its runtime comes with admission policies).
//
// Library types are spelled by upstream's names: kubernetes.Quantity, kubernetes.URL,
// net.IP, net.CIDR, kubernetes.Semver, kubernetes.NamedFormat and the five
// kubernetes.authorization.* types.

#include "cel/checker/decl_table.h"

namespace haru::cel {
namespace {

constexpr OverloadSpec kKubernetesOverloads[] = {
    // Quantity. Upstream declares `sign` as a global overload, so `sign(q)` checks and
    // `q.sign()` does not.
    {"quantity", "string_to_quantity", false, "(string) -> kubernetes.Quantity"},
    {"isQuantity", "is_quantity_string", false, "(string) -> bool"},
    {"sign", "quantity_sign", false, "(kubernetes.Quantity) -> int"},
    {"isGreaterThan", "quantity_is_greater_than", true, "(kubernetes.Quantity, kubernetes.Quantity) -> bool"},
    {"isLessThan", "quantity_is_less_than", true, "(kubernetes.Quantity, kubernetes.Quantity) -> bool"},
    {"compareTo", "quantity_compare_to", true, "(kubernetes.Quantity, kubernetes.Quantity) -> int"},
    {"asApproximateFloat", "quantity_get_float", true, "(kubernetes.Quantity) -> double"},
    {"asInteger", "quantity_get_int", true, "(kubernetes.Quantity) -> int"},
    {"isInteger", "quantity_is_integer", true, "(kubernetes.Quantity) -> bool"},
    {"add", "quantity_add", true, "(kubernetes.Quantity, kubernetes.Quantity) -> kubernetes.Quantity"},
    {"add", "quantity_add_int", true, "(kubernetes.Quantity, int) -> kubernetes.Quantity"},
    {"sub", "quantity_sub", true, "(kubernetes.Quantity, kubernetes.Quantity) -> kubernetes.Quantity"},
    {"sub", "quantity_sub_int", true, "(kubernetes.Quantity, int) -> kubernetes.Quantity"},

    // URL.
    {"url", "string_to_url", false, "(string) -> kubernetes.URL"},
    {"isURL", "is_url_string", false, "(string) -> bool"},
    {"getScheme", "url_get_scheme", true, "(kubernetes.URL) -> string"},
    {"getHost", "url_get_host", true, "(kubernetes.URL) -> string"},
    {"getHostname", "url_get_hostname", true, "(kubernetes.URL) -> string"},
    {"getPort", "url_get_port", true, "(kubernetes.URL) -> string"},
    {"getEscapedPath", "url_get_escaped_path", true, "(kubernetes.URL) -> string"},
    {"getQuery", "url_get_query", true, "(kubernetes.URL) -> map(string, list(string))"},

    // IP.
    {"ip", "string_to_ip", false, "(string) -> net.IP"},
    {"isIP", "is_ip", false, "(string) -> bool"},
    {"ip.isCanonical", "ip_is_canonical", false, "(string) -> bool"},
    {"string", "ip_to_string", false, "(net.IP) -> string"},
    {"family", "ip_family", true, "(net.IP) -> int"},
    {"isUnspecified", "ip_is_unspecified", true, "(net.IP) -> bool"},
    {"isLoopback", "ip_is_loopback", true, "(net.IP) -> bool"},
    {"isLinkLocalMulticast", "ip_is_link_local_multicast", true, "(net.IP) -> bool"},
    {"isLinkLocalUnicast", "ip_is_link_local_unicast", true, "(net.IP) -> bool"},
    {"isGlobalUnicast", "ip_is_global_unicast", true, "(net.IP) -> bool"},

    // CIDR.
    {"cidr", "string_to_cidr", false, "(string) -> net.CIDR"},
    {"isCIDR", "is_cidr", false, "(string) -> bool"},
    {"string", "cidr_to_string", false, "(net.CIDR) -> string"},
    {"containsIP", "cidr_contains_ip_string", true, "(net.CIDR, string) -> bool"},
    {"containsIP", "cidr_contains_ip_ip", true, "(net.CIDR, net.IP) -> bool"},
    {"containsCIDR", "cidr_contains_cidr_string", true, "(net.CIDR, string) -> bool"},
    {"containsCIDR", "cidr_contains_cidr", true, "(net.CIDR, net.CIDR) -> bool"},
    {"ip", "cidr_ip", true, "(net.CIDR) -> net.IP"},
    {"prefixLength", "cidr_prefix_length", true, "(net.CIDR) -> int"},
    {"masked", "cidr_masked", true, "(net.CIDR) -> net.CIDR"},

    // Semver (library version 1: the normalizing overloads).
    {"semver", "string_to_semver", false, "(string) -> kubernetes.Semver"},
    {"semver", "string_bool_to_semver", false, "(string, bool) -> kubernetes.Semver"},
    {"isSemver", "is_semver_string", false, "(string) -> bool"},
    {"isSemver", "is_semver_string_bool", false, "(string, bool) -> bool"},
    {"isGreaterThan", "semver_is_greater_than", true, "(kubernetes.Semver, kubernetes.Semver) -> bool"},
    {"isLessThan", "semver_is_less_than", true, "(kubernetes.Semver, kubernetes.Semver) -> bool"},
    {"compareTo", "semver_compare_to", true, "(kubernetes.Semver, kubernetes.Semver) -> int"},
    {"major", "semver_major", true, "(kubernetes.Semver) -> int"},
    {"minor", "semver_minor", true, "(kubernetes.Semver) -> int"},
    {"patch", "semver_patch", true, "(kubernetes.Semver) -> int"},

    // Regex.
    {"find", "string_find_string", true, "(string, string) -> string"},
    {"findAll", "string_find_all_string", true, "(string, string) -> list(string)"},
    {"findAll", "string_find_all_string_int", true, "(string, string, int) -> list(string)"},

    // Lists. Upstream templates isSorted/min/max over its comparable types and sum over its
    // summable ones; the ids use upstream's short type names (int, uint, double, bool,
    // duration, timestamp, string, bytes).
    {"isSorted", "list_int_is_sorted_bool", true, "(list(int)) -> bool"},
    {"isSorted", "list_uint_is_sorted_bool", true, "(list(uint)) -> bool"},
    {"isSorted", "list_double_is_sorted_bool", true, "(list(double)) -> bool"},
    {"isSorted", "list_bool_is_sorted_bool", true, "(list(bool)) -> bool"},
    {"isSorted", "list_duration_is_sorted_bool", true, "(list(google.protobuf.Duration)) -> bool"},
    {"isSorted", "list_timestamp_is_sorted_bool", true, "(list(google.protobuf.Timestamp)) -> bool"},
    {"isSorted", "list_string_is_sorted_bool", true, "(list(string)) -> bool"},
    {"isSorted", "list_bytes_is_sorted_bool", true, "(list(bytes)) -> bool"},
    {"sum", "list_int_sum_int", true, "(list(int)) -> int"},
    {"sum", "list_uint_sum_uint", true, "(list(uint)) -> uint"},
    {"sum", "list_double_sum_double", true, "(list(double)) -> double"},
    {"sum", "list_duration_sum_duration", true, "(list(google.protobuf.Duration)) -> google.protobuf.Duration"},
    {"max", "list_int_max_int", true, "(list(int)) -> int"},
    {"max", "list_uint_max_uint", true, "(list(uint)) -> uint"},
    {"max", "list_double_max_double", true, "(list(double)) -> double"},
    {"max", "list_bool_max_bool", true, "(list(bool)) -> bool"},
    {"max", "list_duration_max_duration", true, "(list(google.protobuf.Duration)) -> google.protobuf.Duration"},
    {"max", "list_timestamp_max_timestamp", true,
     "(list(google.protobuf.Timestamp)) -> google.protobuf.Timestamp"},
    {"max", "list_string_max_string", true, "(list(string)) -> string"},
    {"max", "list_bytes_max_bytes", true, "(list(bytes)) -> bytes"},
    {"min", "list_int_min_int", true, "(list(int)) -> int"},
    {"min", "list_uint_min_uint", true, "(list(uint)) -> uint"},
    {"min", "list_double_min_double", true, "(list(double)) -> double"},
    {"min", "list_bool_min_bool", true, "(list(bool)) -> bool"},
    {"min", "list_duration_min_duration", true, "(list(google.protobuf.Duration)) -> google.protobuf.Duration"},
    {"min", "list_timestamp_min_timestamp", true,
     "(list(google.protobuf.Timestamp)) -> google.protobuf.Timestamp"},
    {"min", "list_string_min_string", true, "(list(string)) -> string"},
    {"min", "list_bytes_min_bytes", true, "(list(bytes)) -> bytes"},
    {"indexOf", "list_a_index_of_int", true, "<A> (list(A), A) -> int"},
    {"lastIndexOf", "list_a_last_index_of_int", true, "<A> (list(A), A) -> int"},

    // Format. Each named format has a zero-argument constructor whose overload id is its
    // function name.
    {"format.named", "format-named", false, "(string) -> optional_type(kubernetes.NamedFormat)"},
    {"validate", "format-validate", true, "(kubernetes.NamedFormat, string) -> optional_type(list(string))"},
    {"format.dns1123Label", "format.dns1123Label", false, "() -> kubernetes.NamedFormat"},
    {"format.dns1123Subdomain", "format.dns1123Subdomain", false, "() -> kubernetes.NamedFormat"},
    {"format.dns1035Label", "format.dns1035Label", false, "() -> kubernetes.NamedFormat"},
    {"format.qualifiedName", "format.qualifiedName", false, "() -> kubernetes.NamedFormat"},
    {"format.dns1123LabelPrefix", "format.dns1123LabelPrefix", false, "() -> kubernetes.NamedFormat"},
    {"format.dns1123SubdomainPrefix", "format.dns1123SubdomainPrefix", false, "() -> kubernetes.NamedFormat"},
    {"format.dns1035LabelPrefix", "format.dns1035LabelPrefix", false, "() -> kubernetes.NamedFormat"},
    {"format.labelValue", "format.labelValue", false, "() -> kubernetes.NamedFormat"},
    {"format.uri", "format.uri", false, "() -> kubernetes.NamedFormat"},
    {"format.uuid", "format.uuid", false, "() -> kubernetes.NamedFormat"},
    {"format.byte", "format.byte", false, "() -> kubernetes.NamedFormat"},
    {"format.date", "format.date", false, "() -> kubernetes.NamedFormat"},
    {"format.datetime", "format.datetime", false, "() -> kubernetes.NamedFormat"},

    // Authorizer (library kubernetes.authz) and its selector extension
    // (kubernetes.authzSelectors, 1.31+). Declarations only for now.
    {"path", "authorizer_path", true,
     "(kubernetes.authorization.Authorizer, string) -> kubernetes.authorization.PathCheck"},
    {"group", "authorizer_group", true,
     "(kubernetes.authorization.Authorizer, string) -> kubernetes.authorization.GroupCheck"},
    {"serviceAccount", "authorizer_serviceaccount", true,
     "(kubernetes.authorization.Authorizer, string, string) -> kubernetes.authorization.Authorizer"},
    {"resource", "groupcheck_resource", true,
     "(kubernetes.authorization.GroupCheck, string) -> kubernetes.authorization.ResourceCheck"},
    {"subresource", "resourcecheck_subresource", true,
     "(kubernetes.authorization.ResourceCheck, string) -> kubernetes.authorization.ResourceCheck"},
    {"namespace", "resourcecheck_namespace", true,
     "(kubernetes.authorization.ResourceCheck, string) -> kubernetes.authorization.ResourceCheck"},
    {"name", "resourcecheck_name", true,
     "(kubernetes.authorization.ResourceCheck, string) -> kubernetes.authorization.ResourceCheck"},
    {"check", "pathcheck_check", true,
     "(kubernetes.authorization.PathCheck, string) -> kubernetes.authorization.Decision"},
    {"check", "resourcecheck_check", true,
     "(kubernetes.authorization.ResourceCheck, string) -> kubernetes.authorization.Decision"},
    {"errored", "decision_errored", true, "(kubernetes.authorization.Decision) -> bool"},
    {"error", "decision_error", true, "(kubernetes.authorization.Decision) -> string"},
    {"allowed", "decision_allowed", true, "(kubernetes.authorization.Decision) -> bool"},
    {"reason", "decision_reason", true, "(kubernetes.authorization.Decision) -> string"},
    {"fieldSelector", "authorizer_fieldselector", true,
     "(kubernetes.authorization.ResourceCheck, string) -> kubernetes.authorization.ResourceCheck"},
    {"labelSelector", "authorizer_labelselector", true,
     "(kubernetes.authorization.ResourceCheck, string) -> kubernetes.authorization.ResourceCheck"},
};

}  // namespace

std::span<const OverloadSpec> KubernetesOverloads() { return kKubernetesOverloads; }

}  // namespace haru::cel
