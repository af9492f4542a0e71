#pragma once
// haru's JSON document type: nlohmann::json (Debian nlohmann-json3-dev). Objects are kept as
// bytes in storage and parsed into a Json only when a request needs the whole object.
// Include this header only where a full document is built or walked.

#include <nlohmann/json.hpp>

#include <string_view>

#include "common/status.h"

namespace haru {

using Json = nlohmann::json;

// Parses JSON text; malformed input becomes a BadRequest Status with the parser's position.
StatusOr<Json> ParseJson(std::string_view text);

// Compact JSON text (no spaces), the form haru stores and serves.
std::string ToJson(const Json& doc);

}  // namespace haru
