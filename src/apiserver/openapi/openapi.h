#pragma once
// OpenAPI documents generated from the served kinds and their schemas, built on first request
// and cached (immutable afterwards, as the kind list is fixed at start-up):
//   GET /openapi/v3            {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=H"}, ...}}
//   GET /openapi/v3/api/v1     an OpenAPI 3.0.0 document per group-version (paths + components)
//   GET /openapi/v3/apis/<g>/<v>
//   GET /openapi/v2            one Swagger 2.0 document (JSON only) for every group-version
// kubectl turns on server-side field validation when a kind's PATCH operation has a
// `fieldValidation` query parameter, and `kubectl explain` walks components.schemas.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/kind_spec.h"
#include "api/schema/schema.h"
#include "apiserver/http/response.h"
#include "common/json.h"

namespace haru::apiserver {

class OpenApi {
 public:
  // `kinds` and `schemas` must outlive this object.
  OpenApi(std::vector<const api::KindSpec*> kinds, const api::SchemaRegistry& schemas);

  // Answers a GET for `path` ("/openapi/v2", "/openapi/v3", "/openapi/v3/api/v1", ...).
  // nullopt when the path is not an OpenAPI path; a 404 response for an unknown
  // group-version. Thread-safe.
  std::optional<http::Response> Serve(std::string_view path) const;

  // The cached documents as compact JSON text.
  std::shared_ptr<const std::string> V3Root() const;
  // gv_path is "api/v1" or "apis/<group>/<version>"; null when no kind is served there.
  std::shared_ptr<const std::string> V3GroupVersion(std::string_view gv_path) const;
  std::shared_ptr<const std::string> V2() const;
  // The upper-case hex SHA-512 of a group-version document (the root's `hash=`); "" if unknown.
  std::string V3Hash(std::string_view gv_path) const;

  // Builders, uncached (tests).
  Json BuildV3(std::string_view gv_path) const;
  Json BuildV2() const;
  std::vector<std::string> GroupVersionPaths() const;  // in kind registration order

 private:
  struct Cached {
    std::shared_ptr<const std::string> body;
    std::string hash;
  };
  const Cached* GetV3(std::string_view gv_path) const;

  std::vector<const api::KindSpec*> kinds_;
  const api::SchemaRegistry& schemas_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Cached, std::less<>> v3_;
  mutable std::shared_ptr<const std::string> v3_root_;
  mutable std::shared_ptr<const std::string> v2_;
};

namespace openapi {

// The built-in instance: api::BuiltinKinds() with api::BuiltinSchemas(), built on first use.
const OpenApi& Builtin();

// Router entry point for GET /openapi/...: nullopt when `path` is not an OpenAPI path.
//  - /openapi/v3/<gv>?hash=H with a stale H answers 301 to the current hash's URL;
//  - /openapi/v2 is JSON only: an Accept header that allows neither JSON nor */* (kubectl
//    asks for protobuf) gets 404, which kubectl tolerates.
std::optional<http::Response> Serve(std::string_view path,
                                    const std::multimap<std::string, std::string>& query,
                                    std::string_view accept);

}  // namespace openapi
}  // namespace haru::apiserver
