#include "common/selectors/field_selector.h"

namespace haru {

namespace {
std::string Unescape(std::string_view v) {
  // Upstream escapes ',' '=' and '\' in values with a backslash.
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}
std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}
}  // namespace

StatusOr<FieldSelector> FieldSelector::Parse(std::string_view text) {
  FieldSelector sel;
  text = Trim(text);
  if (text.empty()) return sel;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    bool end = i == text.size();
    if (!end && text[i] == '\\') {
      ++i;
      continue;
    }
    if (!end && text[i] != ',') continue;
    std::string_view term = Trim(text.substr(start, i - start));
    start = i + 1;
    Requirement req;
    size_t op = term.find("!=");
    size_t len = 2;
    if (op == std::string_view::npos) {
      op = term.find("==");
      if (op == std::string_view::npos) {
        op = term.find('=');
        len = 1;
      }
    } else {
      req.equals = false;
    }
    if (op == std::string_view::npos || op == 0) {
      return Status::BadRequest("invalid selector: '" + std::string(text) +
                                "'; can't understand '" + std::string(term) + "'");
    }
    req.field = std::string(Trim(term.substr(0, op)));
    req.value = Unescape(Trim(term.substr(op + len)));
    sel.requirements_.push_back(std::move(req));
  }
  return sel;
}

}  // namespace haru
