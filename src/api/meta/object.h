#pragma once
// Small read helpers over a Json object, for kind hooks that look at a few fields without a
// typed struct. Missing members and wrong types read as absent. Stateless; thread-safe.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/json.h"

namespace haru::api {

// The member at `path` (each step an object key), or null when absent or not an object on the way.
const Json* FindPath(const Json& obj, std::initializer_list<std::string_view> path);
// The string at `path`, or "" when absent or not a string.
std::string GetString(const Json& obj, std::initializer_list<std::string_view> path);
// The integer at `path`, or `fallback`.
int64_t GetInt(const Json& obj, std::initializer_list<std::string_view> path, int64_t fallback = 0);
// True when the member at `path` is the boolean true.
bool GetBool(const Json& obj, std::initializer_list<std::string_view> path);
// The object at `path`, creating empty objects on the way (replacing non-objects).
Json& MutablePath(Json& obj, std::initializer_list<std::string_view> path);
// Field path helpers: Child("spec", "containers") -> "spec.containers"; Index(p, 2) -> "p[2]";
// Key(p, "k") -> "p[k]".
inline std::string Child(std::string_view base, std::string_view name) {
  return base.empty() ? std::string(name) : std::string(base) + "." + std::string(name);
}
inline std::string Index(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}
inline std::string Key(std::string_view base, std::string_view key) {
  return std::string(base) + "[" + std::string(key) + "]";
}

}  // namespace haru::api
