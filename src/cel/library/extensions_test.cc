// Tests for the lists and sets extensions, which the cel-spec simple tests do not cover.

#include <gtest/gtest.h>

#include <string>

#include "cel/runtime/program.h"

namespace haru::cel {
namespace {

std::string Show(const std::string& expr) {
  CompileResult r = Compile(Env::Standard({}), expr);
  if (!r.ok()) return "compile: " + r.ErrorText();
  Activation act(*r.program);
  StatusOr<Value> v = r.program->Evaluate(act);
  if (!v.ok()) return "aborted: " + v.status().message();
  return v->DebugString();
}

TEST(ExtensionsTest, Lists) {
  EXPECT_EQ(Show("lists.range(4)"), "[0, 1, 2, 3]");
  EXPECT_EQ(Show("[1, 2, 3, 4].slice(1, 3)"), "[2, 3]");
  EXPECT_EQ(Show("[1, 2].slice(2, 1)"),
            "error: cannot slice(2, 1), start index must be less than or equal to end index");
  EXPECT_EQ(Show("[1, [2, [3, 4]]].flatten()"), "[1, 2, [3, 4]]");
  EXPECT_EQ(Show("[1, [2, [3, 4]]].flatten(2)"), "[1, 2, 3, 4]");
  EXPECT_EQ(Show("[1, 2, 2u, 3.0, 'a', 'a'].distinct()"), "[1, 2, 3, \"a\"]");
  EXPECT_EQ(Show("[3, 1, 2].sort()"), "[1, 2, 3]");
  EXPECT_EQ(Show("['b', 'c', 'a'].sort()"), "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(Show("[1, 'a'].sort()").rfind("error: ", 0), 0u);
  EXPECT_EQ(Show("[{'n': 'b', 'v': 2}, {'n': 'a', 'v': 1}].sortBy(e, e.v).map(e, e.n)"),
            "[\"a\", \"b\"]");
  EXPECT_EQ(Show("[1, 2].first()"), "optional.of(1)");
  EXPECT_EQ(Show("[].last()"), "optional.none()");
  EXPECT_EQ(Show("[1, 2].last().value()"), "2");
}

TEST(ExtensionsTest, Sets) {
  EXPECT_EQ(Show("sets.contains([1, 2, 3], [3, 1u])"), "true");
  EXPECT_EQ(Show("sets.contains([1, 2], [4])"), "false");
  EXPECT_EQ(Show("sets.equivalent([1, 2, 2], [2.0, 1])"), "true");
  EXPECT_EQ(Show("sets.intersects([1, 2], [3, 2])"), "true");
  EXPECT_EQ(Show("sets.intersects([1], [])"), "false");
}

TEST(ExtensionsTest, StringsReverseAndMath) {
  EXPECT_EQ(Show("'gums'.reverse()"), "\"smug\"");
  EXPECT_EQ(Show("'©αT'.reverse()"), "\"Tα©\"");
  EXPECT_EQ(Show("math.sqrt(16)"), "4");
  EXPECT_EQ(Show("math.bitShiftLeft(1, -1)").rfind("error: ", 0), 0u);
}

TEST(ExtensionsTest, BlockIsLazy) {
  EXPECT_EQ(Show("cel.block([1 / 0, 2], cel.index(1) + 1)"), "3");
  EXPECT_EQ(Show("cel.block([1, cel.index(0) + 1], cel.index(1) * cel.index(1))"), "4");
}

}  // namespace
}  // namespace haru::cel
