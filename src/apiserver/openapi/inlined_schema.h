#pragma once
// A kind's OpenAPI v3 schema with every $ref inlined: the self-contained shape CEL's
// TypeFromSchema reads to type `object` and `oldObject` of admission policy expressions.

#include "api/kind_spec.h"
#include "common/json.h"

namespace haru::apiserver::openapi {

// The schema of `kind` from its group-version's OpenAPI v3 document, references replaced by
// the schemas they name (`allOf: [ref]` wrappers merged into their field). A reference to a
// type that is already being inlined further up becomes an untyped schema, so recursive types
// end; depth is bounded too.
Json InlinedSchema(const api::KindSpec& kind);

}  // namespace haru::apiserver::openapi
