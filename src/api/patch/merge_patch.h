#pragma once
// JSON Merge Patch (RFC 7386, application/merge-patch+json) as the Kubernetes API server
// applies it (gopkg.in/evanphx/json-patch.v4 MergePatch): objects merge member by member,
// null deletes a member, anything else (arrays included) replaces. Stateless; thread-safe.

#include "common/json.h"
#include "common/status.h"

namespace haru::api::patch {

// Returns `original` with `patch` merged in.
// Errors: a null, string, number or boolean patch is 400 BadRequest "Invalid JSON Patch"
// (upstream's ErrBadJSONPatch); nesting deeper than kMaxNestingDepth is 400 BadRequest.
// An array patch replaces the whole document (RFC 7386); the caller rejects the result when
// it does not decode as an object.
// Like upstream, nulls are dropped from values that are added (also inside objects nested in
// added arrays), but kept when an object member is replaced by a non-object value.
StatusOr<Json> ApplyMergePatch(const Json& original, const Json& patch);

}  // namespace haru::api::patch
