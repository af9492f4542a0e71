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

}  // namespace
}  // namespace haru
