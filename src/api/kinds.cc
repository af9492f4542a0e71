#include "api/kinds.h"

#include "api/batch/batch.h"
#include "api/coordination/coordination.h"
#include "api/core/core.h"
#include "api/events/events.h"
#include "api/resource/resource.h"

namespace haru::api {

const std::vector<const KindSpec*>& BuiltinKinds() {
  static const std::vector<const KindSpec*> kKinds = [] {
    std::vector<const KindSpec*> out;
    core::RegisterCoreKinds(out);
    coordination::RegisterCoordinationKinds(out);
    events::RegisterEventsKinds(out);
    batch::RegisterBatchKinds(out);
    resource::RegisterResourceKinds(out);
    return out;
  }();
  return kKinds;
}

const KindSpec* FindKindByResource(std::string_view group, std::string_view version,
                                   std::string_view plural) {
  for (const KindSpec* k : BuiltinKinds()) {
    if (k->gvk.group == group && k->gvk.version == version && k->plural == plural) return k;
  }
  return nullptr;
}

const KindSpec* FindKindByKind(std::string_view group, std::string_view version,
                               std::string_view kind) {
  for (const KindSpec* k : BuiltinKinds()) {
    if (k->gvk.group == group && k->gvk.version == version && k->gvk.kind == kind) return k;
  }
  return nullptr;
}

}  // namespace haru::api
