#include "common/yaml.h"

#include <gtest/gtest.h>

#include <string>

namespace haru {
namespace {

TEST(YamlTest, ScalarsFollowKubernetesRules) {
  auto doc = ParseYaml(
      "a: 1\nb: true\nc: ~\nd: '1'\ne: 1.5\nf: text\ng: \"false\"\nh:\n  - x\n  - {k: v}\n");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(*doc, Json::parse(R"({"a":1,"b":true,"c":null,"d":"1","e":1.5,"f":"text",
      "g":"false","h":["x",{"k":"v"}]})"));
}

TEST(YamlTest, EmptyInputIsNullAndOnlyTheFirstDocumentCounts) {
  auto empty = ParseYaml("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_null());
  auto first = ParseYaml("a: 1\n---\nb: 2\n");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, Json::parse(R"({"a":1})"));
}

TEST(YamlTest, MalformedInputIsBadRequestWithPosition) {
  auto doc = ParseYaml("a: [1, 2\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest);
  EXPECT_EQ(doc.status().message().rfind("yaml: line ", 0), 0u) << doc.status().message();
  auto key = ParseYaml("? [a]\n: b\n");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.status().message().find("map keys must be strings"), std::string::npos);
}

TEST(YamlTest, AliasesAreCopied) {
  auto doc = ParseYaml("base: &env {name: A, value: '1'}\nlist: [*env, *env]\n&k key: *k\n");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->at("list"), Json::parse(R"([{"name":"A","value":"1"},{"name":"A","value":"1"}])"));
  EXPECT_EQ(doc->at("key"), "key");
}

// yaml-cpp names an anchor when its node starts: `&x [*x]` would be a cycle.
TEST(YamlTest, SelfReferencingAnchorIsRejected) {
  auto doc = ParseYaml("a: &x [1, *x]\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest);
  EXPECT_NE(doc.status().message().find("contains itself"), std::string::npos);
}

// "Billion laughs": nine levels of nine aliases would expand to 9^9 nodes.
TEST(YamlTest, AliasExpansionBombIsRejected) {
  std::string text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) text += (j ? ", " : "") + prev;
    text += "]\n";
  }
  auto doc = ParseYaml(text);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest);
  EXPECT_NE(doc.status().message().find("excessive aliasing"), std::string::npos);
  // Few aliases of a long string: cheap to write, large to expand.
  std::string big = "s: &s " + std::string(60000, 'x') + "\nl: [";
  for (int j = 0; j < 2000; ++j) big += "*s,";
  big += "]\n";
  auto strings = ParseYaml(big);
  ASSERT_FALSE(strings.ok());
  EXPECT_NE(strings.status().message().find("excessive aliasing"), std::string::npos);
}

TEST(YamlTest, DeepNestingIsRejectedWithoutRecursingDeep) {
  for (const std::string& unit : {std::string("["), std::string("{a: "), std::string("- ")}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += unit;
    auto doc = ParseYaml(text);
    ASSERT_FALSE(doc.ok()) << unit;
    EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest);
  }
  auto nested = [](int n) {
    return std::string(n, '[') + std::string(n, ']');
  };
  EXPECT_TRUE(ParseYaml(nested(150)).ok());
  auto deep = ParseYaml(nested(300));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nested too deeply"), std::string::npos);
}

// An alias of a deep anchor, placed deep, must not exceed the depth limit either.
TEST(YamlTest, AliasCannotStackDepth) {
  std::string deep = "a: &d ";
  for (int i = 0; i < 150; ++i) deep += "[";
  for (int i = 0; i < 150; ++i) deep += "]";
  deep += "\nb: ";
  for (int i = 0; i < 150; ++i) deep += "[";
  deep += "*d";
  for (int i = 0; i < 150; ++i) deep += "]";
  auto doc = ParseYaml(deep + "\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace haru
