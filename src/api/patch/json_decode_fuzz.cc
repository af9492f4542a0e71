// libFuzzer target for haru::ParseJson (and ToJson round trips of what it accepts).
// ParseJson itself accepts any nesting depth; ToJson, copies and comparisons of nlohmann
// documents recurse, so only documents within kMaxNestingDepth are round-tripped here.
// When yaml-cpp decoding is added (common/yaml.cc), give it a target of its own.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/patch/internal/patch_util.h"
#include "api/patch/patch_limits.h"
#include "common/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = haru::ParseJson(text);
  if (!doc.ok()) return 0;
  using haru::api::patch::kMaxNestingDepth;
  if (haru::api::patch::internal::NestingDepth(*doc, kMaxNestingDepth) > kMaxNestingDepth) {
    return 0;
  }
  std::string out = haru::ToJson(*doc);
  auto again = haru::ParseJson(out);
  if (!again.ok()) __builtin_trap();
  // NaN cannot come out of the parser; equality must hold after a round trip.
  if (*again != *doc) __builtin_trap();
  return 0;
}
