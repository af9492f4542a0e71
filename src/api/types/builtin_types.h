#pragma once
// The declarations of every built-in type (format: api/schema/declarations.h), one function
// per API group-version. BuiltinSchemas() (api/schema/schema.h) parses them once.

#include <string_view>
#include <vector>

#include "api/schema/declarations.h"

namespace haru::api::types {

std::string_view MetaV1Declarations();
std::string_view CoreV1Declarations();
std::string_view EventsV1Declarations();
std::string_view CoordinationV1Declarations();
std::string_view BatchV1Declarations();
std::string_view ResourceV1Declarations();
std::string_view ResourceV1beta2Declarations();

// All of the above, in a fixed order.
std::vector<DeclarationSource> BuiltinDeclarationSources();

}  // namespace haru::api::types
