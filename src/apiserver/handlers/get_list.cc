// GET of one object and LIST of a collection.
#include "apiserver/handlers/status_writer.h"
#include "apiserver/handlers/table.h"
#include "apiserver/handlers/verbs.h"
#include "api/meta/field_errors.h"

namespace haru::apiserver {

namespace {

// Upstream's ValidateListOptions (meta/internalversion/validation), with the WatchList feature
// on as in v1.36: a 422 Invalid on kind ListOptions.meta.k8s.io.
Status ValidateListOptions(const http::Request& request, bool watch) {
  const std::string match(request.Query("resourceVersionMatch"));
  const std::string rv(request.Query("resourceVersion"));
  const bool has_continue = !request.Query("continue").empty();
  const bool has_send_initial = request.HasQuery("sendInitialEvents");
  api::FieldErrors errs;
  if (watch) {
    if (has_send_initial && match != "NotOlderThan") {
      errs.push_back(api::Forbidden(
          "resourceVersionMatch",
          "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    }
    if (!match.empty()) {
      if (!has_send_initial) {
        errs.push_back(api::Forbidden(
            "resourceVersionMatch",
            "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
      }
      if (match != "NotOlderThan") {
        errs.push_back(api::NotSupported("resourceVersionMatch", match, {"NotOlderThan"}));
      }
      if (has_continue) {
        errs.push_back(api::Forbidden("resourceVersionMatch",
                                      "resourceVersionMatch is forbidden when continue is provided"));
      }
    }
  } else {
    if (!match.empty()) {
      if (rv.empty()) {
        errs.push_back(api::Forbidden(
            "resourceVersionMatch",
            "resourceVersionMatch is forbidden unless resourceVersion is provided"));
      }
      if (has_continue) {
        errs.push_back(api::Forbidden("resourceVersionMatch",
                                      "resourceVersionMatch is forbidden when continue is provided"));
      }
      if (match != "Exact" && match != "NotOlderThan") {
        errs.push_back(api::NotSupported("resourceVersionMatch", match, {"Exact", "NotOlderThan", ""}));
      }
      if (match == "Exact" && rv == "0") {
        errs.push_back(api::Forbidden(
            "resourceVersionMatch",
            "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
      }
    }
    if (has_send_initial) {
      errs.push_back(api::Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
    }
  }
  if (errs.empty()) return Status::OK();
  return api::InvalidStatus("meta.k8s.io", "ListOptions", "", errs);
}

}  // namespace

StatusOr<registry::ListRequest> ParseListRequest(const http::Request& request, bool watch) {
  HARU_RETURN_IF_ERROR(ValidateListOptions(request, watch));
  registry::ListRequest list;
  HARU_ASSIGN_OR_RETURN(list.label_selector, LabelSelector::Parse(request.Query("labelSelector")));
  HARU_ASSIGN_OR_RETURN(list.field_selector, FieldSelector::Parse(request.Query("fieldSelector")));
  std::string_view limit = request.Query("limit");
  if (!limit.empty()) {
    try {
      list.limit = std::stoll(std::string(limit));
    } catch (...) {
      return Status::BadRequest("invalid limit: " + std::string(limit));
    }
    if (list.limit < 0) list.limit = 0;
  }
  list.continue_token = request.Query("continue");
  list.resource_version = request.Query("resourceVersion");
  list.resource_version_match = request.Query("resourceVersionMatch");
  if (!list.continue_token.empty() && !list.resource_version.empty() &&
      list.resource_version != "0") {
    return Status::BadRequest("specifying resource version is not allowed when using continue");
  }
  return list;
}

void AddWarnings(http::Response& response, const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) {
    std::string escaped;
    for (char c : w) {
      if (c == '"' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c);
    }
    response.headers.Add("Warning", "299 - \"" + escaped + "\"");
  }
}

http::Response ObjectResponse(VerbContext& ctx, int code, const storage::Bytes& object) {
  if (WantsTable(ctx.request.headers.Get("Accept"))) {
    Json obj = Json::parse(*object, nullptr, false);
    std::string rv = obj.is_object() && obj.contains("metadata")
                         ? obj["metadata"].value("resourceVersion", "")
                         : "";
    return JsonResponse(code,
                        TableJson(ctx.kind, {object}, rv, "", 0,
                                  ParseIncludeObject(ctx.request.Query("includeObject"))),
                        kTableContentType);
  }
  http::Response r;
  r.status = code;
  r.headers.Set("Content-Type", "application/json");
  r.Append(object);
  return r;
}

http::Response HandleGet(VerbContext& ctx) {
  auto kv = ctx.registry.Get(ctx.kind, ctx.info.ns, ctx.info.name);
  if (!kv.ok()) return StatusResponse(kv.status());
  return ObjectResponse(ctx, 200, kv->value);
}

http::Response HandleList(VerbContext& ctx) {
  auto request = ParseListRequest(ctx.request, /*watch=*/false);
  if (!request.ok()) return StatusResponse(request.status());
  auto listed = ctx.registry.List(ctx.kind, ctx.info.ns, *request);
  if (!listed.ok()) return StatusResponse(listed.status());

  const std::string rv = std::to_string(listed->revision);
  if (WantsTable(ctx.request.headers.Get("Accept"))) {
    std::vector<storage::Bytes> objects;
    objects.reserve(listed->items.size());
    for (auto& kv : listed->items) objects.push_back(kv.value);
    return JsonResponse(200,
                        TableJson(ctx.kind, objects, rv, listed->continue_token,
                                  listed->remaining,
                                  ParseIncludeObject(ctx.request.Query("includeObject"))),
                        kTableContentType);
  }
  // The list is assembled from the stored buffers without copying them.
  http::Response r;
  r.headers.Set("Content-Type", "application/json");
  Json meta = {{"resourceVersion", rv}};
  if (!listed->continue_token.empty()) meta["continue"] = listed->continue_token;
  if (listed->remaining > 0) meta["remainingItemCount"] = listed->remaining;
  std::string head = "{\"kind\":\"" + ctx.kind.gvk.kind + "List\",\"apiVersion\":\"" +
                     ctx.kind.gvk.GroupVersion() + "\",\"metadata\":" + ToJson(meta) +
                     ",\"items\":[";
  r.Append(std::move(head));
  bool first = true;
  for (auto& kv : listed->items) {
    if (!first) r.Append(std::string(","));
    first = false;
    r.Append(kv.value);
  }
  r.Append(std::string("]}"));
  return r;
}

}  // namespace haru::apiserver
