#pragma once
// The API server's request path as one http::Handler: authentication, then non-resource
// endpoints (version, health, metrics, discovery, OpenAPI) or the resource verbs. The chain's
// order lives here, in one function, as upstream's DefaultBuildHandlerChain.

#include "apiserver/http/response.h"

namespace haru::filters {
class Authenticator;
}
namespace haru::server {
class HealthChecks;
}
namespace haru::registry {
class Registry;
}

namespace haru::apiserver {

struct ApiServerDeps {
  registry::Registry* registry = nullptr;
  const filters::Authenticator* authenticator = nullptr;
  const server::HealthChecks* health = nullptr;
};

http::Handler BuildApiHandler(ApiServerDeps deps);

}  // namespace haru::apiserver
