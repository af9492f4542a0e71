#pragma once
// Request body decoding for writes: JSON or YAML by Content-Type, apiVersion/kind checks, and
// the schema checks of fieldValidation (Strict: unknown fields are a 400; Warn: warnings).

#include <string>
#include <vector>

#include "api/kind_spec.h"
#include "apiserver/http/request.h"
#include "common/json.h"
#include "registry/registry.h"

namespace haru::apiserver {

StatusOr<Json> DecodeDocument(const http::Request& request);

// Checks an object for the kind: apiVersion/kind if present, JSON types, unknown fields; then
// drops the unknown fields (under Warn and Ignore), as decoding into upstream's Go types does.
Status CheckObject(Json& obj, const api::KindSpec& kind, registry::WriteOptions& options);

// dryRun, fieldValidation, fieldManager from the query.
StatusOr<registry::WriteOptions> ParseWriteOptions(const http::Request& request);

}  // namespace haru::apiserver
