#include "registry/binding.h"

#include "api/meta/field_errors.h"

namespace haru::registry {

StatusOr<WriteResult> BindPod(Registry& registry, const api::KindSpec& pods, const std::string& ns,
                              const std::string& name, const Json& binding, WriteOptions& options) {
  std::string node;
  if (binding.is_object() && binding.contains("target") && binding["target"].is_object()) {
    node = binding["target"].value("name", "");
  }
  if (node.empty()) {
    return api::InvalidStatus("", "Binding", name, {api::Required("target.name")});
  }
  return registry.GuaranteedUpdate(
      pods, ns, name, "binding",
      [&](const Json* current) -> StatusOr<Json> {
        Json pod = *current;
        std::string assigned = pod["spec"].value("nodeName", "");
        if (!assigned.empty()) {
          return ConflictStatus(pods, name,
                                "pod " + name + " is already assigned to node \"" + assigned + "\"");
        }
        if (pod["metadata"].contains("deletionTimestamp")) {
          return ConflictStatus(pods, name,
                                "pod " + name + " is being deleted, cannot be assigned to a host");
        }
        pod["spec"]["nodeName"] = node;
        return pod;
      },
      options);
}

}  // namespace haru::registry
