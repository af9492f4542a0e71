#include "registry/continue_token.h"

#include "common/base64.h"
#include "common/json.h"

namespace haru::registry {

std::string EncodeContinueToken(const ContinueToken& token) {
  Json doc = {{"v", "meta.k8s.io/v1"}, {"rv", token.revision}, {"start", token.start_after + '\0'}};
  return Base64UrlEncode(ToJson(doc));
}

StatusOr<ContinueToken> DecodeContinueToken(std::string_view text) {
  // Upstream's messages: storage.DecodeContinue's errors behind "invalid continue token: ".
  auto bad = [](std::string_view why) {
    return Status::BadRequest("invalid continue token: continue key is not valid" +
                              std::string(why));
  };
  auto raw = Base64UrlDecode(text);
  if (!raw) return bad(": illegal base64 data");
  Json doc = Json::parse(*raw, nullptr, false);
  if (!doc.is_object()) return bad(": invalid JSON");
  std::string version = doc.contains("v") && doc["v"].is_string() ? doc["v"].get<std::string>() : "";
  if (version != "meta.k8s.io/v1") {
    return bad(": server does not recognize this encoded version " + version);
  }
  if (!doc.contains("rv") || !doc["rv"].is_number_integer() || doc["rv"].get<int64_t>() == 0) {
    return bad(": incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  }
  ContinueToken token;
  token.revision = doc["rv"].get<int64_t>();
  if (token.revision < 0) return bad(": incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  std::string start = doc.contains("start") && doc["start"].is_string()
                          ? doc["start"].get<std::string>()
                          : "";
  if (start.empty()) return bad(": encoded start key empty (version meta.k8s.io/v1)");
  if (start.back() == '\0') start.pop_back();
  // A key may not climb out of the list prefix (upstream compares it with path.Clean).
  if (start.find("..") != std::string::npos || start.find("//") != std::string::npos ||
      (!start.empty() && start[0] == '/')) {
    return bad(": " + start);
  }
  token.start_after = start;
  return token;
}

}  // namespace haru::registry
