#pragma once
// RequestInfo: what a request path and method mean in API terms (upstream's
// RequestInfoFactory): resource or non-resource, verb, group/version, namespace, resource,
// subresource, name.

#include <string>

#include "apiserver/http/request.h"

namespace haru::apiserver {

struct RequestInfo {
  bool is_resource_request = false;
  std::string path;
  // get list watch create update patch delete deletecollection (resource requests), or the
  // lower-case HTTP method for non-resource requests.
  std::string verb;
  std::string api_prefix;  // "api" or "apis"
  std::string api_group;   // "" for core
  std::string api_version;
  std::string ns;
  std::string resource;
  std::string subresource;
  std::string name;
};

RequestInfo ParseRequestInfo(const http::Request& request);

// Go's strconv.ParseBool: 1 t T TRUE true True (and the false forms). Anything else: false.
bool ParseBool(std::string_view value);

}  // namespace haru::apiserver
