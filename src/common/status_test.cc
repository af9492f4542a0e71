#include "common/status.h"

#include <gtest/gtest.h>

namespace haru {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2) return Status::Invalid("odd");
  return x / 2;
}

Status Quarter(int x, int* out) {
  HARU_ASSIGN_OR_RETURN(int h, Half(x));
  HARU_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::OK();
}

TEST(Status, OkIsDefaultAndMapsTo200) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.http_code(), 200);
  EXPECT_EQ(s.reason(), "");
}

TEST(Status, ReasonsAndHttpCodesMatchUpstream) {
  EXPECT_EQ(Status::NotFound("x").http_code(), 404);
  EXPECT_EQ(Status::NotFound("x").reason(), "NotFound");
  EXPECT_EQ(Status::Invalid("x").http_code(), 422);
  EXPECT_EQ(Status::Conflict("x").http_code(), 409);
  EXPECT_EQ(Status::AlreadyExists("x").reason(), "AlreadyExists");
  EXPECT_EQ(Status::Gone("x").http_code(), 410);
  EXPECT_EQ(Status::Expired("x").reason(), "Expired");
  EXPECT_EQ(Status::TooManyRequests("x").http_code(), 429);
  EXPECT_EQ(Status::RequestEntityTooLarge("x").http_code(), 413);
}

TEST(Status, CopiesKeepDetails) {
  Status s = Status::Invalid("bad");
  s.mutable_details().causes.push_back({"FieldValueRequired", "Required value", "spec.x"});
  Status t = s;
  ASSERT_NE(t.details(), nullptr);
  EXPECT_EQ(t.details()->causes[0].field, "spec.x");
  EXPECT_EQ(t.ToString(), "Invalid: bad");
}

TEST(StatusOr, MacrosPropagateErrors) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalid);
  StatusOr<std::string> v = std::string("x");
  EXPECT_EQ(*v, "x");
}

}  // namespace
}  // namespace haru
