#pragma once
// Base64 (RFC 4648) standard and URL alphabets. Decoding returns nullopt on bad input.

#include <optional>
#include <string>
#include <string_view>

namespace haru {

std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);
// URL-safe alphabet without padding (continue tokens), as Go's base64.RawURLEncoding.
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace haru
