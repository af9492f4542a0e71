// DELETE of one object and DELETE of a collection (deletecollection).
#include "apiserver/handlers/decode.h"
#include "apiserver/handlers/status_writer.h"
#include "apiserver/handlers/verbs.h"

namespace haru::apiserver {

namespace {

StatusOr<registry::DeleteOptions> ParseDeleteOptions(const http::Request& request) {
  registry::DeleteOptions options;
  if (!request.body.empty()) {
    HARU_ASSIGN_OR_RETURN(Json body, DecodeDocument(request));
    if (!body.is_object()) return Status::BadRequest("DeleteOptions must be a JSON object");
    if (body.contains("gracePeriodSeconds") && body["gracePeriodSeconds"].is_number_integer()) {
      options.grace_period_seconds = body["gracePeriodSeconds"].get<int64_t>();
    }
    options.propagation_policy = body.value("propagationPolicy", "");
    if (body.contains("orphanDependents") && body["orphanDependents"].is_boolean() &&
        options.propagation_policy.empty()) {
      options.propagation_policy = body["orphanDependents"].get<bool>() ? "Orphan" : "Background";
    }
    if (body.contains("preconditions") && body["preconditions"].is_object()) {
      options.precondition_uid = body["preconditions"].value("uid", "");
      options.precondition_resource_version = body["preconditions"].value("resourceVersion", "");
    }
    if (body.contains("dryRun") && body["dryRun"].is_array()) {
      for (const Json& v : body["dryRun"]) options.dry_run |= v == "All";
    }
  }
  std::string_view grace = request.Query("gracePeriodSeconds");
  if (!grace.empty()) {
    try {
      options.grace_period_seconds = std::stoll(std::string(grace));
    } catch (...) {
      return Status::BadRequest("invalid gracePeriodSeconds: " + std::string(grace));
    }
  }
  std::string_view policy = request.Query("propagationPolicy");
  if (!policy.empty()) options.propagation_policy = policy;
  if (!options.propagation_policy.empty() && options.propagation_policy != "Orphan" &&
      options.propagation_policy != "Background" && options.propagation_policy != "Foreground") {
    return Status::Invalid("propagationPolicy: Unsupported value: \"" + options.propagation_policy +
                           "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
  }
  if (request.Query("dryRun") == "All") options.dry_run = true;
  return options;
}

}  // namespace

http::Response HandleDelete(VerbContext& ctx) {
  auto write_options = ParseWriteOptions(ctx.request);
  if (!write_options.ok()) return StatusResponse(write_options.status());
  auto options = ParseDeleteOptions(ctx.request);
  if (!options.ok()) return StatusResponse(options.status());
  if (!ctx.info.subresource.empty()) {
    return StatusResponse(Status::MethodNotAllowed(
        "the server does not allow this method on the requested resource"));
  }
  auto result = ctx.registry.Delete(ctx.kind, ctx.info.ns, ctx.info.name, *options, *write_options);
  if (!result.ok()) return StatusResponse(result.status());
  http::Response r = ObjectResponse(ctx, 200, result->object);
  AddWarnings(r, write_options->warnings);
  return r;
}

http::Response HandleDeleteCollection(VerbContext& ctx) {
  auto write_options = ParseWriteOptions(ctx.request);
  if (!write_options.ok()) return StatusResponse(write_options.status());
  auto options = ParseDeleteOptions(ctx.request);
  if (!options.ok()) return StatusResponse(options.status());
  auto list = ParseListRequest(ctx.request, /*watch=*/false);
  if (!list.ok()) return StatusResponse(list.status());
  auto deleted = ctx.registry.DeleteCollection(ctx.kind, ctx.info.ns, *list, *options, *write_options);
  if (!deleted.ok()) return StatusResponse(deleted.status());
  http::Response r;
  r.headers.Set("Content-Type", "application/json");
  r.Append("{\"kind\":\"" + ctx.kind.gvk.kind + "List\",\"apiVersion\":\"" +
           ctx.kind.gvk.GroupVersion() + "\",\"metadata\":{},\"items\":[");
  bool first = true;
  for (auto& obj : *deleted) {
    if (!first) r.Append(std::string(","));
    first = false;
    r.Append(obj);
  }
  r.Append(std::string("]}"));
  return r;
}

}  // namespace haru::apiserver
