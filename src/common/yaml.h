#pragma once
// YAML request bodies (Content-Type application/yaml, server-side apply). The yaml-cpp adapter
// lives in yaml.cc: it catches yaml-cpp's exceptions and returns a Status with line:column.

#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace haru {

// One YAML document to JSON. Scalars follow YAML 1.1-ish rules the way sigs.k8s.io/yaml does
// for Kubernetes manifests: unquoted true/false -> bool, integers, floats, null/~ -> null;
// quoted scalars stay strings.
StatusOr<Json> ParseYaml(std::string_view text);

}  // namespace haru
