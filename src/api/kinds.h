#pragma once
// Every built-in kind haru serves, registered explicitly by each group's register.cc
// (src/api/core/register.cc, ...). The list is fixed at start-up and ordered: groups in
// upstream's discovery order, kinds in registration order.

#include <string_view>
#include <vector>

#include "api/kind_spec.h"

namespace haru::api {

const std::vector<const KindSpec*>& BuiltinKinds();

// Lookup by group, version and plural ("", "v1", "pods"); null when not served.
const KindSpec* FindKindByResource(std::string_view group, std::string_view version,
                                   std::string_view plural);
// Lookup by group, version and kind ("", "v1", "Pod"); null when not served.
const KindSpec* FindKindByKind(std::string_view group, std::string_view version,
                               std::string_view kind);

}  // namespace haru::api
