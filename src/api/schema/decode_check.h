#pragma once
// Checks a decoded JSON object against its schema the way upstream's decoder does:
//  - FindUnknownFields: fields the schema does not declare (fieldValidation=Strict / Warn);
//  - CheckTypes: JSON values of the wrong type (always a 400, whatever fieldValidation says).
// Both are pure functions of (object, schema).

#include <string>
#include <string_view>
#include <vector>

#include "api/schema/schema.h"
#include "common/json.h"
#include "common/status.h"

namespace haru::api {

// Paths of the fields `obj` has but `schema` does not declare, in upstream's form:
// "spec.containers[0].imagee", "metadata.labelz". apiVersion and kind at the top level are
// always known. Fields under kAny schemas (RawExtension) are never unknown. Keys are visited
// in nlohmann's (sorted) order, not document order.
std::vector<std::string> FindUnknownFields(const Json& obj, const Schema& schema);

// "strict decoding error: unknown field \"spec.foo\", unknown field \"spec.bar\"".
std::string StrictDecodingErrorMessage(const std::vector<std::string>& unknown_fields);
// The Warning header values for fieldValidation=Warn: one `unknown field "spec.foo"` each.
std::vector<std::string> UnknownFieldWarnings(const std::vector<std::string>& unknown_fields);

// 400 BadRequest "<Kind> in version \"<v>\" cannot be handled as a <Kind>: <detail>", the
// shape upstream's create/update handlers give decode errors (including strict ones).
Status DecodeError(const GroupVersionKind& gvk, std::string_view detail);

// OK when every value has a JSON type its schema accepts (null is accepted anywhere, as Go's
// decoder ignores it; quantities may be strings or numbers; int-or-string integers or
// strings). Otherwise DecodeError(gvk, "json: cannot unmarshal <value> into Go struct field
// <Struct>.<json.path> of type <go type>") for the first mismatch, e.g.
//   Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go
//   struct field PodSpec.spec.hostUsers of type bool
// The Go type is derived from the schema (enum-typed strings print as "string").
Status CheckTypes(const Json& obj, const Schema& schema, const GroupVersionKind& gvk);

}  // namespace haru::api
