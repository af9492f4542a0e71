#include "auth/token_file.h"

#include <gtest/gtest.h>

namespace haru::auth {
namespace {

TEST(TokenFile, ParsesUsersAndQuotedGroups) {
  auto tokens = TokenFile::Parse(
      "abc123,alice,1001,\"dev,ops\"\n"
      "\n"
      "def456,bob,1002\n"
      "ghi789, carol , 1003, \"qa\"\r\n",
      "tokens.csv");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(tokens->size(), 3u);
  auto alice = tokens->Lookup("abc123");
  ASSERT_TRUE(alice.has_value());
  EXPECT_EQ(alice->name, "alice");
  EXPECT_EQ(alice->uid, "1001");
  EXPECT_EQ(alice->groups, (std::vector<std::string>{"dev", "ops"}));
  auto bob = tokens->Lookup("def456");
  ASSERT_TRUE(bob.has_value());
  EXPECT_TRUE(bob->groups.empty());
  EXPECT_EQ(tokens->Lookup("ghi789")->name, "carol");
  EXPECT_EQ(tokens->Lookup("ghi789")->groups, (std::vector<std::string>{"qa"}));
  EXPECT_FALSE(tokens->Lookup("nope").has_value());
}

TEST(TokenFile, TooFewColumnsNamesTheLine) {
  auto tokens = TokenFile::Parse("a,b,c\nonly,two\n", "tokens.csv");
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.status().message(),
            "token file tokens.csv:2: must have at least 3 columns (token, user name, user uid), "
            "found 2");
}

TEST(TokenFile, RejectsUnterminatedQuote) {
  auto tokens = TokenFile::Parse("t,u,1,\"g1,g2\n", "f");
  ASSERT_FALSE(tokens.ok());
  EXPECT_NE(tokens.status().message().find("f:1: unterminated quoted field"), std::string::npos);
}

TEST(TokenFile, RejectsEmptyToken) {
  auto tokens = TokenFile::Parse("x,y,z\n,user,1\n", "f");
  ASSERT_FALSE(tokens.ok());
  EXPECT_NE(tokens.status().message().find("f:2: empty token"), std::string::npos);
}

TEST(TokenFile, MissingFileIsAnError) {
  auto tokens = LoadTokenFile("/nonexistent/tokens.csv");
  ASSERT_FALSE(tokens.ok());
  EXPECT_NE(tokens.status().message().find("/nonexistent/tokens.csv"), std::string::npos);
}

}  // namespace
}  // namespace haru::auth
