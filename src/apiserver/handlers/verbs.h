#pragma once
// The resource verbs, one file each (get_list.cc, watch.cc, write.cc, delete.cc). Each takes
// the parsed request and returns the response; failures leave through StatusResponse.

#include "api/kind_spec.h"
#include "apiserver/handlers/request_info.h"
#include "apiserver/http/response.h"
#include "registry/registry.h"

namespace haru::apiserver {

struct VerbContext {
  http::Request& request;
  const RequestInfo& info;
  const api::KindSpec& kind;
  registry::Registry& registry;
};

http::Response HandleGet(VerbContext& ctx);
http::Response HandleList(VerbContext& ctx);
http::Response HandleWatch(VerbContext& ctx);
http::Response HandleCreate(VerbContext& ctx);
http::Response HandleUpdate(VerbContext& ctx);
http::Response HandlePatch(VerbContext& ctx);
http::Response HandleDelete(VerbContext& ctx);
http::Response HandleDeleteCollection(VerbContext& ctx);

// Shared by the verbs.
// Validates the list options as upstream does for a list (watch=false) or a watch.
StatusOr<registry::ListRequest> ParseListRequest(const http::Request& request, bool watch);
// Adds `Warning: 299 - "..."` headers.
void AddWarnings(http::Response& response, const std::vector<std::string>& warnings);
// The object (or Table) response for one stored object.
http::Response ObjectResponse(VerbContext& ctx, int code, const storage::Bytes& object);

}  // namespace haru::apiserver
