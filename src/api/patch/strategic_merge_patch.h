#pragma once
// Strategic merge patch (application/strategic-merge-patch+json), the patch kubectl sends for
// `apply` (client-side, 3-way), `edit`, `label`, `annotate`, `scale`, `set image`, and as
// upstream's k8s.io/apimachinery/pkg/util/strategicpatch applies it on the server:
//   - objects merge recursively; `null` deletes a member;
//   - lists whose Field has patch_strategy "merge" merge: lists of objects by
//     patch_merge_key (containers by name, ports by containerPort, ...), lists of scalars as
//     sets; every other list is replaced;
//   - directives: {"$patch": "replace"|"delete"} in an object; list elements
//     {"$patch": "replace"} (replace the whole list) and {"<key>": v, "$patch": "delete"};
//     "$retainKeys": [...]; "$deleteFromPrimitiveList/<field>": [...];
//     "$setElementOrder/<field>": [...] (the order of the merged list);
//   - where there is no schema (nullptr, kAny, unknown fields), objects still merge, lists are
//     replaced, and directives still apply (JSON merge patch semantics plus directives).
// Stateless; safe to call concurrently. The Schema tree is only read.

#include "api/schema/schema.h"
#include "common/json.h"
#include "common/status.h"

namespace haru::api::patch {

// Returns `original` with the strategic merge `patch` applied, guided by `schema` (the
// schema of the whole object, e.g. io.k8s.api.core.v1.Pod; may be nullptr).
// Errors, as upstream's interpretStrategicMergePatchError maps them:
//   - a patch that is not a JSON object: 400 BadRequest
//     ("json: cannot unmarshal array into Go value of type map[string]interface {}");
//   - malformed directives ($retainKeys, $deleteFromPrimitiveList, $setElementOrder not a
//     list or not matching): 400 BadRequest with upstream's message, e.g.
//     "invalid patch format of retainKeys";
//   - lists of lists under a merge strategy: 422 Invalid (message "the server rejected our
//     request due to an error in our request", cause "lists of lists are not supported");
//   - other shape errors (a list element without its merge key, unknown "$patch" value,
//     mixed element types, nesting deeper than kMaxNestingDepth): 400 BadRequest with a
//     message naming the problem (upstream answers these with a bare 500).
StatusOr<Json> ApplyStrategicMergePatch(const Json& original, const Json& patch,
                                        const Schema* schema);

}  // namespace haru::api::patch
