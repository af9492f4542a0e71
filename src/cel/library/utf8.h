#pragma once
// UTF-8 helpers for string functions: validation and code-point counting.

#include <cstddef>
#include <string_view>

namespace haru::cel {

bool IsValidUtf8(std::string_view s);
// Number of code points (size() of a CEL string).
size_t CodePointCount(std::string_view s);

}  // namespace haru::cel
