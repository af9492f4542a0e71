#include "common/json.h"

namespace haru {

StatusOr<Json> ParseJson(std::string_view text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Re-parse with exceptions only on the error path to get the position and reason.
    try {
      Json again = Json::parse(text);
      (void)again;
    } catch (const Json::parse_error& e) {
      std::string what = e.what();
      // "[json.exception.parse_error.101] parse error at line 1, column 3: ..." -> after "] "
      auto pos = what.find("] ");
      return Status::BadRequest(pos == std::string::npos ? what : what.substr(pos + 2));
    }
    return Status::BadRequest("invalid JSON");
  }
  return doc;
}

std::string ToJson(const Json& doc) {
  return doc.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace haru
