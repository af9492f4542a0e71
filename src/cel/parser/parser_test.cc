#include "cel/parser/parser.h"

#include <gtest/gtest.h>

#include "cel/parser/macros.h"

namespace haru::cel {
namespace {

ParseResult ParseText(const std::string& text, ParserOptions opts = {}) {
  Source src(text);
  return Parse(src, opts);
}

std::string ErrorOf(const std::string& text, ParserOptions opts = {}) {
  Source src(text);
  ParseResult r = Parse(src, opts);
  return r.ok() ? "" : FormatIssues(src, r.issues);
}

TEST(ParserTest, PrecedenceAndPositions) {
  ParseResult r = ParseText("a + b * c > 1 && !d");
  ASSERT_TRUE(r.ok());
  const Expr& root = *r.expr;
  ASSERT_EQ(root.kind, ExprKind::kCall);
  EXPECT_EQ(root.name, "_&&_");
  EXPECT_EQ(root.offset, 14);
  const Expr& gt = *root.args[0];
  EXPECT_EQ(gt.name, "_>_");
  const Expr& add = *gt.args[0];
  EXPECT_EQ(add.name, "_+_");
  EXPECT_EQ(add.args[1]->name, "_*_");
  EXPECT_EQ(root.args[1]->name, "!_");
}

TEST(ParserTest, MembersCallsAndLiterals) {
  ParseResult r = ParseText("device.attributes['gpu'].profile.startsWith('1g')");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.expr->name, "startsWith");
  ASSERT_TRUE(r.expr->target);
  EXPECT_EQ(r.expr->target->kind, ExprKind::kSelect);
  EXPECT_EQ(r.expr->target->name, "profile");
  EXPECT_EQ(r.expr->target->target->name, "_[_]");

  r = ParseText("-9223372036854775808");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.expr->constant.int_value(), INT64_MIN);
  EXPECT_FALSE(ParseText("9223372036854775808").ok());
  EXPECT_TRUE(ParseText("[1, 2,]").ok());
  EXPECT_TRUE(ParseText("{'a': 1, ?'b': x,}").ok());
  EXPECT_TRUE(ParseText("a.?b[?0]").ok());
  EXPECT_TRUE(ParseText("Msg{field: 1}").ok());
  EXPECT_TRUE(ParseText("{'k': 1}.while").ok());
}

TEST(ParserTest, MacrosExpand) {
  ParseResult r = ParseText("[1, 2].all(x, x > 0)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.expr->kind, ExprKind::kComprehension);
  EXPECT_EQ(r.expr->iter_var, "x");
  EXPECT_EQ(r.expr->accu_var, kAccumulatorName);

  r = ParseText("has(a.b)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.expr->kind, ExprKind::kSelect);
  EXPECT_TRUE(r.expr->test_only);

  r = ParseText("cel.bind(x, 1, x + 1)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.expr->kind, ExprKind::kComprehension);
  EXPECT_EQ(r.expr->accu_var, "x");

  EXPECT_TRUE(ParseText("m.map(k, v, v + 1)").ok());
  EXPECT_TRUE(ParseText("m.exists(k, v, v == 1)").ok());
  EXPECT_TRUE(ParseText("o.optMap(v, v + 1)").ok());
}

TEST(ParserTest, ErrorsHaveUpstreamShape) {
  EXPECT_EQ(ErrorOf("has(m)"),
            "ERROR: <input>:1:5: invalid argument to has() macro\n | has(m)\n | ....^");
  EXPECT_EQ(ErrorOf("[1].all(1, true)"),
            "ERROR: <input>:1:9: argument must be a simple name\n | [1].all(1, true)\n | ........^");
  EXPECT_EQ(ErrorOf("a.\nb + while"),
            "ERROR: <input>:2:5: reserved identifier: while\n | b + while\n | ....^");
  EXPECT_NE(ErrorOf("1 +"), "");
  EXPECT_NE(ErrorOf("(1"), "");
  EXPECT_NE(ErrorOf("a.b("), "");
  EXPECT_NE(ErrorOf("'unterminated"), "");
}

TEST(ParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(10000, '(');
  deep += "1";
  deep += std::string(10000, ')');
  EXPECT_NE(ErrorOf(deep).find("recursion limit"), std::string::npos);

  std::string chain = "1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  EXPECT_NE(ErrorOf(chain).find("max recursion depth exceeded"), std::string::npos);

  std::string bombs = "[1]";
  for (int i = 0; i < 300; ++i) bombs = "[1].map(x, " + bombs + ")";
  EXPECT_NE(ErrorOf(bombs), "");

  // Long logical chains are balanced, so they stay well under the limit.
  std::string ors = "false";
  for (int i = 0; i < 2000; ++i) ors += " || false";
  EXPECT_EQ(ErrorOf(ors), "");
}

// Error recovery must always make progress: token soup parses to errors, never hangs.
TEST(ParserTest, TokenSoupTerminates) {
  const char* pieces[] = {"a", ".", "?", "(", ")", "[", "]", "{", "}", ",", ":", "-", "!", "+", "in",
                          "1", "'s'", "`x`", "&&", "||", "==", "|", "$", "true", "has", "map", "x{", " "};
  uint32_t seed = 12345;
  for (int n = 0; n < 3000; ++n) {
    std::string text;
    int len = 1 + static_cast<int>(seed % 12);
    for (int i = 0; i < len; ++i) {
      seed = seed * 1103515245u + 12345u;
      text += pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
    }
    ParseResult r = ParseText(text);
    EXPECT_TRUE(r.ok() == (r.expr != nullptr)) << text;
  }
}

TEST(ParserTest, UpstreamErrorRecovery) {
  EXPECT_EQ(ErrorOf("1 + +"),
            "ERROR: <input>:1:5: Syntax error: mismatched input '+' expecting {'[', '{', '(', '.', '-', '!', "
            "'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n | 1 + +\n | ....^\n"
            "ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', "
            "'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\n | 1 + +\n | .....^");
  EXPECT_EQ(ErrorOf("{a}"), "ERROR: <input>:1:3: Syntax error: mismatched input '}' expecting ':'\n | {a}\n | ..^");
  ParserOptions no_optional;
  no_optional.enable_optional_syntax = false;
  EXPECT_EQ(ErrorOf("a.?b", no_optional), "ERROR: <input>:1:2: unsupported syntax '.?'\n | a.?b\n | .^");
  // An even run of '!' or '-' cancels out, as upstream builds it.
  ParseResult r = ParseText("!!a");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.expr->kind, ExprKind::kIdent);
}

TEST(ParserTest, ExpressionSizeLimit) {
  ParserOptions opts;
  opts.max_expression_size = 10;
  EXPECT_NE(ErrorOf("1 + 2 + 3 + 4", opts).find("exceeds limit"), std::string::npos);
}

}  // namespace
}  // namespace haru::cel
