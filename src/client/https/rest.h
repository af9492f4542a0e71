#pragma once
// The REST side of the HTTPS client, free of any I/O: request paths and query strings for
// the verbs, and metav1.Status responses decoded back into haru::Status.

#include <string>
#include <string_view>

#include "client/client.h"

namespace haru::client {

// /api/v1/namespaces/ns1/pods/p1/status, /apis/resource.k8s.io/v1/resourceslices, ...
// name and subresource may be "". Cluster-scoped built-in kinds drop the namespace.
std::string ResourcePath(const Resource& r, std::string_view ns, std::string_view name = "",
                         std::string_view subresource = "");

// "?labelSelector=...&limit=..." (empty when nothing is set); percent-encoded.
std::string ListQuery(const ListOptions& options);

std::string PercentEncode(std::string_view s);

// A non-2xx response as a Status: the body's metav1.Status (reason, message, details, causes,
// retryAfterSeconds) when it has one, else a status named after the HTTP code.
Status StatusFromResponse(int http_code, std::string_view body);
// A metav1.Status object (a watch ERROR event's object) as a Status.
Status StatusFromJson(const Json& status, int fallback_http_code);

}  // namespace haru::client
