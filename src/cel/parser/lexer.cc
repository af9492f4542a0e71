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

static size_t CodePointLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return k;
  }
  return n;
}

Token Lexer::Unrecognized(size_t start, size_t fail) {
  size_t end = fail < src_.size() ? fail + CodePointLength(src_, fail) : src_.size();
  pos_ = end;
  Token t{TokenKind::kError, static_cast<int32_t>(start), std::string(src_.substr(start, end - start))};
  t.raw = src_.substr(start, end - start);
  return t;
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
  Token t = NextToken();
  if (t.kind != TokenKind::kError) {
    t.raw = src_.substr(static_cast<size_t>(t.offset), pos_ - static_cast<size_t>(t.offset));
  }
  return t;
}

Token Lexer::NextToken() {
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
      // LETTER | DIGIT | '_' | '.' | '-' | '/' | ' ', at least one, then the closing quote.
      size_t end = pos_ + 1;
      while (end < src_.size() && (IsIdentChar(src_[end]) || src_[end] == '.' || src_[end] == '-' ||
                                   src_[end] == '/' || src_[end] == ' ')) {
        ++end;
      }
      if (end == pos_ + 1 || end >= src_.size() || src_[end] != '`') return Unrecognized(pos_, end);
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
      return Unrecognized(pos_, pos_ + 1);
    case '&':
      if (n == '&') return simple(TokenKind::kAnd, 2);
      return Unrecognized(pos_, pos_ + 1);
    case '|':
      if (n == '|') return simple(TokenKind::kOr, 2);
      return Unrecognized(pos_, pos_ + 1);
    default:
      break;
  }
  return Unrecognized(pos_, pos_);
}

Token Lexer::LexNumber() {
  int32_t start = static_cast<int32_t>(pos_);
  size_t p = pos_;
  if (src_[p] == '0' && p + 1 < src_.size() && (src_[p + 1] == 'x' || src_[p + 1] == 'X')) {
    p += 2;
    size_t digits = p;
    while (p < src_.size() && IsHex(src_[p])) ++p;
    if (p == digits) {  // `0x` alone: the 0 is the literal, the x starts an identifier
      pos_ += 1;
      return Token{TokenKind::kInt, start, "0"};
    }
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
  std::string error;
  auto fail = [&](size_t at) { return Unrecognized(static_cast<size_t>(start), at); };
  while (true) {
    if (p >= src_.size()) return fail(p);
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
      if (c == '\n' || c == '\r') return fail(p);
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
    if (p + 1 >= src_.size()) return fail(p + 1);
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
        for (size_t i = 0; i < 2; ++i) {
          if (p + i >= src_.size() || !IsHex(src_[p + i])) return fail(p + i);
        }
        uint32_t v = HexValue(src_[p]) * 16 + HexValue(src_[p + 1]);
        p += 2;
        if (bytes) out.push_back(static_cast<char>(v));
        else AppendUtf8(&out, v);
        break;
      }
      case 'u': case 'U': {
        size_t len = e == 'u' ? 4 : 8;
        uint32_t v = 0;
        for (size_t i = 0; i < len; ++i) {
          if (p + i >= src_.size() || !IsHex(src_[p + i])) return fail(p + i);
          v = v * 16 + HexValue(src_[p + i]);
        }
        p += len;
        if (bytes) {
          if (error.empty()) error = "unicode escape in bytes literal";
        } else if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) {
          if (error.empty()) error = "invalid unicode code point";
        } else {
          AppendUtf8(&out, v);
        }
        break;
      }
      case '0': case '1': case '2': case '3': {
        for (size_t i = 0; i < 2; ++i) {
          if (p + i >= src_.size() || src_[p + i] < '0' || src_[p + i] > '7') return fail(p + i);
        }
        uint32_t v = (e - '0') * 64 + (src_[p] - '0') * 8 + (src_[p + 1] - '0');
        p += 2;
        if (bytes) out.push_back(static_cast<char>(v));
        else AppendUtf8(&out, v);
        break;
      }
      default:
        return fail(p - 1);
    }
  }
  pos_ = p;
  Token t{bytes ? TokenKind::kBytes : TokenKind::kString, start, std::move(out)};
  t.error = std::move(error);
  return t;
}

}  // namespace haru::cel
