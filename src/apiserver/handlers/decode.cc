#include "apiserver/handlers/decode.h"

#include "api/managedfields/managed_fields.h"
#include "api/meta/field_errors.h"
#include "api/protobuf/decode.h"
#include "api/schema/decode_check.h"
#include "api/schema/schema.h"
#include "common/yaml.h"

namespace haru::apiserver {

StatusOr<Json> DecodeDocument(const http::Request& request) {
  std::string_view type = request.headers.Get("Content-Type");
  if (request.body.empty()) return Status::BadRequest("the request body is empty");
  if (type.find("application/vnd.kubernetes.protobuf") != std::string_view::npos) {
    // client-go sends built-in types as protobuf and has no JSON fallback.
    return api::DecodeKubernetesProtobuf(request.body, api::BuiltinSchemas());
  }
  if (type.find("protobuf") != std::string_view::npos || type.find("cbor") != std::string_view::npos) {
    // Other binary encodings (cbor): client-go falls back to JSON on a 415.
    return Status::UnsupportedMediaType("the body of the request was in an unknown format - "
                                        "accepted media types include: application/json, "
                                        "application/yaml, application/vnd.kubernetes.protobuf");
  }
  if (type.find("yaml") != std::string_view::npos) return ParseYaml(request.body);
  auto doc = ParseJson(request.body);
  if (!doc.ok()) {
    return Status::BadRequest("error decoding request body: " + doc.status().message());
  }
  return doc;
}

namespace {

// Removes the fields `schema` does not declare (top-level apiVersion/kind are kept). kAny
// subtrees (RawExtension, JSON) keep everything.
void PruneUnknownFields(Json& value, const api::Schema& schema, bool top) {
  switch (schema.type) {
    case api::SchemaType::kObject: {
      if (!value.is_object()) return;
      for (auto it = value.begin(); it != value.end();) {
        const api::Field* f = schema.FindField(it.key());
        if (f == nullptr && !(top && (it.key() == "apiVersion" || it.key() == "kind"))) {
          it = value.erase(it);
          continue;
        }
        if (f != nullptr && f->schema != nullptr) PruneUnknownFields(it.value(), *f->schema, false);
        ++it;
      }
      return;
    }
    case api::SchemaType::kArray:
      if (!value.is_array() || schema.items == nullptr) return;
      for (Json& item : value) PruneUnknownFields(item, *schema.items, false);
      return;
    case api::SchemaType::kMap:
      if (!value.is_object() || schema.additional_properties == nullptr) return;
      for (auto it = value.begin(); it != value.end(); ++it) {
        PruneUnknownFields(it.value(), *schema.additional_properties, false);
      }
      return;
    default:
      return;
  }
}

}  // namespace

Status CheckObject(Json& obj, const api::KindSpec& kind, registry::WriteOptions& options) {
  if (!obj.is_object()) return Status::BadRequest("the request body must be a JSON object");
  std::string api_version = obj.value("apiVersion", "");
  std::string obj_kind = obj.value("kind", "");
  if (!api_version.empty() && api_version != kind.gvk.GroupVersion()) {
    return Status::BadRequest("the API version in the data (" + api_version +
                              ") does not match the expected API version (" +
                              kind.gvk.GroupVersion() + ")");
  }
  if (!obj_kind.empty() && obj_kind != kind.gvk.kind) {
    return Status::BadRequest("the object provided is unrecognized (must be of type " +
                              kind.gvk.kind + "): found kind " + obj_kind);
  }
  const api::Schema* schema = api::BuiltinSchemas().Find(kind.schema);
  if (!schema) return Status::OK();
  HARU_RETURN_IF_ERROR(api::CheckTypes(obj, *schema, kind.gvk));
  std::vector<std::string> unknown = api::FindUnknownFields(obj, *schema);
  if (unknown.empty()) return Status::OK();
  if (options.field_validation != registry::FieldValidation::kStrict) {
    PruneUnknownFields(obj, *schema, true);
  }
  if (options.field_validation == registry::FieldValidation::kIgnore) return Status::OK();
  if (options.field_validation == registry::FieldValidation::kStrict) {
    std::string msg = "strict decoding error: ";
    for (size_t i = 0; i < unknown.size(); ++i) {
      if (i) msg += ", ";
      msg += "unknown field \"" + unknown[i] + "\"";
    }
    return Status::BadRequest(msg);
  }
  for (const std::string& f : unknown) options.warnings.push_back("unknown field \"" + f + "\"");
  return Status::OK();
}

StatusOr<registry::WriteOptions> ParseWriteOptions(const http::Request& request) {
  // Upstream validates the options object of the verb and answers 422 on kind
  // <Verb>Options.meta.k8s.io (ValidateCreateOptions, ValidateUpdateOptions, ...).
  const char* options_kind = request.method == "POST"    ? "CreateOptions"
                             : request.method == "PUT"   ? "UpdateOptions"
                             : request.method == "PATCH" ? "PatchOptions"
                                                         : "DeleteOptions";
  registry::WriteOptions options;
  api::FieldErrors errs;
  std::vector<std::string> dry_run;
  for (auto [it, end] = request.query.equal_range("dryRun"); it != end; ++it) {
    dry_run.push_back(it->second);
  }
  for (const std::string& v : dry_run) {
    if (v == "All") {
      options.dry_run = true;
      continue;
    }
    std::string rendered = "[]string{";
    for (size_t i = 0; i < dry_run.size(); ++i) {
      rendered += (i ? ", " : "") + api::QuoteValue(dry_run[i]);
    }
    rendered += "}";
    api::FieldError e = api::NotSupported("dryRun", "", {"All"});
    e.bad_value = rendered;
    errs.push_back(std::move(e));
    break;
  }
  std::string validation(request.Query("fieldValidation"));
  if (validation.empty() || validation == "Warn") {
    options.field_validation = registry::FieldValidation::kWarn;
  } else if (validation == "Strict") {
    options.field_validation = registry::FieldValidation::kStrict;
  } else if (validation == "Ignore") {
    options.field_validation = registry::FieldValidation::kIgnore;
  } else if (std::string(options_kind) != "DeleteOptions") {
    errs.push_back(api::NotSupported("fieldValidation", validation, {"", "Ignore", "Strict", "Warn"}));
  }
  options.field_manager = request.Query("fieldManager");
  if (options.field_manager.size() > 128) errs.push_back(api::TooLong("fieldManager", 128));
  if (options.field_manager.empty()) {
    // Upstream's managerOrUserAgent: kubectl/v1.36.3 (...) records as "kubectl".
    options.field_manager =
        api::managedfields::ManagerFromUserAgent(request.headers.Get("User-Agent"));
  }
  if (!errs.empty()) return api::InvalidStatus("meta.k8s.io", options_kind, "", errs);
  return options;
}

}  // namespace haru::apiserver
