#include "api/managedfields/internal/conflict.h"

#include <algorithm>

namespace haru::api::managedfields::internal {

std::string PrintManager(const ManagedFieldsEntry& entry) {
  std::string out = Json(entry.manager).dump();
  if (!entry.subresource.empty()) out += " with subresource " + Json(entry.subresource).dump();
  if (entry.operation == "Update") out += " using " + entry.api_version;
  return out;
}

Status ConflictError(std::vector<Conflict> conflicts) {
  std::string message;
  if (conflicts.size() == 1) {
    message = "Apply failed with 1 conflict: conflict with " + conflicts[0].manager + ": " +
              conflicts[0].path;
  } else {
    std::vector<Conflict> sorted = conflicts;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Conflict& a, const Conflict& b) { return a.manager < b.manager; });
    message = "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: ";
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i == 0 || sorted[i].manager != sorted[i - 1].manager) {
        if (i > 0) message += "\n";
        message += "conflicts with " + sorted[i].manager + ":";
      }
      message += "\n- " + sorted[i].path;
    }
  }
  Status s = Status::Conflict(std::move(message));
  for (Conflict& c : conflicts) {
    s.mutable_details().causes.push_back(
        {"FieldManagerConflict", "conflict with " + c.manager, std::move(c.path)});
  }
  return s;
}

}  // namespace haru::api::managedfields::internal
