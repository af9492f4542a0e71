#pragma once
// List continue tokens: base64 of {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key>"}, the
// same content upstream's etcd3 store encodes, so a page continues on the same snapshot.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace haru::registry {

struct ContinueToken {
  int64_t revision = 0;
  std::string start_after;  // key relative to the list prefix; the next page starts after it
};

std::string EncodeContinueToken(const ContinueToken& token);
// BadRequest "invalid continue token: continue key is not valid: ..." (upstream's text).
StatusOr<ContinueToken> DecodeContinueToken(std::string_view token);

}  // namespace haru::registry
