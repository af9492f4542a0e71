#pragma once
// The authentication filter (upstream's WithAuthentication): a verified TLS client
// certificate (user = CN, groups = O values), then a bearer token from the static token file.
// Authenticated users get the "system:authenticated" group. Immutable after construction,
// so Authenticate is thread-safe.

#include <memory>
#include <optional>
#include <string_view>

#include "apiserver/http/request.h"
#include "auth/token_file.h"
#include "common/status.h"

namespace haru::filters {

class Authenticator {
 public:
  explicit Authenticator(std::optional<auth::TokenFile> tokens = std::nullopt);

  // The user behind the request's credentials. Unauthorized("Unauthorized") when it presents
  // none, or an unknown token, or a certificate without a common name.
  StatusOr<http::UserInfo> Authenticate(const http::Request& request) const;

  // True when the request carries no credentials at all (no verified client certificate, no
  // Authorization header): the caller may then serve it as AnonymousUser(). A request with bad
  // credentials is not anonymous: it gets 401, as upstream.
  static bool IsAnonymous(const http::Request& request);
  // system:anonymous in group system:unauthenticated.
  static http::UserInfo AnonymousUser();
  // /healthz, /livez, /readyz (and their /<check> subpaths) and /version: the paths upstream's
  // default RBAC (system:public-info-viewer) opens to unauthenticated users.
  static bool IsPublicInfoPath(std::string_view path);

 private:
  std::optional<auth::TokenFile> tokens_;
};

}  // namespace haru::filters
