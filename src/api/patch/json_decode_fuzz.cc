// libFuzzer target for haru::ParseJson (and ToJson round trips of what it accepts).
// ParseJson refuses nesting deeper than 1000 (common/json.cc); the depth check below also
// keeps the round trip honest should that limit ever be raised past kMaxNestingDepth.
// YAML bodies have their own target, yaml_decode_fuzz.cc.
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
