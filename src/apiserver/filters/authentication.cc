#include "apiserver/filters/authentication.h"

#include <algorithm>
#include <cctype>

namespace haru::filters {
namespace {

constexpr std::string_view kAuthenticated = "system:authenticated";

void AddAuthenticatedGroup(http::UserInfo& user) {
  if (std::find(user.groups.begin(), user.groups.end(), kAuthenticated) == user.groups.end()) {
    user.groups.emplace_back(kAuthenticated);
  }
}

// The token of "Bearer <token>" (scheme case-insensitive), or "" when absent.
std::string_view BearerToken(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || header[kScheme.size()] != ' ') return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  std::string_view token = header.substr(kScheme.size() + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  size_t end = token.find(' ');
  return token.substr(0, end);
}

bool PathIs(std::string_view path, std::string_view base) {
  if (path.substr(0, base.size()) != base) return false;
  return path.size() == base.size() || path[base.size()] == '/';
}

}  // namespace

Authenticator::Authenticator(std::optional<auth::TokenFile> tokens) : tokens_(std::move(tokens)) {}

StatusOr<http::UserInfo> Authenticator::Authenticate(const http::Request& request) const {
  // Upstream's union order: x509 first, then tokens.
  if (request.client_cert_common_name.has_value()) {
    if (request.client_cert_common_name->empty()) {
      return Status::Unauthorized("Unauthorized");
    }
    http::UserInfo user;
    user.name = *request.client_cert_common_name;
    user.groups = request.client_cert_organizations;
    AddAuthenticatedGroup(user);
    return user;
  }
  std::string_view token = BearerToken(request.headers.Get("authorization"));
  if (!token.empty() && tokens_.has_value()) {
    if (auto user = tokens_->Lookup(token)) {
      AddAuthenticatedGroup(*user);
      return *std::move(user);
    }
  }
  return Status::Unauthorized("Unauthorized");
}

bool Authenticator::IsAnonymous(const http::Request& request) {
  return !request.client_cert_common_name.has_value() && !request.headers.Has("authorization");
}

http::UserInfo Authenticator::AnonymousUser() {
  http::UserInfo user;
  user.name = "system:anonymous";
  user.groups = {"system:unauthenticated"};
  return user;
}

bool Authenticator::IsPublicInfoPath(std::string_view path) {
  return PathIs(path, "/healthz") || PathIs(path, "/livez") || PathIs(path, "/readyz") ||
         path == "/version" || path == "/version/";
}

}  // namespace haru::filters
