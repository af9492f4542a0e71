#include "apiserver/handlers/request_info.h"

#include <vector>

namespace haru::apiserver {

namespace {
// Views into the request's path: no string per segment.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  parts.reserve(8);
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}
}  // namespace

bool ParseBool(std::string_view v) {
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True";
}

RequestInfo ParseRequestInfo(const http::Request& request) {
  RequestInfo info;
  info.path = request.path;
  std::string method = request.method;
  for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  info.verb = method;

  std::vector<std::string_view> parts = SplitPath(request.path);
  if (parts.empty() || (parts[0] != "api" && parts[0] != "apis")) return info;
  info.api_prefix = parts[0];
  size_t at = 1;
  if (info.api_prefix == "apis") {
    if (parts.size() < 3) return info;  // /apis, /apis/<group>: discovery
    info.api_group = parts[1];
    info.api_version = parts[2];
    at = 3;
  } else {
    if (parts.size() < 2) return info;  // /api
    info.api_version = parts[1];
    at = 2;
  }
  if (parts.size() <= at) return info;  // /api/v1: discovery
  info.is_resource_request = true;

  bool legacy_watch = false;
  if (parts[at] == "watch") {
    legacy_watch = true;
    ++at;
  }
  std::string_view* rest = parts.data() + at;
  size_t rest_size = parts.size() - at;
  if (rest_size == 0) {
    info.is_resource_request = false;
    return info;
  }
  if (rest[0] == "namespaces" && rest_size > 1) {
    info.ns = rest[1];
    // namespaces/<ns>/<x>: x is a resource in the namespace, unless it is one of the
    // namespace's own subresources.
    if (rest_size > 2 && rest[2] != "status" && rest[2] != "finalize") {
      rest += 2;
      rest_size -= 2;
    }
  }
  info.resource = rest[0];
  if (rest_size >= 2) info.name = rest[1];
  if (rest_size >= 3) info.subresource = rest[2];
  if (info.resource == "namespaces") info.ns.clear();  // cluster-scoped

  bool watch = legacy_watch || ParseBool(request.Query("watch"));
  if (method == "get") {
    info.verb = info.name.empty() ? (watch ? "watch" : "list") : (watch ? "watch" : "get");
  } else if (method == "post") {
    info.verb = "create";
  } else if (method == "put") {
    info.verb = "update";
  } else if (method == "patch") {
    info.verb = "patch";
  } else if (method == "delete") {
    info.verb = info.name.empty() ? "deletecollection" : "delete";
  }
  return info;
}

}  // namespace haru::apiserver
