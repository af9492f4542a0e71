#pragma once
// The 409 an apply gets when it would change fields another manager owns, worded as
// upstream's fieldmanager NewConflictError (kubectl prints it and adds its own advice).

#include <string>
#include <vector>

#include "api/managedfields/managed_fields.h"
#include "common/status.h"

namespace haru::api::managedfields::internal {

struct Conflict {
  std::string manager;  // as printed: `"a"`, `"kubectl-edit" using v1`
  std::string path;     // `.data.key`
};

// `"name"`, `"name" with subresource "status"`, and ` using <apiVersion>` for Update entries.
std::string PrintManager(const ManagedFieldsEntry& entry);

// "Apply failed with 1 conflict: conflict with "a": .data.key", or for several:
// "Apply failed with 2 conflicts: conflicts with "a":\n- .data.x\n- .data.y"; one
// FieldManagerConflict cause per field.
Status ConflictError(std::vector<Conflict> conflicts);

}  // namespace haru::api::managedfields::internal
