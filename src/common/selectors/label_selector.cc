#include "common/selectors/label_selector.h"

#include <algorithm>
#include <cctype>

namespace haru {

namespace {

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}
  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ >= s_.size();
  }
  bool Consume(std::string_view tok) {
    SkipSpace();
    if (s_.substr(pos_, tok.size()) == tok) {
      pos_ += tok.size();
      return true;
    }
    return false;
  }
  // A key or value: anything up to a delimiter.
  std::string Word() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '=' || c == '!' ||
          c == '(' || c == ')')
        break;
      ++pos_;
    }
    return std::string(s_.substr(start, pos_ - start));
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

Status Bad(std::string_view text, std::string why) {
  return Status::BadRequest("unable to parse requirement: " + why + " in selector \"" +
                            std::string(text) + "\"");
}

}  // namespace

StatusOr<LabelSelector> LabelSelector::Parse(std::string_view text) {
  LabelSelector sel;
  Lexer lx(text);
  if (lx.AtEnd()) return sel;
  while (true) {
    Requirement req;
    if (lx.Consume("!")) {
      req.key = lx.Word();
      if (req.key.empty()) return Bad(text, "found '!' without a key");
      req.op = Op::kDoesNotExist;
    } else {
      req.key = lx.Word();
      if (req.key.empty()) return Bad(text, "found an empty key");
      if (lx.Consume("==") || lx.Consume("=")) {
        req.op = Op::kEquals;
        req.values.push_back(lx.Word());
      } else if (lx.Consume("!=")) {
        req.op = Op::kNotEquals;
        req.values.push_back(lx.Word());
      } else {
        std::string word;
        Lexer probe = lx;
        word = probe.Word();
        if (word == "in" || word == "notin") {
          lx = probe;
          req.op = word == "in" ? Op::kIn : Op::kNotIn;
          if (!lx.Consume("(")) return Bad(text, "expected '(' after '" + word + "'");
          while (true) {
            std::string v = lx.Word();
            req.values.push_back(v);
            if (lx.Consume(",")) continue;
            if (lx.Consume(")")) break;
            return Bad(text, "expected ',' or ')' in value set");
          }
        } else {
          req.op = Op::kExists;
        }
      }
    }
    sel.requirements_.push_back(std::move(req));
    if (lx.AtEnd()) break;
    if (!lx.Consume(",")) return Bad(text, "expected ','");
  }
  return sel;
}

bool LabelSelector::Matches(const Labels& labels) const {
  for (const Requirement& r : requirements_) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    switch (r.op) {
      case Op::kExists:
        if (!has) return false;
        break;
      case Op::kDoesNotExist:
        if (has) return false;
        break;
      case Op::kEquals:
      case Op::kIn:
        if (!has || std::find(r.values.begin(), r.values.end(), it->second) == r.values.end())
          return false;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        if (has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end())
          return false;
        break;
    }
  }
  return true;
}

}  // namespace haru
