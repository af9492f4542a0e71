#include "api/patch/json_patch.h"

#include <gtest/gtest.h>

#include <string>

#include "api/patch/patch_limits.h"

namespace haru::api::patch {
namespace {

Json J(const char* text) { return Json::parse(text); }

struct Case {
  const char* name;
  const char* doc;
  const char* ops;
  const char* want;  // expected document, or nullptr when an error is expected
  StatusCode code = StatusCode::kOk;
  const char* cause = "";  // for 422s: the cause upstream reports
};

class JsonPatchTable : public ::testing::TestWithParam<Case> {};

TEST_P(JsonPatchTable, Applies) {
  const Case& c = GetParam();
  auto got = ApplyJsonPatch(J(c.doc), J(c.ops));
  if (c.want != nullptr) {
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, J(c.want)) << got->dump();
    return;
  }
  ASSERT_FALSE(got.ok()) << got->dump();
  EXPECT_EQ(got.status().code(), c.code) << got.status().ToString();
  if (c.code == StatusCode::kInvalid) {
    EXPECT_EQ(got.status().message(),
              "the server rejected our request due to an error in our request");
    ASSERT_NE(got.status().details(), nullptr);
    ASSERT_EQ(got.status().details()->causes.size(), 1u);
    EXPECT_EQ(got.status().details()->causes[0].type, "UnexpectedServerResponse");
    EXPECT_EQ(got.status().details()->causes[0].message, c.cause);
    EXPECT_EQ(got.status().http_code(), 422);
  }
}

const Case kCases[] = {
    // add
    {"AddMember", R"({"a":1})", R"([{"op":"add","path":"/b","value":2}])", R"({"a":1,"b":2})"},
    {"AddOverwrites", R"({"a":1})", R"([{"op":"add","path":"/a","value":[1]}])", R"({"a":[1]})"},
    {"AddNested", R"({"m":{"labels":{}}})", R"([{"op":"add","path":"/m/labels/x","value":"y"}])",
     R"({"m":{"labels":{"x":"y"}}})"},
    {"AddInsertsAtIndex", R"({"l":[1,2]})", R"([{"op":"add","path":"/l/1","value":9}])",
     R"({"l":[1,9,2]})"},
    {"AddAtLength", R"({"l":[1,2]})", R"([{"op":"add","path":"/l/2","value":9}])",
     R"({"l":[1,2,9]})"},
    {"AddDashAppends", R"({"l":[1]})", R"([{"op":"add","path":"/l/-","value":{"x":1}}])",
     R"({"l":[1,{"x":1}]})"},
    {"AddNegativeIndex", R"({"l":[1,2]})", R"([{"op":"add","path":"/l/-1","value":9}])",
     R"({"l":[1,2,9]})"},
    {"AddMissingValueIsNull", R"({})", R"([{"op":"add","path":"/a"}])", R"({"a":null})"},
    {"AddEscapedTokens", R"({"a/b":{"c~d":1}})",
     R"([{"op":"add","path":"/a~1b/c~0d","value":2},{"op":"add","path":"/~01","value":3}])",
     R"({"a/b":{"c~d":2},"~1":3})"},
    {"AddAnnotationWithSlash", R"({"metadata":{"annotations":{}}})",
     R"([{"op":"add","path":"/metadata/annotations/example.com~1key","value":"v"}])",
     R"({"metadata":{"annotations":{"example.com/key":"v"}}})"},
    {"AddIndexOutOfRange", R"({"l":[1]})", R"([{"op":"add","path":"/l/5","value":9}])", nullptr,
     StatusCode::kInvalid,
     "error in add for path: '/l/5': Unable to access invalid index: 5: invalid index referenced"},
    {"AddBadIndex", R"({"l":[1]})", R"([{"op":"add","path":"/l/x","value":9}])", nullptr,
     StatusCode::kInvalid,
     "error in add for path: '/l/x': value was not a proper array index: 'x': strconv.Atoi: "
     "parsing \"x\": invalid syntax"},
    {"AddMissingParent", R"({})", R"([{"op":"add","path":"/a/b","value":1}])", nullptr,
     StatusCode::kInvalid,
     "add operation does not apply: doc is missing path: \"/a/b\": missing value"},
    {"AddThroughScalar", R"({"a":1})", R"([{"op":"add","path":"/a/b","value":1}])", nullptr,
     StatusCode::kInvalid,
     "add operation does not apply: doc is missing path: \"/a/b\": missing value"},
    {"AddMissingPath", R"({})", R"([{"op":"add","value":1}])", nullptr, StatusCode::kInvalid,
     "add operation failed to decode path: missing value"},
    {"AddWholeDocumentUnsupported", R"({})", R"([{"op":"add","path":"","value":{}}])", nullptr,
     StatusCode::kInvalid, "add operation does not apply: doc is missing path: \"\": missing value"},
    // remove
    {"RemoveMember", R"({"a":1,"b":2})", R"([{"op":"remove","path":"/a"}])", R"({"b":2})"},
    {"RemoveElement", R"({"l":[1,2,3]})", R"([{"op":"remove","path":"/l/1"}])", R"({"l":[1,3]})"},
    {"RemoveLastNegative", R"({"l":[1,2,3]})", R"([{"op":"remove","path":"/l/-1"}])",
     R"({"l":[1,2]})"},
    {"RemoveMissingMember", R"({"a":1})", R"([{"op":"remove","path":"/b"}])", nullptr,
     StatusCode::kInvalid,
     "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"},
    {"RemoveMissingElement", R"({"l":[1]})", R"([{"op":"remove","path":"/l/1"}])", nullptr,
     StatusCode::kInvalid,
     "error in remove for path: '/l/1': Unable to access invalid index: 1: invalid index "
     "referenced"},
    {"RemoveMissingParent", R"({})", R"([{"op":"remove","path":"/x/y"}])", nullptr,
     StatusCode::kInvalid,
     "remove operation does not apply: doc is missing path: \"/x/y\": missing value"},
    // replace
    {"ReplaceMember", R"({"a":1})", R"([{"op":"replace","path":"/a","value":{"b":2}}])",
     R"({"a":{"b":2}})"},
    {"ReplaceElement", R"({"l":[1,2]})", R"([{"op":"replace","path":"/l/0","value":7}])",
     R"({"l":[7,2]})"},
    {"ReplaceMissingMemberAddsLikeUpstream", R"({"a":1})",
     R"([{"op":"replace","path":"/b","value":2}])", R"({"a":1,"b":2})"},
    {"ReplaceWholeDocument", R"({"a":1})", R"([{"op":"replace","path":"","value":{"z":0}}])",
     R"({"z":0})"},
    {"ReplaceWholeDocumentWithScalar", R"({"a":1})", R"([{"op":"replace","path":"","value":3}])",
     nullptr, StatusCode::kInvalid, "replace operation value must be object or array"},
    {"ReplaceMissingElement", R"({"l":[]})", R"([{"op":"replace","path":"/l/0","value":1}])",
     nullptr, StatusCode::kInvalid,
     "replace operation does not apply: doc is missing key: /l/0: missing value"},
    {"ReplaceScale", R"({"spec":{"replicas":1}})",
     R"([{"op":"replace","path":"/spec/replicas","value":3}])", R"({"spec":{"replicas":3}})"},
    // move
    {"MoveMember", R"({"a":{"x":1},"b":{}})", R"([{"op":"move","from":"/a/x","path":"/b/y"}])",
     R"({"a":{},"b":{"y":1}})"},
    {"MoveWithinArray", R"({"l":[1,2,3]})", R"([{"op":"move","from":"/l/0","path":"/l/-"}])",
     R"({"l":[2,3,1]})"},
    {"MoveIntoItself", R"({"a":{"b":{}}})", R"([{"op":"move","from":"/a","path":"/a/b/c"}])",
     nullptr, StatusCode::kInvalid,
     "move operation does not apply: doc is missing destination path: /a/b/c: missing value"},
    {"MoveMissingFrom", R"({})", R"([{"op":"move","path":"/a"}])", nullptr, StatusCode::kInvalid,
     "move operation failed to decode from: operation, missing from field: missing value"},
    {"MoveNonexistent", R"({})", R"([{"op":"move","from":"/x","path":"/a"}])", nullptr,
     StatusCode::kInvalid,
     "error in move for path: 'x': Unable to remove nonexistent key: x: missing value"},
    // copy
    {"CopyMember", R"({"a":{"x":[1]}})", R"([{"op":"copy","from":"/a","path":"/b"}])",
     R"({"a":{"x":[1]},"b":{"x":[1]}})"},
    {"CopyToArray", R"({"l":[1,2]})", R"([{"op":"copy","from":"/l/1","path":"/l/0"}])",
     R"({"l":[2,1,2]})"},
    {"CopyMissingDestination", R"({"a":1})", R"([{"op":"copy","from":"/a","path":"/x/y"}])",
     nullptr, StatusCode::kInvalid,
     "copy operation does not apply: doc is missing destination path: /x/y: missing value"},
    // test
    {"TestPasses", R"({"a":{"b":[1,"x"]}})",
     R"([{"op":"test","path":"/a","value":{"b":[1,"x"]}},{"op":"add","path":"/c","value":1}])",
     R"({"a":{"b":[1,"x"]},"c":1})"},
    {"TestNumbersCompareByValue", R"({"n":1})", R"([{"op":"test","path":"/n","value":1.0}])",
     R"({"n":1})"},
    {"TestFails", R"({"metadata":{"resourceVersion":"5"}})",
     R"([{"op":"test","path":"/metadata/resourceVersion","value":"4"},
        {"op":"replace","path":"/metadata/resourceVersion","value":"6"}])",
     nullptr, StatusCode::kInvalid, "testing value /metadata/resourceVersion failed: test failed"},
    {"TestMissingMemberAgainstNull", R"({})", R"([{"op":"test","path":"/a","value":null}])",
     R"({})"},
    {"TestMissingMemberAgainstValue", R"({})", R"([{"op":"test","path":"/a","value":1}])", nullptr,
     StatusCode::kInvalid, "testing value /a failed: test failed"},
    {"TestMissingParent", R"({})", R"([{"op":"test","path":"/a/b","value":1}])", nullptr,
     StatusCode::kInvalid, "test operation does not apply: is missing path: /a/b: missing value"},
    {"TestBadIndex", R"({"l":[]})", R"([{"op":"test","path":"/l/3","value":1}])", nullptr,
     StatusCode::kInvalid,
     "error in test for path: '/l/3': Unable to access invalid index: 3: invalid index "
     "referenced"},
    {"TestWholeDocument", R"({"a":1})", R"([{"op":"test","path":"","value":{"a":1}}])",
     R"({"a":1})"},
    // operations apply in order, all or nothing
    {"SequenceAppliesInOrder", R"({})",
     R"([{"op":"add","path":"/a","value":[]},{"op":"add","path":"/a/-","value":1},
        {"op":"copy","from":"/a","path":"/b"},{"op":"remove","path":"/a/0"}])",
     R"({"a":[],"b":[1]})"},
    {"EmptyPatch", R"({"a":1})", R"([])", R"({"a":1})"},
    {"NullPatchIsEmpty", R"({"a":1})", R"(null)", R"({"a":1})"},
    // bad patch documents
    {"UnknownOp", R"({})", R"([{"op":"frob","path":"/a"}])", nullptr, StatusCode::kInvalid,
     "Unexpected kind: frob"},
    {"MissingOp", R"({})", R"([{"path":"/a"}])", nullptr, StatusCode::kInvalid,
     "Unexpected kind: unknown"},
    {"NotAnArray", R"({})", R"({"op":"add"})", nullptr, StatusCode::kBadRequest},
    {"ElementNotAnObject", R"({})", R"([1])", nullptr, StatusCode::kBadRequest},
};

INSTANTIATE_TEST_SUITE_P(Rfc6902, JsonPatchTable, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(JsonPatch, NotAnArrayMessageMatchesUpstream) {
  auto got = ApplyJsonPatch(J("{}"), J(R"({"op":"add"})"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  EXPECT_EQ(got.status().http_code(), 400);
}

TEST(JsonPatch, TooManyOperationsIs413) {
  Json ops = Json::array();
  for (int i = 0; i < kMaxJsonPatchOperations + 1; ++i) {
    ops.push_back({{"op", "test"}, {"path", "/a"}});
  }
  auto got = ApplyJsonPatch(J("{}"), ops);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kRequestEntityTooLarge);
  EXPECT_EQ(got.status().message(),
            "The allowed maximum operations in a JSON patch is 10000, got 10001");
}

TEST(JsonPatch, FailedPatchLeavesOriginalUntouched) {
  Json doc = J(R"({"a":1})");
  auto got = ApplyJsonPatch(doc, J(R"([{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zz"}])"));
  EXPECT_FALSE(got.ok());
  EXPECT_EQ(doc, J(R"({"a":1})"));
}

Json Nested(int depth) {
  Json v = 1;
  for (int i = 0; i < depth; ++i) v = Json::array({std::move(v)});
  return v;
}

TEST(JsonPatch, DeepValueIsRejected) {
  Json ops = Json::array({{{"op", "add"}, {"path", "/a"}, {"value", Nested(kMaxNestingDepth + 5)}}});
  auto got = ApplyJsonPatch(J("{}"), ops);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kBadRequest);
}

TEST(JsonPatch, ValueAtTheLimitIsAccepted) {
  Json ops = Json::array({{{"op", "add"}, {"path", "/a"}, {"value", Nested(kMaxNestingDepth - 3)}}});
  auto got = ApplyJsonPatch(J("{}"), ops);
  EXPECT_TRUE(got.ok()) << got.status().ToString();
}

TEST(JsonPatch, CopyCannotGrowDepthWithoutBound) {
  // Each copy of /a into its own innermost array doubles the depth; the limit stops it with a
  // 422 before any recursive work runs on a too-deep document.
  std::string inner = "/a";
  Json ops = Json::array();
  Json doc = {{"a", Nested(400)}};
  for (int i = 0; i < 400; ++i) inner += "/0";
  for (int i = 0; i < 10; ++i) ops.push_back({{"op", "copy"}, {"from", "/a"}, {"path", inner}});
  auto got = ApplyJsonPatch(doc, ops);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalid);
}

TEST(JsonPatch, MovesCannotChainDepthWithoutBound) {
  Json doc = Json::object();
  Json ops = Json::array();
  for (int i = 0; i < 4; ++i) doc["k" + std::to_string(i)] = Nested(600);
  std::string path = "/k0";
  for (int i = 0; i < 600; ++i) path += "/0";
  ops.push_back({{"op", "move"}, {"from", "/k1"}, {"path", path}});
  auto got = ApplyJsonPatch(doc, ops);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalid);
}

TEST(JsonPatch, CopyAmplificationIsLimited) {
  Json doc = {{"a", std::string(1 << 20, 'x')}, {"l", Json::array()}};
  Json ops = Json::array();
  for (int i = 0; i < 5; ++i) ops.push_back({{"op", "copy"}, {"from", "/a"}, {"path", "/l/-"}});
  auto got = ApplyJsonPatch(doc, ops);
  ASSERT_FALSE(got.ok());
  ASSERT_NE(got.status().details(), nullptr);
  EXPECT_NE(got.status().details()->causes[0].message.find("Unable to complete the copy"),
            std::string::npos);
}

TEST(JsonPatch, LargeDocumentAndManyOperations) {
  Json doc = {{"l", Json::array()}};
  for (int i = 0; i < 20000; ++i) doc["l"].push_back(i);
  Json ops = Json::array();
  for (int i = 0; i < 2000; ++i) ops.push_back({{"op", "remove"}, {"path", "/l/0"}});
  auto got = ApplyJsonPatch(doc, ops);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["l"].size(), 18000u);
  EXPECT_EQ((*got)["l"][0], 2000);
}

}  // namespace
}  // namespace haru::api::patch
