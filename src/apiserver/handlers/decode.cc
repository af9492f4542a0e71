#include "apiserver/handlers/decode.h"

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

Status CheckObject(const Json& obj, const api::KindSpec& kind, registry::WriteOptions& options) {
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
  if (options.field_validation == registry::FieldValidation::kIgnore) return Status::OK();
  std::vector<std::string> unknown = api::FindUnknownFields(obj, *schema);
  if (unknown.empty()) return Status::OK();
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
  registry::WriteOptions options;
  for (auto [it, end] = request.query.equal_range("dryRun"); it != end; ++it) {
    if (it->second == "All") {
      options.dry_run = true;
    } else {
      return Status::BadRequest("Invalid dry run value: " + it->second +
                                ", supported values: All");
    }
  }
  std::string_view validation = request.Query("fieldValidation");
  if (validation.empty() || validation == "Warn") {
    options.field_validation = registry::FieldValidation::kWarn;
  } else if (validation == "Strict") {
    options.field_validation = registry::FieldValidation::kStrict;
  } else if (validation == "Ignore") {
    options.field_validation = registry::FieldValidation::kIgnore;
  } else {
    return Status::BadRequest("fieldValidation parameter unsupported: " + std::string(validation));
  }
  options.field_manager = request.Query("fieldManager");
  if (options.field_manager.size() > 128) {
    return Status::Invalid("fieldManager: Too long: may not be more than 128 bytes");
  }
  return options;
}

}  // namespace haru::apiserver
