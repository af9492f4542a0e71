// libFuzzer target for haru::ParseYaml (YAML request bodies), built by scripts/fuzz.sh.
// Whatever ParseYaml accepts must serialize with ToJson and parse back with ParseJson: the
// server stores and serves exactly that, so a decoded body that cannot re-parse (too deep,
// say) would be an object nobody can read back.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = haru::ParseYaml(text);
  if (!doc.ok()) {
    if (doc.status().code() != haru::StatusCode::kBadRequest) __builtin_trap();
    return 0;
  }
  std::string out = haru::ToJson(*doc);
  auto again = haru::ParseJson(out);
  if (!again.ok()) __builtin_trap();
  return 0;
}
