#pragma once
// The field sets of objects, walked with their schema (structured-merge-diff's ToFieldSet and
// Compare). Struct fields and map keys are granular; list-maps and sets are granular by item;
// atomic lists, fields without a schema and empty objects/lists are leaves. Null members are
// treated as absent.

#include "api/managedfields/field_set.h"
#include "api/schema/schema.h"
#include "common/json.h"

namespace haru::api::managedfields {

// Every field `obj` sets: leaves, plus list items themselves (".") — what an applier owns.
FieldSet FieldsOf(const Json& obj, const Schema* schema);

// What changed from `old_obj` (null: nothing, as on create) to `new_obj`. A newly present
// map or list item is added together with its own path, as upstream records it (".").
struct Comparison {
  FieldSet added;
  FieldSet modified;
  FieldSet removed;
};
Comparison Compare(const Json* old_obj, const Json& new_obj, const Schema* schema);

}  // namespace haru::api::managedfields
