#pragma once
// JSON Patch (RFC 6902, application/json-patch+json) as the Kubernetes API server applies it
// (gopkg.in/evanphx/json-patch.v4): add, remove, replace, move, copy, test; "-" appends;
// JSON Pointer escapes ~0 and ~1; negative array indices count from the end (v4 default).
// Stateless; safe to call concurrently.

#include "common/json.h"
#include "common/status.h"

namespace haru::api::patch {

// Applies the operations in `patch_ops` to a copy of `original` and returns the result.
// Errors, with upstream's reasons and codes:
//   - `patch_ops` is not a JSON array (or an element is not an object): 400 BadRequest,
//     "json: cannot unmarshal object into Go value of type jsonpatch.Patch".
//   - more than kMaxJsonPatchOperations operations: 413 RequestEntityTooLarge.
//   - nesting deeper than kMaxNestingDepth: 400 BadRequest.
//   - an operation that does not apply (failed test, missing path, bad index, unknown or
//     missing "op", missing "path"/"from", copy limit exceeded): 422 Invalid with message
//     "the server rejected our request due to an error in our request" and one cause of type
//     "UnexpectedServerResponse" carrying the specific error, e.g.
//     "testing value /metadata/labels/a failed: test failed".
// Upstream quirks kept on purpose: "replace" of a missing object member adds it; a missing
// "value" means null; "test" of a missing member against null (or no value) succeeds.
StatusOr<Json> ApplyJsonPatch(const Json& original, const Json& patch_ops);

}  // namespace haru::api::patch
