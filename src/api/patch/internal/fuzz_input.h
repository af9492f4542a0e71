#pragma once
// Shared by the patch fuzz targets (*_fuzz.cc, built by scripts/fuzz.sh only): splits one
// fuzz input into a document and a patch at the first NUL byte and parses both with
// haru::ParseJson. Inputs without a NUL patch a small fixed document.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "api/patch/internal/patch_util.h"
#include "api/patch/patch_limits.h"
#include "common/json.h"

namespace haru::api::patch::internal {

inline std::optional<std::pair<Json, Json>> SplitFuzzInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view doc_text = R"({"metadata":{"name":"a","labels":{"x":"1"},"finalizers":["f"]},)"
                              R"("spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":80}]}]}})";
  std::string_view patch_text = input;
  size_t nul = input.find('\0');
  if (nul != std::string_view::npos) {
    doc_text = input.substr(0, nul);
    patch_text = input.substr(nul + 1);
  }
  auto doc = ParseJson(doc_text);
  auto patch = ParseJson(patch_text);
  if (!doc.ok() || !patch.ok()) return std::nullopt;
  return std::make_pair(std::move(*doc), std::move(*patch));
}

// Serializes a patch result the way the server will, which also checks that it is sound.
inline void ConsumeResult(const Json& result) {
  // ToJson recurses; a result deeper than the limit would mean the limit leaked.
  if (NestingDepth(result, kMaxNestingDepth) > kMaxNestingDepth) __builtin_trap();
  std::string text = ToJson(result);
  auto again = ParseJson(text);
  if (!again.ok() || *again != result) __builtin_trap();
}

}  // namespace haru::api::patch::internal
