// libFuzzer target for api::DecodeKubernetesProtobuf with the built-in schemas, built by
// scripts/fuzz.sh. Seeds (testdata/fuzz/protobuf_decode/) are envelopes for a Namespace,
// ConfigMap and Pod, written by gen_seeds.py beside them. A decoded document must serialize
// with ToJson and parse back with ParseJson, as the server stores and serves it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/protobuf/decode.h"
#include "api/schema/schema.h"
#include "common/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const haru::api::SchemaRegistry& schemas = haru::api::BuiltinSchemas();
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto doc = haru::api::DecodeKubernetesProtobuf(body, schemas);
  if (!doc.ok()) {
    if (doc.status().code() != haru::StatusCode::kBadRequest) __builtin_trap();
    return 0;
  }
  std::string out = haru::ToJson(*doc);
  auto again = haru::ParseJson(out);
  if (!again.ok()) __builtin_trap();
  return 0;
}
