#pragma once
// Shared by core/v1 Event and events.k8s.io/v1 Event: upstream stores both as one internal
// Event, so validation paths, table columns and field selectors use core/v1 field names.

#include <functional>
#include <vector>

#include "api/kind_spec.h"

namespace haru::api::core {

// Upstream's legacyValidateEvent (+ the strict events.k8s.io/v1 rules when `strict`).
// `event` is in core/v1 shape. `reporting_field` is "reportingComponent" for core/v1,
// "reportingController" otherwise.
FieldErrors ValidateEventShape(const Json& event, bool strict, const char* reporting_field);
// printEvent's columns; `to_core` converts the stored object to core/v1 shape first.
std::vector<TableColumn> EventColumns(std::function<Json(const Json&)> to_core);
std::vector<SelectableField> EventSelectableFields(std::function<Json(const Json&)> to_core);

}  // namespace haru::api::core
