#include "api/patch/merge_patch.h"

#include <gtest/gtest.h>

#include <string>

#include "api/patch/patch_limits.h"

namespace haru::api::patch {
namespace {

Json J(const char* text) { return Json::parse(text); }

struct Case {
  const char* name;
  const char* doc;
  const char* patch;
  const char* want;
};

class MergePatchTable : public ::testing::TestWithParam<Case> {};

TEST_P(MergePatchTable, Applies) {
  const Case& c = GetParam();
  auto got = ApplyMergePatch(J(c.doc), J(c.patch));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, J(c.want)) << got->dump();
}

// RFC 7386 appendix A, plus the Kubernetes-shaped cases.
const Case kCases[] = {
    {"ReplaceMember", R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
    {"AddMember", R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
    {"NullDeletes", R"({"a":"b"})", R"({"a":null})", R"({})"},
    {"NullDeletesOnlyThatMember", R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
    {"ArrayReplacesScalar", R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
    {"ScalarReplacesArray", R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
    {"NestedMerge", R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
    {"ArraysReplaceWhole", R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
    {"ObjectReplacesScalarAndPrunesNulls", R"({"e":null})", R"({"a":1,"e":{"x":null,"y":1}})",
     R"({"a":1,"e":{"y":1}})"},
    {"AddedValuesDropNestedNulls", R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
    {"NullsInsideAddedArraysObjectsDropped", R"({})", R"({"a":[{"x":null,"y":1},null]})",
     R"({"a":[{"y":1},null]})"},
    {"DeletingMissingMemberIsNoop", R"({"a":1})", R"({"zz":null})", R"({"a":1})"},
    {"EmptyPatch", R"({"a":1})", R"({})", R"({"a":1})"},
    {"Labels", R"({"metadata":{"labels":{"app":"x","tier":"db"}}})",
     R"({"metadata":{"labels":{"tier":null,"env":"prod"}}})",
     R"({"metadata":{"labels":{"app":"x","env":"prod"}}})"},
    {"ContainersListIsReplaced",
     R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}})",
     R"({"spec":{"containers":[{"name":"a","image":"3"}]}})",
     R"({"spec":{"containers":[{"name":"a","image":"3"}]}})"},
    {"ArrayPatchReplacesDocument", R"({"a":1})", R"([1,{"b":null}])", R"([1,{}])"},
};

INSTANTIATE_TEST_SUITE_P(Rfc7386, MergePatchTable, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MergePatch, ScalarOrNullPatchIsBadRequest) {
  for (const char* patch : {"null", "1", "\"x\"", "true"}) {
    auto got = ApplyMergePatch(J(R"({"a":1})"), J(patch));
    ASSERT_FALSE(got.ok()) << patch;
    EXPECT_EQ(got.status().code(), StatusCode::kBadRequest);
    EXPECT_EQ(got.status().message(), "Invalid JSON Patch");
  }
}

Json NestedObjects(int depth) {
  Json v = 1;
  for (int i = 0; i < depth; ++i) v = Json{{"a", std::move(v)}};
  return v;
}

TEST(MergePatch, DeepNestingIsRejectedNotOverflowed) {
  auto got = ApplyMergePatch(NestedObjects(10), NestedObjects(200000));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kBadRequest);
  got = ApplyMergePatch(NestedObjects(200000), NestedObjects(3));
  ASSERT_FALSE(got.ok());
}

TEST(MergePatch, NestingAtTheLimitWorks) {
  auto got = ApplyMergePatch(NestedObjects(kMaxNestingDepth - 1), NestedObjects(kMaxNestingDepth - 1));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
}

TEST(MergePatch, HugeObject) {
  Json doc = Json::object(), patch = Json::object();
  for (int i = 0; i < 200000; ++i) {
    doc["k" + std::to_string(i)] = i;
    if (i % 2 == 0) patch["k" + std::to_string(i)] = nullptr;
  }
  auto got = ApplyMergePatch(doc, patch);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->size(), 100000u);
}

}  // namespace
}  // namespace haru::api::patch
