#pragma once
// pods/binding: assigns a pending Pod to a node, once (upstream's BindingREST). Shared by the
// HTTP handler and the in-process client so both bind through the same checks.

#include <string>

#include "api/kind_spec.h"
#include "common/json.h"
#include "registry/registry.h"

namespace haru::registry {

// `binding` is a v1 Binding; its target.name is the node. Conflict when the pod already has
// a node or is being deleted; Invalid when target.name is missing.
StatusOr<WriteResult> BindPod(Registry& registry, const api::KindSpec& pods, const std::string& ns,
                              const std::string& name, const Json& binding, WriteOptions& options);

}  // namespace haru::registry
