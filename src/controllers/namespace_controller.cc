// Namespace deletion: a namespace being deleted is emptied (every namespaced kind), then its
// "kubernetes" finalizer is removed, and the registry deletes it once no finalizer remains.
#include "controllers/namespace_controller.h"

#include "api/kinds.h"
#include "common/json.h"
#include "registry/object_index.h"
#include "registry/registry.h"

namespace haru::controllers {

namespace {

const api::KindSpec* NamespaceKind() { return api::FindKindByResource("", "v1", "namespaces"); }

// Deletes what is left in the namespace; returns how many objects remain.
size_t EmptyNamespace(registry::Registry& registry, const std::string& ns) {
  size_t remaining = 0;
  for (const api::KindSpec* kind : api::BuiltinKinds()) {
    if (kind->scope != api::Scope::kNamespaced) continue;
    auto listed = registry.List(*kind, ns, {});
    if (!listed.ok()) continue;
    for (const auto& kv : listed->items) {
      ++remaining;
      auto index = registry::IndexOf(kv);
      if (index->deleting) continue;
      registry::DeleteOptions options;
      options.grace_period_seconds = 0;
      options.propagation_policy = "Background";
      registry::WriteOptions write;
      (void)registry.Delete(*kind, ns, index->name, options, write);
    }
  }
  return remaining;
}

}  // namespace

void ReconcileNamespaces(registry::Registry& registry) {
  const api::KindSpec* kind = NamespaceKind();
  if (kind == nullptr) return;
  auto listed = registry.List(*kind, "", {});
  if (!listed.ok()) return;
  for (const auto& kv : listed->items) {
    auto index = registry::IndexOf(kv);
    if (!index->deleting) continue;
    if (EmptyNamespace(registry, index->name) > 0) continue;
    registry::WriteOptions write;
    (void)registry.GuaranteedUpdate(
        *kind, "", index->name, "finalize",
        [](const Json* current) -> StatusOr<Json> {
          Json next = *current;
          Json kept = Json::array();
          if (next.contains("spec") && next["spec"].contains("finalizers")) {
            for (const Json& f : next["spec"]["finalizers"]) {
              if (f != "kubernetes") kept.push_back(f);
            }
          }
          next["spec"]["finalizers"] = kept;
          return next;
        },
        write);
  }
}

}  // namespace haru::controllers
