#include "cel/ast/debug_printer.h"

#include <gtest/gtest.h>

#include "cel/parser/parser.h"

namespace haru::cel {
namespace {

std::string Debug(const std::string& text, const DebugAdorner* adorner = nullptr) {
  Source src(text);
  ParseResult r = Parse(src);
  if (!r.ok()) return "error: " + FormatIssues(src, r.issues);
  return DebugString(*r.expr, adorner);
}

TEST(DebugPrinterTest, Literals) {
  EXPECT_EQ(Debug("-4"), "-4^#*expr.Constant_Int64Value#");
  EXPECT_EQ(Debug("23u"), "23u^#*expr.Constant_Uint64Value#");
  EXPECT_EQ(Debug("1.0"), "1^#*expr.Constant_DoubleValue#");
  EXPECT_EQ(Debug("-4.1"), "-4.1^#*expr.Constant_DoubleValue#");
  EXPECT_EQ(Debug("1e6"), "1e+06^#*expr.Constant_DoubleValue#");
  EXPECT_EQ(Debug("0.00001"), "1e-05^#*expr.Constant_DoubleValue#");
  EXPECT_EQ(Debug("123456.5"), "123456.5^#*expr.Constant_DoubleValue#");
  EXPECT_EQ(Debug("b'abc\\xff'"), "b\"abc\\xff\"^#*expr.Constant_BytesValue#");
  EXPECT_EQ(Debug("'a\"\\n\\u00a0\\u2764'"), "\"a\\\"\\n\\u00a0\xe2\x9d\xa4\"^#*expr.Constant_StringValue#");
  EXPECT_EQ(Debug("null"), "null^#*expr.Constant_NullValue#");
}

TEST(DebugPrinterTest, CallsListsAndEntries) {
  EXPECT_EQ(Debug("4--4"),
            "_-_(\n  4^#*expr.Constant_Int64Value#,\n  -4^#*expr.Constant_Int64Value#\n)^#*expr.Expr_CallExpr#");
  EXPECT_EQ(Debug("a.b()"), "a^#*expr.Expr_IdentExpr#.b()^#*expr.Expr_CallExpr#");
  EXPECT_EQ(Debug("has(a.b)"), "a^#*expr.Expr_IdentExpr#.b~test-only~^#*expr.Expr_SelectExpr#");
  EXPECT_EQ(Debug("[]"), "[]^#*expr.Expr_ListExpr#");
  EXPECT_EQ(Debug("{a: 1, ?b: 2}"),
            "{\n  a^#*expr.Expr_IdentExpr#:1^#*expr.Constant_Int64Value#^#*expr.Expr_CreateStruct_Entry#,\n"
            "  ?b^#*expr.Expr_IdentExpr#:2^#*expr.Constant_Int64Value#^#*expr.Expr_CreateStruct_Entry#\n"
            "}^#*expr.Expr_StructExpr#");
  EXPECT_EQ(Debug("M{f: [x]}"),
            "M{\n  f:[\n    x^#*expr.Expr_IdentExpr#\n  ]^#*expr.Expr_ListExpr#^#*expr.Expr_CreateStruct_Entry#\n"
            "}^#*expr.Expr_StructExpr#");
}

TEST(DebugPrinterTest, Comprehension) {
  EXPECT_EQ(Debug("m.all(v, f)"),
            "__comprehension__(\n"
            "  // Variable\n  v,\n"
            "  // Target\n  m^#*expr.Expr_IdentExpr#,\n"
            "  // Accumulator\n  @result,\n"
            "  // Init\n  true^#*expr.Constant_BoolValue#,\n"
            "  // LoopCondition\n  @not_strictly_false(\n    @result^#*expr.Expr_IdentExpr#\n  )^#*expr.Expr_CallExpr#,\n"
            "  // LoopStep\n  _&&_(\n    @result^#*expr.Expr_IdentExpr#,\n    f^#*expr.Expr_IdentExpr#\n"
            "  )^#*expr.Expr_CallExpr#,\n"
            "  // Result\n  @result^#*expr.Expr_IdentExpr#)^#*expr.Expr_ComprehensionExpr#");
}

// The checked form only swaps the adorner.
class TypeAdorner : public DebugAdorner {
 public:
  std::string Adorn(const Expr& e) const override {
    if (e.kind == ExprKind::kCall) return "~int^add_int64";
    return "~int";
  }
  std::string AdornEntry(const Entry&) const override { return ""; }
};

TEST(DebugPrinterTest, CustomAdorner) {
  TypeAdorner a;
  EXPECT_EQ(Debug("1 + ii", &a), "_+_(\n  1~int,\n  ii~int\n)~int^add_int64");
}

}  // namespace
}  // namespace haru::cel
