#pragma once
// Error messages shared by every Store implementation, so callers see one vocabulary.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace haru::storage::internal {

inline Status KeyNotFound(std::string_view key) {
  return Status::NotFound("key \"" + std::string(key) + "\" not found");
}
inline Status KeyExists(std::string_view key) {
  return Status::AlreadyExists("key \"" + std::string(key) + "\" already exists");
}
inline Status RevisionConflict(std::string_view key, int64_t expected, int64_t actual) {
  return Status::Conflict("key \"" + std::string(key) + "\": expected revision " +
                          std::to_string(expected) + ", current revision " +
                          std::to_string(actual));
}
// Same wording as upstream's cacher ("too old resource version: X (Y)").
inline Status TooOld(int64_t requested, int64_t oldest) {
  return Status::Gone("too old resource version: " + std::to_string(requested) + " (" +
                      std::to_string(oldest) + ")");
}
// Upstream answers a list at a future resourceVersion with 504 "Too large resource version".
inline Status TooLarge(int64_t requested, int64_t current) {
  return Status::Timeout("Too large resource version: " + std::to_string(requested) +
                         ", current: " + std::to_string(current));
}

}  // namespace haru::storage::internal
