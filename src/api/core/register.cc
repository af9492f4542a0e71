#include "api/core/core.h"

namespace haru::api::core {

// Upstream's core/v1 discovery lists resources alphabetically by plural.
void RegisterCoreKinds(std::vector<const KindSpec*>& out) {
  out.push_back(&ConfigMapKind());
  out.push_back(&EndpointsKind());
  out.push_back(&EventKind());
  out.push_back(&NamespaceKind());
  out.push_back(&NodeKind());
  out.push_back(&PodKind());
  out.push_back(&SecretKind());
  out.push_back(&ServiceAccountKind());
  out.push_back(&ServiceKind());
}

}  // namespace haru::api::core
