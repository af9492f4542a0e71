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
  EXPECT_NE(ErrorOf(chain).find("recursion limit"), std::string::npos);

  std::string bombs = "[1]";
  for (int i = 0; i < 300; ++i) bombs = "[1].map(x, " + bombs + ")";
  EXPECT_NE(ErrorOf(bombs), "");

  // Long logical chains are balanced, so they stay well under the limit.
  std::string ors = "false";
  for (int i = 0; i < 2000; ++i) ors += " || false";
  EXPECT_EQ(ErrorOf(ors), "");
}

TEST(ParserTest, ExpressionSizeLimit) {
  ParserOptions opts;
  opts.max_expression_size = 10;
  EXPECT_NE(ErrorOf("1 + 2 + 3 + 4", opts).find("exceeds limit"), std::string::npos);
}

}  // namespace
}  // namespace haru::cel
