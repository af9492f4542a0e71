// libFuzzer target for ApplyMergePatch. Input: document, NUL, patch (or just a patch).
#include <cstddef>
#include <cstdint>

#include "api/patch/internal/fuzz_input.h"
#include "api/patch/merge_patch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto input = haru::api::patch::internal::SplitFuzzInput(data, size);
  if (!input) return 0;
  auto result = haru::api::patch::ApplyMergePatch(input->first, input->second);
  if (result.ok()) haru::api::patch::internal::ConsumeResult(*result);
  return 0;
}
