#pragma once
// events.k8s.io/v1 kinds.

#include <vector>

#include "api/kind_spec.h"

namespace haru::api::events {

const KindSpec& EventKind();
// events.k8s.io/v1 Event -> core/v1 Event field names (regarding -> involvedObject, note ->
// message, deprecated* -> their core names), as upstream's conversion.
Json ToCoreEvent(const Json& event);
void RegisterEventsKinds(std::vector<const KindSpec*>& out);

}  // namespace haru::api::events
