#pragma once
// API discovery documents built from the served kinds (precomputed; immutable):
//   /api                APIVersions                (legacy)
//   /apis               APIGroupList               (legacy)
//   /api, /apis         APIGroupDiscoveryList      (aggregated, apidiscovery.k8s.io/v2 or
//                       v2beta1, when the Accept header asks for it, as kubectl does)
//   /apis/<g>           APIGroup
//   /api/v1, /apis/<g>/<v>   APIResourceList with subresources ("pods/status", ...)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/kind_spec.h"
#include "apiserver/http/response.h"
#include "common/json.h"

namespace haru::apiserver {

inline constexpr std::string_view kAggregatedDiscoveryV2ContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
inline constexpr std::string_view kAggregatedDiscoveryV2Beta1ContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

// Which aggregated discovery version the Accept header asks for, in the client's order of
// preference: "v2", "v2beta1", or "" for legacy JSON.
std::string AggregatedDiscoveryVersion(std::string_view accept);

class Discovery {
 public:
  // `kinds` must outlive this object. server_address, when set, fills
  // serverAddressByClientCIDRs ({"clientCIDR":"0.0.0.0/0","serverAddress":...}).
  explicit Discovery(std::vector<const api::KindSpec*> kinds, std::string server_address = "");

  // Answers a GET for a discovery path; nullopt when `path` is not one (or names a group or
  // version that is not served), so the router can 404 it.
  std::optional<http::Response> Serve(std::string_view path, std::string_view accept) const;

  // The documents (tests, and callers that render them otherwise).
  Json ApiVersions() const;
  Json ApiGroupList() const;
  std::optional<Json> ApiGroup(std::string_view group) const;
  std::optional<Json> ResourceList(std::string_view group, std::string_view version) const;
  // core == true: the /api document (the core group); false: /apis. api_version is
  // "apidiscovery.k8s.io/v2" or ".../v2beta1".
  Json Aggregated(bool core, std::string_view api_version) const;

 private:
  struct GroupVersion {
    std::string group;
    std::string version;
    std::vector<const api::KindSpec*> kinds;
  };
  std::vector<std::string> GroupNames() const;  // non-core, in order
  std::vector<const GroupVersion*> VersionsOf(std::string_view group) const;

  std::vector<const api::KindSpec*> kinds_;
  std::string server_address_;
  std::vector<GroupVersion> gvs_;
};

// storageVersionHash as upstream computes it: base64 of the first 8 bytes of
// SHA-256("<group>/<version>/<kind>").
std::string StorageVersionHash(std::string_view group, std::string_view version, std::string_view kind);

namespace discovery {

// The built-in instance over api::BuiltinKinds(), built on first use.
const Discovery& Builtin();

// Router entry point: Builtin().Serve(path, accept).
std::optional<http::Response> Serve(std::string_view path, std::string_view accept);

}  // namespace discovery
}  // namespace haru::apiserver
