#include "registry/continue_token.h"

#include "common/base64.h"
#include "common/json.h"

namespace haru::registry {

std::string EncodeContinueToken(const ContinueToken& token) {
  Json doc = {{"v", "meta.k8s.io/v1"}, {"rv", token.revision}, {"start", token.start_after + '\0'}};
  return Base64UrlEncode(ToJson(doc));
}

StatusOr<ContinueToken> DecodeContinueToken(std::string_view text) {
  auto bad = [](std::string why) { return Status::BadRequest("continue key is not valid: " + why); };
  auto raw = Base64UrlDecode(text);
  if (!raw) return bad("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  Json doc = Json::parse(*raw, nullptr, false);
  if (!doc.is_object() || doc.value("v", "") != "meta.k8s.io/v1") {
    return bad("server does not recognize this encoded key");
  }
  ContinueToken token;
  if (!doc.contains("rv") || !doc["rv"].is_number_integer() || doc["rv"].get<int64_t>() <= 0) {
    return bad("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
  token.revision = doc["rv"].get<int64_t>();
  std::string start = doc.value("start", "");
  if (!start.empty() && start.back() == '\0') start.pop_back();
  if (start.find("..") != std::string::npos || (!start.empty() && start[0] == '/')) {
    return bad("continue key is not valid");
  }
  token.start_after = start;
  return token;
}

}  // namespace haru::registry
