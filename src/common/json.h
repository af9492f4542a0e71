#pragma once
// haru's JSON document type: nlohmann::json (Debian nlohmann-json3-dev). Objects are kept as
// bytes in storage and parsed into a Json only when a request needs the whole object.
// Include this header only where a full document is built or walked.

#include <nlohmann/json.hpp>

#include <string_view>

#include "common/status.h"

namespace haru {

using Json = nlohmann::json;

// ParseJson refuses documents nested deeper than this: nlohmann's copy, compare and dump
// recurse. Decoders that build a Json some other way (YAML, protobuf) must stay within it
// too, or the server would store a body it cannot parse back.
inline constexpr int kMaxJsonDepth = 1000;

// Whether objects and arrays in `doc` nest more than `max_depth` levels (a scalar or an empty
// top-level container is depth 1). Walks without recursion, so it is safe on any document.
bool NestedDeeperThan(const Json& doc, int max_depth);

// Parses JSON text; malformed input becomes a BadRequest Status with the parser's position.
StatusOr<Json> ParseJson(std::string_view text);

// Compact JSON text (no spaces), the form haru stores and serves.
std::string ToJson(const Json& doc);

}  // namespace haru
