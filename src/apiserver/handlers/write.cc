// CREATE (POST), UPDATE (PUT) and PATCH, plus the write-only subresources pods/binding and
// namespaces/finalize.
#include "api/managedfields/managed_fields.h"
#include "api/patch/json_patch.h"
#include "api/patch/merge_patch.h"
#include "api/patch/strategic_merge_patch.h"
#include "api/schema/decode_check.h"
#include "api/schema/schema.h"
#include "apiserver/handlers/decode.h"
#include "apiserver/handlers/status_writer.h"
#include "apiserver/handlers/verbs.h"
#include "common/yaml.h"
#include "registry/binding.h"
#include "registry/object_meta.h"

namespace haru::apiserver {

namespace {

http::Response WriteResponse(VerbContext& ctx, const StatusOr<registry::WriteResult>& result,
                             const registry::WriteOptions& options) {
  if (!result.ok()) {
    http::Response r = StatusResponse(result.status());
    AddWarnings(r, options.warnings);
    return r;
  }
  http::Response r = ObjectResponse(ctx, result->created ? 201 : 200, result->object);
  AddWarnings(r, options.warnings);
  return r;
}

// POST pods/<name>/binding: assigns the pod to a node, once.
http::Response HandleBinding(VerbContext& ctx, const Json& binding, registry::WriteOptions& options) {
  auto result = registry::BindPod(ctx.registry, ctx.kind, ctx.info.ns, ctx.info.name, binding, options);
  if (!result.ok()) return StatusResponse(result.status());
  return SuccessResponse(201);
}

// A create or update body with unknown fields under Strict fails in upstream's decoder, whose
// error is wrapped as "<Kind> in version "<v>" cannot be handled as a <Kind>: ..."; a patch
// reports the bare strict decoding error.
Status CheckBody(Json& body, VerbContext& ctx, registry::WriteOptions& options) {
  Status s = CheckObject(body, ctx.kind, options);
  if (s.code() == StatusCode::kBadRequest && s.message().rfind("strict decoding error", 0) == 0) {
    return api::DecodeError(ctx.kind.gvk, s.message());
  }
  return s;
}

// Upstream's ValidatePatchOptions: an apply names its manager; only an apply may force.
Status ValidatePatchOptions(const http::Request& request, bool apply) {
  api::FieldErrors errs;
  if (!apply && !request.Query("force").empty()) {
    errs.push_back(api::Forbidden("force", "may not be specified for non-apply patch"));
  }
  if (apply && request.Query("fieldManager").empty()) {
    errs.push_back(api::Required("fieldManager", "is required for apply patch"));
  }
  if (errs.empty()) return Status::OK();
  return api::InvalidStatus("meta.k8s.io", "PatchOptions", "", errs);
}

// PATCH with application/apply-patch+yaml: server-side apply, creating the object when it
// does not exist. Ownership and conflicts are worked out against the object read inside the
// registry's retry loop, so a concurrent write re-runs the apply.
http::Response HandleApply(VerbContext& ctx, Json config, registry::WriteOptions& options) {
  if (!config.is_object()) {
    return StatusResponse(Status::BadRequest("error decoding patch: the applied configuration "
                                             "must be an object"));
  }
  Status checked = CheckObject(config, ctx.kind, options);
  if (!checked.ok()) return StatusResponse(checked);
  options.apply = true;
  api::managedfields::Operation op;
  op.manager = options.field_manager;
  op.api_version = ctx.kind.gvk.GroupVersion();
  op.subresource = ctx.info.subresource;
  op.has_status_subresource = ctx.kind.has_status;
  const bool force = ctx.request.Query("force") == "true";
  const api::Schema* schema = api::BuiltinSchemas().Find(ctx.kind.schema);
  auto mutate = [&](const Json* current) -> StatusOr<Json> {
    op.time = registry::NowRfc3339();
    return api::managedfields::Apply(current, config, schema, op, force);
  };
  auto result = ctx.registry.GuaranteedUpdate(ctx.kind, ctx.info.ns, ctx.info.name,
                                              ctx.info.subresource, mutate, options,
                                              /*create_if_missing=*/ctx.info.subresource.empty());
  return WriteResponse(ctx, result, options);
}

}  // namespace

http::Response HandleCreate(VerbContext& ctx) {
  auto options = ParseWriteOptions(ctx.request);
  if (!options.ok()) return StatusResponse(options.status());
  auto body = DecodeDocument(ctx.request);
  if (!body.ok()) return StatusResponse(body.status());
  if (ctx.info.subresource == "binding" && ctx.kind.gvk.kind == "Pod") {
    return HandleBinding(ctx, *body, *options);
  }
  if (!ctx.info.subresource.empty() || !ctx.info.name.empty()) {
    return StatusResponse(Status::MethodNotAllowed(
        "the server does not allow this method on the requested resource"));
  }
  Status checked = CheckBody(*body, ctx, *options);
  if (!checked.ok()) return StatusResponse(checked);
  auto result = ctx.registry.Create(ctx.kind, ctx.info.ns, std::move(body).value(), *options);
  return WriteResponse(ctx, result, *options);
}

http::Response HandleUpdate(VerbContext& ctx) {
  auto options = ParseWriteOptions(ctx.request);
  if (!options.ok()) return StatusResponse(options.status());
  auto body = DecodeDocument(ctx.request);
  if (!body.ok()) return StatusResponse(body.status());
  const std::string& sub = ctx.info.subresource;
  bool allowed = sub.empty() || (sub == "status" && ctx.kind.has_status) ||
                 (sub == "finalize" && ctx.kind.gvk.kind == "Namespace");
  if (!allowed) return StatusResponse(Status::NotFound("the server could not find the requested resource"));
  Status checked = CheckBody(*body, ctx, *options);
  if (!checked.ok()) return StatusResponse(checked);
  if (sub == "finalize") {
    // Only spec.finalizers may change through namespaces/<n>/finalize.
    Json desired = *body;
    auto result = ctx.registry.GuaranteedUpdate(
        ctx.kind, "", ctx.info.name, "finalize",
        [&](const Json* current) -> StatusOr<Json> {
          Json next = *current;
          next["spec"]["finalizers"] =
              desired.contains("spec") && desired["spec"].contains("finalizers")
                  ? desired["spec"]["finalizers"]
                  : Json::array();
          std::string rv = desired["metadata"].value("resourceVersion", "");
          if (!rv.empty()) next["metadata"]["resourceVersion"] = rv;
          return next;
        },
        *options);
    return WriteResponse(ctx, result, *options);
  }
  auto result = ctx.registry.Update(ctx.kind, ctx.info.ns, ctx.info.name, sub,
                                    std::move(body).value(), *options);
  return WriteResponse(ctx, result, *options);
}

http::Response HandlePatch(VerbContext& ctx) {
  auto options = ParseWriteOptions(ctx.request);
  if (!options.ok()) return StatusResponse(options.status());
  const std::string& sub = ctx.info.subresource;
  if (!(sub.empty() || (sub == "status" && ctx.kind.has_status))) {
    return StatusResponse(Status::NotFound("the server could not find the requested resource"));
  }
  std::string_view type = ctx.request.headers.Get("Content-Type");
  size_t semi = type.find(';');
  if (semi != std::string_view::npos) type = type.substr(0, semi);
  enum class Kind { kJson, kMerge, kStrategic, kApply } patch_kind;
  if (type == "application/json-patch+json") {
    patch_kind = Kind::kJson;
  } else if (type == "application/merge-patch+json") {
    patch_kind = Kind::kMerge;
  } else if (type == "application/strategic-merge-patch+json") {
    patch_kind = Kind::kStrategic;
  } else if (type == "application/apply-patch+yaml" || type == "application/apply-patch+cbor") {
    patch_kind = Kind::kApply;
  } else {
    return StatusResponse(Status::UnsupportedMediaType(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/apply-patch+yaml, application/strategic-merge-patch+json"));
  }
  Status patch_options = ValidatePatchOptions(ctx.request, patch_kind == Kind::kApply);
  if (!patch_options.ok()) return StatusResponse(patch_options);
  StatusOr<Json> patch = patch_kind == Kind::kApply ? ParseYaml(ctx.request.body)
                                                    : ParseJson(ctx.request.body);
  if (!patch.ok()) {
    return StatusResponse(Status::BadRequest("error decoding patch: " + patch.status().message()));
  }
  if (patch_kind == Kind::kApply) return HandleApply(ctx, std::move(patch).value(), *options);
  const api::Schema* schema = api::BuiltinSchemas().Find(ctx.kind.schema);
  auto mutate = [&](const Json* current) -> StatusOr<Json> {
    StatusOr<Json> next = Status::Internal("unreachable");
    switch (patch_kind) {
      case Kind::kJson: next = api::patch::ApplyJsonPatch(*current, *patch); break;
      case Kind::kMerge: next = api::patch::ApplyMergePatch(*current, *patch); break;
      case Kind::kStrategic:
        next = api::patch::ApplyStrategicMergePatch(*current, *patch, schema);
        break;
      case Kind::kApply: break;  // HandleApply
    }
    if (!next.ok()) return next;
    HARU_RETURN_IF_ERROR(CheckObject(*next, ctx.kind, *options));
    return next;
  };
  auto result = ctx.registry.GuaranteedUpdate(ctx.kind, ctx.info.ns, ctx.info.name, sub, mutate,
                                              *options);
  return WriteResponse(ctx, result, *options);
}

}  // namespace haru::apiserver
