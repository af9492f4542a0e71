#include "apiserver/filters/authentication.h"

#include <gtest/gtest.h>

namespace haru::filters {
namespace {

Authenticator WithTokens() {
  auto tokens = auth::TokenFile::Parse("s3cret,alice,1001,\"dev,ops\"\n", "t");
  EXPECT_TRUE(tokens.ok());
  return Authenticator(std::move(tokens).value());
}

TEST(Authenticator, ClientCertificateGivesCnAndOrganizations) {
  http::Request req;
  req.client_cert_common_name = "kubernetes-admin";
  req.client_cert_organizations = {"system:masters"};
  auto user = Authenticator().Authenticate(req);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name, "kubernetes-admin");
  EXPECT_EQ(user->groups, (std::vector<std::string>{"system:masters", "system:authenticated"}));
  EXPECT_FALSE(Authenticator::IsAnonymous(req));
}

TEST(Authenticator, BearerTokenFromFile) {
  http::Request req;
  req.headers.Add("Authorization", "Bearer s3cret");
  auto user = WithTokens().Authenticate(req);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name, "alice");
  EXPECT_EQ(user->uid, "1001");
  EXPECT_EQ(user->groups, (std::vector<std::string>{"dev", "ops", "system:authenticated"}));
}

TEST(Authenticator, BadOrMissingCredentialsAreUnauthorized) {
  http::Request bad;
  bad.headers.Add("Authorization", "Bearer wrong");
  auto r = WithTokens().Authenticate(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthorized);
  EXPECT_EQ(r.status().message(), "Unauthorized");
  EXPECT_FALSE(Authenticator::IsAnonymous(bad));

  http::Request none;
  EXPECT_FALSE(WithTokens().Authenticate(none).ok());
  EXPECT_TRUE(Authenticator::IsAnonymous(none));
  EXPECT_EQ(Authenticator::AnonymousUser().name, "system:anonymous");
  EXPECT_TRUE(Authenticator::IsPublicInfoPath("/readyz/ping"));
  EXPECT_TRUE(Authenticator::IsPublicInfoPath("/version"));
  EXPECT_FALSE(Authenticator::IsPublicInfoPath("/api/v1/pods"));
}

}  // namespace
}  // namespace haru::filters
