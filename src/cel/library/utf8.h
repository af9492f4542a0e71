#pragma once
// UTF-8 helpers for string functions: validation and code-point counting.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace haru::cel {

bool IsValidUtf8(std::string_view s);
// Number of code points (size() of a CEL string).
size_t CodePointCount(std::string_view s);

// The code points of `s`; a malformed byte decodes as U+FFFD, as Go's []rune(s) does.
std::vector<uint32_t> DecodeUtf8(std::string_view s);
void AppendUtf8(std::string* out, uint32_t code_point);
std::string EncodeUtf8(const uint32_t* begin, const uint32_t* end);

}  // namespace haru::cel
