#pragma once
// coordination.k8s.io/v1 kinds.

#include <vector>

#include "api/kind_spec.h"

namespace haru::api::coordination {

const KindSpec& LeaseKind();
void RegisterCoordinationKinds(std::vector<const KindSpec*>& out);

}  // namespace haru::api::coordination
