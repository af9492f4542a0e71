#include "cel/parser/lexer.h"

#include <array>

#include "cel/library/utf8.h"

namespace haru::cel {
namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  return (c | 0x20) - 'a' + 10;
}

}  // namespace

bool IsReservedWord(std::string_view w) {
  static constexpr std::array<std::string_view, 17> kReserved = {
      "as", "break", "const", "continue", "else", "for", "function", "if", "import",
      "let", "loop", "package", "namespace", "return", "var", "void", "while"};
  for (auto r : kReserved) {
    if (r == w) return true;
  }
  return false;
}

Token Lexer::Error(int32_t offset, std::string message) {
  pos_ = src_.size();
  return Token{TokenKind::kError, offset, std::move(message)};
}

void Lexer::SkipSpaceAndComments() {
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
      while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
    } else {
      break;
    }
  }
}

Token Lexer::Next() {
  SkipSpaceAndComments();
  int32_t start = static_cast<int32_t>(pos_);
  if (pos_ >= src_.size()) return Token{TokenKind::kEof, start, ""};
  char c = src_[pos_];
  char n = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
  auto simple = [&](TokenKind k, size_t len) {
    pos_ += len;
    return Token{k, start, ""};
  };
  if (IsDigit(c) || (c == '.' && IsDigit(n))) return LexNumber();
  if (IsIdentStart(c)) {
    // String prefixes: r, b, and their combinations in either order and case.
    size_t p = pos_;
    bool raw = false, bytes = false;
    for (int i = 0; i < 2 && p < src_.size(); ++i) {
      char lc = static_cast<char>(src_[p] | 0x20);
      if (lc == 'r' && !raw) raw = true, ++p;
      else if (lc == 'b' && !bytes) bytes = true, ++p;
      else break;
    }
    if ((raw || bytes) && p < src_.size() && (src_[p] == '"' || src_[p] == '\'')) {
      return LexString(p - pos_, raw, bytes);
    }
    size_t end = pos_;
    while (end < src_.size() && IsIdentChar(src_[end])) ++end;
    Token t{TokenKind::kIdent, start, std::string(src_.substr(pos_, end - pos_))};
    pos_ = end;
    return t;
  }
  switch (c) {
    case '"':
    case '\'':
      return LexString(0, false, false);
    case '`': {
      size_t end = src_.find('`', pos_ + 1);
      if (end == std::string_view::npos) return Error(start, "unterminated quoted identifier");
      Token t{TokenKind::kBacktickIdent, start, std::string(src_.substr(pos_ + 1, end - pos_ - 1))};
      pos_ = end + 1;
      return t;
    }
    case '(': return simple(TokenKind::kLParen, 1);
    case ')': return simple(TokenKind::kRParen, 1);
    case '[': return simple(TokenKind::kLBracket, 1);
    case ']': return simple(TokenKind::kRBracket, 1);
    case '{': return simple(TokenKind::kLBrace, 1);
    case '}': return simple(TokenKind::kRBrace, 1);
    case '.': return simple(TokenKind::kDot, 1);
    case ',': return simple(TokenKind::kComma, 1);
    case ':': return simple(TokenKind::kColon, 1);
    case '?': return simple(TokenKind::kQuestion, 1);
    case '-': return simple(TokenKind::kMinus, 1);
    case '+': return simple(TokenKind::kPlus, 1);
    case '*': return simple(TokenKind::kStar, 1);
    case '/': return simple(TokenKind::kSlash, 1);
    case '%': return simple(TokenKind::kPercent, 1);
    case '!': return n == '=' ? simple(TokenKind::kNotEq, 2) : simple(TokenKind::kNot, 1);
    case '<': return n == '=' ? simple(TokenKind::kLessEq, 2) : simple(TokenKind::kLess, 1);
    case '>': return n == '=' ? simple(TokenKind::kGreaterEq, 2) : simple(TokenKind::kGreater, 1);
    case '=':
      if (n == '=') return simple(TokenKind::kEq, 2);
      break;
    case '&':
      if (n == '&') return simple(TokenKind::kAnd, 2);
      break;
    case '|':
      if (n == '|') return simple(TokenKind::kOr, 2);
      break;
    default:
      break;
  }
  return Error(start, std::string("token recognition error at: '") + c + "'");
}

Token Lexer::LexNumber() {
  int32_t start = static_cast<int32_t>(pos_);
  size_t p = pos_;
  if (src_[p] == '0' && p + 1 < src_.size() && (src_[p + 1] == 'x' || src_[p + 1] == 'X')) {
    p += 2;
    size_t digits = p;
    while (p < src_.size() && IsHex(src_[p])) ++p;
    if (p == digits) return Error(start, "invalid hex literal");
    std::string text(src_.substr(pos_, p - pos_));
    TokenKind kind = TokenKind::kInt;
    if (p < src_.size() && (src_[p] == 'u' || src_[p] == 'U')) ++p, kind = TokenKind::kUint;
    pos_ = p;
    return Token{kind, start, std::move(text)};
  }
  bool is_double = false;
  while (p < src_.size() && IsDigit(src_[p])) ++p;
  if (p + 1 < src_.size() && src_[p] == '.' && IsDigit(src_[p + 1])) {
    is_double = true;
    ++p;
    while (p < src_.size() && IsDigit(src_[p])) ++p;
  }
  if (p < src_.size() && (src_[p] == 'e' || src_[p] == 'E')) {
    size_t q = p + 1;
    if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
    if (q < src_.size() && IsDigit(src_[q])) {
      is_double = true;
      p = q;
      while (p < src_.size() && IsDigit(src_[p])) ++p;
    }
  }
  std::string text(src_.substr(pos_, p - pos_));
  TokenKind kind = is_double ? TokenKind::kDouble : TokenKind::kInt;
  if (!is_double && p < src_.size() && (src_[p] == 'u' || src_[p] == 'U')) {
    ++p;
    kind = TokenKind::kUint;
  }
  pos_ = p;
  return Token{kind, start, std::move(text)};
}

Token Lexer::LexString(size_t prefix_len, bool raw, bool bytes) {
  int32_t start = static_cast<int32_t>(pos_);
  size_t p = pos_ + prefix_len;
  char quote = src_[p];
  bool triple = p + 2 < src_.size() && src_[p + 1] == quote && src_[p + 2] == quote;
  p += triple ? 3 : 1;
  std::string out;
  while (true) {
    if (p >= src_.size()) return Error(start, "unterminated string literal");
    char c = src_[p];
    if (triple) {
      if (c == quote && p + 2 < src_.size() && src_[p + 1] == quote && src_[p + 2] == quote) {
        p += 3;
        break;
      }
    } else {
      if (c == quote) {
        ++p;
        break;
      }
      if (c == '\n' || c == '\r') return Error(start, "newline in string literal");
    }
    if (c != '\\') {
      out.push_back(c);
      ++p;
      continue;
    }
    if (raw) {  // raw literals keep backslashes as written
      out.push_back(c);
      ++p;
      continue;
    }
    int32_t esc_at = static_cast<int32_t>(p);
    if (p + 1 >= src_.size()) return Error(start, "unterminated string literal");
    char e = src_[p + 1];
    p += 2;
    switch (e) {
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case '\\': case '?': case '"': case '\'': case '`':
        out.push_back(e);
        break;
      case 'x': case 'X': {
        if (p + 2 > src_.size() || !IsHex(src_[p]) || !IsHex(src_[p + 1])) {
          return Error(esc_at, "invalid escape sequence");
        }
        uint32_t v = HexValue(src_[p]) * 16 + HexValue(src_[p + 1]);
        p += 2;
        if (bytes) out.push_back(static_cast<char>(v));
        else AppendUtf8(&out, v);
        break;
      }
      case 'u': case 'U': {
        size_t len = e == 'u' ? 4 : 8;
        if (bytes) return Error(esc_at, "unicode escape in bytes literal");
        uint32_t v = 0;
        for (size_t i = 0; i < len; ++i) {
          if (p + i >= src_.size() || !IsHex(src_[p + i])) {
            return Error(esc_at, "invalid escape sequence");
          }
          v = v * 16 + HexValue(src_[p + i]);
        }
        p += len;
        if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) {
          return Error(esc_at, "invalid unicode code point");
        }
        AppendUtf8(&out, v);
        break;
      }
      case '0': case '1': case '2': case '3': {
        if (p + 2 > src_.size() || src_[p] < '0' || src_[p] > '7' || src_[p + 1] < '0' ||
            src_[p + 1] > '7') {
          return Error(esc_at, "invalid escape sequence");
        }
        uint32_t v = (e - '0') * 64 + (src_[p] - '0') * 8 + (src_[p + 1] - '0');
        p += 2;
        if (bytes) out.push_back(static_cast<char>(v));
        else AppendUtf8(&out, v);
        break;
      }
      default:
        return Error(esc_at, "invalid escape sequence");
    }
  }
  pos_ = p;
  return Token{bytes ? TokenKind::kBytes : TokenKind::kString, start, std::move(out)};
}

}  // namespace haru::cel
