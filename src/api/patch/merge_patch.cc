#include "api/patch/merge_patch.h"

#include <string>
#include <utility>

#include "api/patch/internal/patch_util.h"
#include "api/patch/patch_limits.h"

namespace haru::api::patch {
namespace {

// Drops null members of objects, recursively, also in objects inside arrays; null array
// elements stay (upstream's pruneNulls).
void PruneNulls(Json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (it->is_null()) {
        it = v.erase(it);
      } else {
        PruneNulls(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (Json& e : v) {
      if (!e.is_null()) PruneNulls(e);
    }
  }
}

void MergeInto(Json& doc, const Json& patch);

// upstream's merge(cur, patch): objects merge; a non-object current value takes the pruned
// patch; an object replaced by a non-object takes the patch as it is.
void MergeValue(Json& cur, const Json& patch) {
  if (!cur.is_object()) {
    cur = patch;
    PruneNulls(cur);
    return;
  }
  if (!patch.is_object()) {
    cur = patch;
    return;
  }
  MergeInto(cur, patch);
}

void MergeInto(Json& doc, const Json& patch) {
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      doc.erase(key);
      continue;
    }
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) {
      Json added = value;
      PruneNulls(added);
      doc[key] = std::move(added);
    } else {
      MergeValue(*it, value);
    }
  }
}

}  // namespace

StatusOr<Json> ApplyMergePatch(const Json& original, const Json& patch) {
  try {
    if (!patch.is_structured()) return Status::BadRequest("Invalid JSON Patch");
    HARU_RETURN_IF_ERROR(internal::CheckNestingDepth(patch, kMaxNestingDepth, "the patch"));
    HARU_RETURN_IF_ERROR(internal::CheckNestingDepth(original, kMaxNestingDepth, "the object"));
    if (patch.is_array() || !original.is_object()) {
      // Not two objects: the patch becomes the document.
      Json result = patch;
      PruneNulls(result);
      return result;
    }
    Json result = original;
    MergeInto(result, patch);
    return result;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("merge patch: ") + e.what());
  }
}

}  // namespace haru::api::patch
