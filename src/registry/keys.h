#pragma once
// Storage keys of API objects:
//   namespaced:     /registry/<group or "core">/<plural>/<namespace>/<name>
//   cluster-scoped: /registry/<group or "core">/<plural>/<name>

#include <string>
#include <string_view>

#include "api/kind_spec.h"

namespace haru::registry {

std::string ResourcePrefix(const api::KindSpec& kind);
// Prefix of every object of the kind in one namespace ("" = all namespaces).
std::string ListPrefix(const api::KindSpec& kind, std::string_view ns);
std::string ObjectKey(const api::KindSpec& kind, std::string_view ns, std::string_view name);

// The kind a storage key belongs to; null for keys outside /registry/ or unknown resources.
const api::KindSpec* KindOfKey(std::string_view key);

}  // namespace haru::registry
