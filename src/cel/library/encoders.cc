// The encoders extension: base64.encode(bytes) -> string, base64.decode(string) -> bytes
// (padding optional on decode, as upstream accepts).

#include "cel/library/standard.h"
#include "common/base64.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value Encode(const Value* a, EvalContext&) { return Value::String(Base64Encode(a[0].string_value())); }

Value Decode(const Value* a, EvalContext&) {
  std::string text(a[0].string_value());
  while (text.size() % 4 != 0) text.push_back('=');
  auto decoded = Base64Decode(text);
  if (!decoded) return Value::Error("base64.decode: illegal base64 data");
  return Value::Bytes(*decoded);
}

}  // namespace

void RegisterEncoderFunctions(FunctionRegistry& r) {
  r.AddGlobal("base64.encode", "base64_encode_bytes", {K::kBytes}, Encode);
  r.AddGlobal("base64.decode", "base64_decode_string", {K::kString}, Decode);
}

}  // namespace haru::cel
