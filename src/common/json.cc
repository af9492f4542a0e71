#include "common/json.h"

#include <utility>
#include <vector>

namespace haru {

namespace {

// Nesting deeper than kMaxJsonDepth is refused before parsing: nlohmann's copy, compare and
// dump recurse, so a 100,000-deep document would overflow the stack later.
bool TooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace

StatusOr<Json> ParseJson(std::string_view text) {
  if (TooDeep(text)) {
    return Status::BadRequest("the JSON document is nested more than " +
                              std::to_string(kMaxJsonDepth) + " levels deep");
  }
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Re-parse with exceptions only on the error path to get the position and reason.
    try {
      Json again = Json::parse(text);
      (void)again;
    } catch (const Json::exception& e) {
      std::string what = e.what();
      // "[json.exception.parse_error.101] parse error at line 1, column 3: ..." -> after "] "
      auto pos = what.find("] ");
      return Status::BadRequest(pos == std::string::npos ? what : what.substr(pos + 2));
    }
    return Status::BadRequest("invalid JSON");
  }
  return doc;
}

bool NestedDeeperThan(const Json& doc, int max_depth) {
  std::vector<std::pair<const Json*, int>> stack;
  stack.emplace_back(&doc, 1);
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > max_depth) return true;
    for (const Json& child : *node) {
      if (child.is_structured()) stack.emplace_back(&child, depth + 1);
    }
  }
  return false;
}

std::string ToJson(const Json& doc) {
  return doc.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace haru
