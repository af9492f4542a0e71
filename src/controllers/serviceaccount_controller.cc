#include "controllers/serviceaccount_controller.h"

#include "api/kinds.h"
#include "common/json.h"
#include "registry/object_index.h"
#include "registry/registry.h"

namespace haru::controllers {

void ReconcileServiceAccounts(registry::Registry& registry) {
  const api::KindSpec* ns_kind = api::FindKindByResource("", "v1", "namespaces");
  const api::KindSpec* sa_kind = api::FindKindByResource("", "v1", "serviceaccounts");
  if (!ns_kind || !sa_kind) return;
  auto namespaces = registry.List(*ns_kind, "", {});
  if (!namespaces.ok()) return;
  for (const auto& kv : namespaces->items) {
    auto index = registry::IndexOf(kv);
    if (index->deleting) continue;
    if (registry.Get(*sa_kind, index->name, "default").ok()) continue;
    Json sa = {{"apiVersion", "v1"},
               {"kind", "ServiceAccount"},
               {"metadata", {{"name", "default"}, {"namespace", index->name}}}};
    registry::WriteOptions write;
    (void)registry.Create(*sa_kind, index->name, std::move(sa), write);
  }
}

}  // namespace haru::controllers
