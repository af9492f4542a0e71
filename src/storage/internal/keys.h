#pragma once
// Key-range helpers shared by the backends and the watch cache. Keys compare as raw bytes.

#include <cstdint>
#include <string>
#include <string_view>

namespace haru::storage::internal {

inline bool HasPrefix(std::string_view key, std::string_view prefix) {
  return key.substr(0, prefix.size()) == prefix;
}

// The smallest key greater than every key with `prefix`; "" when there is none (prefix is
// empty or all 0xff), meaning "no upper bound".
inline std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& c = reinterpret_cast<unsigned char&>(end.back());
    if (c != 0xff) {
      ++c;
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace haru::storage::internal
