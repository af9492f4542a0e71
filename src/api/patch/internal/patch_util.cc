#include "api/patch/internal/patch_util.h"

#include <utility>
#include <vector>

namespace haru::api::patch::internal {

Status CheckNestingDepth(const Json& doc, int max_depth, std::string_view what) {
  // Explicit stack of (node, depth): never recurses.
  std::vector<std::pair<const Json*, int>> stack;
  stack.emplace_back(&doc, 1);
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (!node->is_structured()) continue;
    if (depth > max_depth) {
      return Status::BadRequest(std::string(what) + " exceeds the maximum nesting depth of " +
                                std::to_string(max_depth));
    }
    if (node->is_object()) {
      for (const auto& [key, value] : node->items()) {
        (void)key;
        if (value.is_structured()) stack.emplace_back(&value, depth + 1);
      }
    } else {
      for (const auto& value : *node) {
        if (value.is_structured()) stack.emplace_back(&value, depth + 1);
      }
    }
  }
  return Status::OK();
}

int NestingDepth(const Json& doc, int cap) {
  int deepest = 0;
  std::vector<std::pair<const Json*, int>> stack;
  stack.emplace_back(&doc, 1);
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (!node->is_structured()) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > cap) return cap + 1;
    for (const auto& value : *node) {
      if (value.is_structured()) stack.emplace_back(&value, depth + 1);
    }
  }
  return deepest;
}

Status UnprocessablePatch(std::string cause) {
  StatusDetails details;
  details.causes.push_back(StatusCause{"UnexpectedServerResponse", std::move(cause), ""});
  return Status::Invalid("the server rejected our request due to an error in our request")
      .WithDetails(std::move(details));
}

std::string_view GoJsonKind(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "number";
    default: return "null";
  }
}

std::string ShortJson(const Json& v) {
  std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr size_t kMax = 256;
  if (s.size() > kMax) {
    s.resize(kMax);
    s += "...";
  }
  return s;
}

}  // namespace haru::api::patch::internal
