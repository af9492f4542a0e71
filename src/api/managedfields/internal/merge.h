#pragma once
// The object side of server-side apply: merging an applied configuration into the live
// object, and pruning what the applier stopped applying.

#include "api/managedfields/field_set.h"
#include "api/managedfields/internal/schema_walk.h"
#include "common/json.h"

namespace haru::api::managedfields::internal {

// `config` merged into `live` (structured-merge-diff's Merge): structs and maps merge by key,
// list-maps and sets by item (the config's order for its items, live-only items kept in
// place), atomic values are replaced.
Json Merge(const Json* live, const Json& config, const Type& type);

// Removes from `value` what `last` (the applier's previous set) owned and no manager owns
// now (`owned`, the union of every manager's set, the applier's new one included). A struct
// field or map emptied by that removal goes too. Returns whether anything was removed.
bool Prune(Json& value, const Type& type, const FieldSet& last, const FieldSet* owned);

// Drops null members of objects: in an applied configuration they mean "not set".
void DropNulls(Json& value);

}  // namespace haru::api::managedfields::internal
