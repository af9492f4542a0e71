#pragma once
// Text renderings shared by string() conversions, DebugString and error messages.

#include <cstdint>
#include <string>
#include <string_view>

namespace haru::cel {

// string(double): the shortest text that reads back as the same double ("1.5", "1e+100").
std::string FormatDouble(double d);
// A double-quoted CEL string literal with escapes for quotes, backslashes and controls.
std::string QuoteString(std::string_view s);

}  // namespace haru::cel
