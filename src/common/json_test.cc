#include "common/json.h"

#include <gtest/gtest.h>

namespace haru {
namespace {

TEST(ParseJson, MalformedInputIsBadRequestWithPosition) {
  auto doc = ParseJson("{\"a\":");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest);
  EXPECT_NE(doc.status().message().find("line 1"), std::string::npos);
}

TEST(ParseJson, OverflowingNumberIsBadRequestNotACrash) {
  auto doc = ParseJson("{\"a\":1e999}");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest);
}

TEST(ParseJson, DeepNestingIsRefused) {
  std::string deep(100000, '[');
  auto doc = ParseJson(deep);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("nested"), std::string::npos);
  // Brackets inside strings do not count.
  std::string quoted = "\"" + std::string(5000, '[') + "\"";
  EXPECT_TRUE(ParseJson(quoted).ok());
}

TEST(ParseJson, NestedDeeperThanCountsContainerLevels) {
  EXPECT_FALSE(NestedDeeperThan(Json(1), 1));
  EXPECT_FALSE(NestedDeeperThan(Json::parse(R"({"a":[1,{"b":[]}]})"), 4));
  EXPECT_TRUE(NestedDeeperThan(Json::parse(R"({"a":[1,{"b":[]}]})"), 3));
  auto deepest = ParseJson(std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']'));
  ASSERT_TRUE(deepest.ok());
  EXPECT_FALSE(NestedDeeperThan(*deepest, kMaxJsonDepth));
  EXPECT_TRUE(NestedDeeperThan(Json::array({*deepest}), kMaxJsonDepth));
}

}  // namespace
}  // namespace haru
