#pragma once
// Limits shared by the patch appliers. They keep hostile patches from exhausting the stack
// (recursion over nested documents), memory (`copy` amplification) or CPU.

#include <cstdint>

namespace haru::api::patch {

// Objects and arrays nested deeper than this, in the original or in the patch, are rejected
// with BadRequest before any recursive work. Real Kubernetes objects stay below ~30 levels.
inline constexpr int kMaxNestingDepth = 1000;

// Upstream's maxJSONPatchOperations: more operations is 413 RequestEntityTooLarge.
inline constexpr int64_t kMaxJsonPatchOperations = 10000;

// Upstream's default JSONPatchMaxCopyBytes (3 MiB): the total serialized size that `copy`
// operations of one JSON patch may add.
inline constexpr int64_t kMaxJsonPatchCopyBytes = 3 * 1024 * 1024;

}  // namespace haru::api::patch
