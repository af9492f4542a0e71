#include "cel/parser/lexer.h"

#include <gtest/gtest.h>

#include <vector>

namespace haru::cel {
namespace {

std::vector<Token> LexAll(std::string_view src) {
  Lexer lexer(src);
  std::vector<Token> out;
  while (true) {
    Token t = lexer.Next();
    bool end = t.kind == TokenKind::kEof || t.kind == TokenKind::kError;
    out.push_back(std::move(t));
    if (end) return out;
  }
}

TEST(LexerTest, OperatorsAndOffsets) {
  auto toks = LexAll("a <= b && !c // comment\n|| d");
  ASSERT_EQ(toks.size(), 9u);
  EXPECT_EQ(toks[0].kind, TokenKind::kIdent);
  EXPECT_EQ(toks[1].kind, TokenKind::kLessEq);
  EXPECT_EQ(toks[1].offset, 2);
  EXPECT_EQ(toks[3].kind, TokenKind::kAnd);
  EXPECT_EQ(toks[4].kind, TokenKind::kNot);
  EXPECT_EQ(toks[6].kind, TokenKind::kOr);
  EXPECT_EQ(toks[6].offset, 24);
}

TEST(LexerTest, Numbers) {
  auto toks = LexAll("42 0x1F 7u 0xAu 1.5 2e3 .5");
  EXPECT_EQ(toks[0].kind, TokenKind::kInt);
  EXPECT_EQ(toks[1].kind, TokenKind::kInt);
  EXPECT_EQ(toks[1].text, "0x1F");
  EXPECT_EQ(toks[2].kind, TokenKind::kUint);
  EXPECT_EQ(toks[2].text, "7");
  EXPECT_EQ(toks[3].kind, TokenKind::kUint);
  EXPECT_EQ(toks[4].kind, TokenKind::kDouble);
  EXPECT_EQ(toks[5].kind, TokenKind::kDouble);
  EXPECT_EQ(toks[6].kind, TokenKind::kDouble);
}

TEST(LexerTest, StringForms) {
  EXPECT_EQ(LexAll(R"('a\n\x41\101\u00e9')")[0].text, "a\nAA\xc3\xa9");
  EXPECT_EQ(LexAll(R"(r'a\n')")[0].text, "a\\n");
  EXPECT_EQ(LexAll("'''x\ny'''")[0].text, "x\ny");
  EXPECT_EQ(LexAll(R"("""a"b""")")[0].text, "a\"b");
  auto bytes = LexAll(R"(b'\xff\377')")[0];
  EXPECT_EQ(bytes.kind, TokenKind::kBytes);
  EXPECT_EQ(bytes.text, "\xff\xff");
  EXPECT_EQ(LexAll(R"(BR'\x')")[0].text, "\\x");
}

TEST(LexerTest, Errors) {
  EXPECT_EQ(LexAll("'abc")[0].kind, TokenKind::kError);
  EXPECT_EQ(LexAll(R"('\q')")[0].kind, TokenKind::kError);
  EXPECT_EQ(LexAll(R"('\ud800')")[0].error, "invalid unicode code point");
  EXPECT_EQ(LexAll("a # b")[1].kind, TokenKind::kError);
}

TEST(LexerTest, ReservedWords) {
  EXPECT_TRUE(IsReservedWord("while"));
  EXPECT_TRUE(IsReservedWord("namespace"));
  EXPECT_FALSE(IsReservedWord("in"));  // a keyword of its own, handled by the parser
  EXPECT_FALSE(IsReservedWord("device"));
}

}  // namespace
}  // namespace haru::cel
