#pragma once
// Splits CEL source into tokens. String and bytes literals are decoded here (all quote forms,
// raw prefixes, escapes), numbers are classified but converted by the parser, which knows
// whether a leading minus belongs to the literal. Input that forms no token becomes a kError
// token and lexing goes on after it, so the parser can report every such spot.

#include <cstdint>
#include <string>
#include <string_view>

namespace haru::cel {

enum class TokenKind : uint8_t {
  kEof,
  kError,  // text holds the unrecognized input (ANTLR's "token recognition error at: '...'")
  kIdent,
  kInt,     // text holds the digits (decimal or 0x hex)
  kUint,    // text holds the digits without the u suffix
  kDouble,  // text holds the literal
  kString,  // text holds the decoded value
  kBytes,   // text holds the decoded value
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace,
  kDot, kComma, kColon, kQuestion,
  kNot, kMinus, kPlus, kStar, kSlash, kPercent,
  kLess, kLessEq, kGreater, kGreaterEq, kEq, kNotEq, kAnd, kOr,
  kBacktickIdent,  // `quoted.field-name` (text holds the name)
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  int32_t offset = 0;
  std::string text;
  std::string_view raw;  // the token as written in the source
  std::string error;     // a literal that lexes but does not decode ("invalid unicode code point")
};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}
  Token Next();

 private:
  Token NextToken();
  void SkipSpaceAndComments();
  Token LexNumber();
  Token LexString(size_t prefix_len, bool raw, bool bytes);
  // Unrecognized input from `start` through the code point at `fail` (or the end); lexing
  // resumes after it, as ANTLR's lexer recovery does.
  Token Unrecognized(size_t start, size_t fail);

  std::string_view src_;
  size_t pos_ = 0;
};

// Reserved words that may not name a variable or function (cel-spec "Syntax").
bool IsReservedWord(std::string_view word);

}  // namespace haru::cel
