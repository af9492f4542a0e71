#pragma once
// Helpers shared by the three patch kinds: nesting-depth limits, the 422 status upstream
// returns for patches that do not apply, and Go-style type names for error messages.
// Stateless; safe to call from any thread.

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace haru::api::patch::internal {

// Returns BadRequest when `doc` nests arrays/objects deeper than `max_depth`. Iterative, so it
// is safe on any input, however deep.
Status CheckNestingDepth(const Json& doc, int max_depth, std::string_view what);

// The number of nested object/array levels in `doc` (0 for a scalar), counting at most
// `cap` + 1: a result above `cap` means "too deep". Iterative.
int NestingDepth(const Json& doc, int cap);

// Upstream answers a patch that cannot be applied with
// NewGenericServerResponse(422, ...): reason Invalid, a fixed message, and the specific error
// as a cause of type "UnexpectedServerResponse".
Status UnprocessablePatch(std::string cause);

// The kind word Go's encoding/json uses in "cannot unmarshal <kind> into ..." messages.
std::string_view GoJsonKind(const Json& v);

// Compact JSON for messages, cut to a readable length.
std::string ShortJson(const Json& v);

}  // namespace haru::api::patch::internal
