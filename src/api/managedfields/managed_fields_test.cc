#include "api/managedfields/managed_fields.h"

#include <gtest/gtest.h>

#include "api/managedfields/field_walk.h"

namespace haru::api::managedfields {
namespace {

const Schema* ConfigMapSchema() { return BuiltinSchemas().Find("io.k8s.api.core.v1.ConfigMap"); }
const Schema* PodSchema() { return BuiltinSchemas().Find("io.k8s.api.core.v1.Pod"); }

Operation Op(std::string manager, std::string time = "2026-01-01T00:00:00Z") {
  Operation op;
  op.manager = std::move(manager);
  op.api_version = "v1";
  op.time = std::move(time);
  return op;
}

Json ConfigMap(Json data) {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}},
          {"data", std::move(data)}};
}

Json Entries(const Json& obj) { return obj["metadata"]["managedFields"]; }

TEST(FieldSetTest, FieldsV1RoundTripAndPaths) {
  Json v1 = Json::parse(R"({"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{}}}},
                            "f:metadata":{"f:finalizers":{"v:\"x\"":{}}}})");
  auto set = FromFieldsV1(v1);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(ToFieldsV1(*set), v1);
  EXPECT_EQ(MemberPaths(*set),
            (std::vector<std::string>{".metadata.finalizers[=\"x\"]", ".spec.containers[name=\"c\"]",
                                      ".spec.containers[name=\"c\"].image"}));
  EXPECT_FALSE(FromFieldsV1(Json::parse(R"({"x":{}})")).ok());
}

TEST(FieldWalkTest, ListMapItemsAreKeyedAndOwnThemselves) {
  Json pod = Json::parse(R"({"spec":{"containers":[{"name":"c","image":"i"}]}})");
  EXPECT_EQ(ToFieldsV1(FieldsOf(pod, PodSchema())),
            Json::parse(R"({"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":
                            {".":{},"f:image":{},"f:name":{}}}}})"));
}

TEST(RecordUpdateTest, CreateOwnsEverythingWithNewMapsMarked) {
  Json obj = ConfigMap({{"a", "1"}});
  obj["metadata"]["labels"] = {{"app", "x"}};
  RecordUpdate(nullptr, obj, ConfigMapSchema(), Op("kubectl-create"));
  ASSERT_EQ(Entries(obj).size(), 1u);
  EXPECT_EQ(Entries(obj)[0]["manager"], "kubectl-create");
  EXPECT_EQ(Entries(obj)[0]["operation"], "Update");
  EXPECT_EQ(Entries(obj)[0]["time"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(Entries(obj)[0]["fieldsV1"],
            Json::parse(R"({"f:data":{".":{},"f:a":{}},
                            "f:metadata":{"f:labels":{".":{},"f:app":{}}}})"));
}

TEST(RecordUpdateTest, ChangedFieldsMoveToTheUpdater) {
  Json live = ConfigMap({{"a", "1"}, {"b", "2"}});
  RecordUpdate(nullptr, live, ConfigMapSchema(), Op("creator"));
  Json next = live;
  next["data"]["a"] = "9";
  RecordUpdate(&live, next, ConfigMapSchema(), Op("editor"));
  ASSERT_EQ(Entries(next).size(), 2u);
  EXPECT_EQ(Entries(next)[0]["manager"], "creator");
  EXPECT_EQ(Entries(next)[0]["fieldsV1"], Json::parse(R"({"f:data":{".":{},"f:b":{}}})"));
  EXPECT_EQ(Entries(next)[1]["fieldsV1"], Json::parse(R"({"f:data":{"f:a":{}}})"));
  // An unchanged write leaves the entries as they were.
  Json again = next;
  RecordUpdate(&next, again, ConfigMapSchema(), Op("other", "2027-01-01T00:00:00Z"));
  EXPECT_EQ(again, next);
}

TEST(ApplyTest, CreateChangeAndRemoveUnappliedFields) {
  auto created = Apply(nullptr, ConfigMap({{"a", "1"}, {"b", "2"}}), ConfigMapSchema(), Op("m"),
                       false);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(Entries(*created)[0]["operation"], "Apply");
  auto next = Apply(&*created, ConfigMap({{"a", "3"}}), ConfigMapSchema(), Op("m"), false);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)["data"], Json({{"a", "3"}}));
  EXPECT_EQ(Entries(*next)[0]["fieldsV1"], Json::parse(R"({"f:data":{"f:a":{}}})"));
  // Stopping to apply everything removes the emptied map too.
  auto none = Apply(&*next, ConfigMap(nullptr), ConfigMapSchema(), Op("m"), false);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->contains("data"));
  EXPECT_FALSE((*none)["metadata"].contains("managedFields"));
}

TEST(ApplyTest, FieldsOwnedByOthersStay) {
  auto obj = Apply(nullptr, ConfigMap({{"a", "1"}, {"b", "2"}}), ConfigMapSchema(), Op("a"), false);
  ASSERT_TRUE(obj.ok());
  obj = Apply(&*obj, ConfigMap({{"b", "2"}}), ConfigMapSchema(), Op("b"), false);  // shares b
  ASSERT_TRUE(obj.ok());
  obj = Apply(&*obj, ConfigMap({{"a", "1"}}), ConfigMapSchema(), Op("a"), false);
  ASSERT_TRUE(obj.ok());
  EXPECT_EQ((*obj)["data"], Json({{"a", "1"}, {"b", "2"}}));
}

TEST(ApplyTest, ConflictsUnlessForced) {
  Json live = ConfigMap({{"k", "1"}});
  RecordUpdate(nullptr, live, ConfigMapSchema(), Op("kubectl-client-side-apply"));
  auto conflict = Apply(&live, ConfigMap({{"k", "2"}}), ConfigMapSchema(), Op("kubectl"), false);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().code(), StatusCode::kConflict);
  EXPECT_EQ(conflict.status().message(),
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: "
            ".data.k");
  ASSERT_NE(conflict.status().details(), nullptr);
  EXPECT_EQ(conflict.status().details()->causes[0],
            (StatusCause{"FieldManagerConflict", "conflict with \"kubectl-client-side-apply\" using v1",
                         ".data.k"}));
  // The same value is shared, not a conflict.
  EXPECT_TRUE(Apply(&live, ConfigMap({{"k", "1"}}), ConfigMapSchema(), Op("kubectl"), false).ok());
  auto forced = Apply(&live, ConfigMap({{"k", "2"}}), ConfigMapSchema(), Op("kubectl"), true);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(Entries(*forced)[0]["manager"], "kubectl");
  // The creator keeps only the map itself (a member without children is {}).
  EXPECT_EQ(Entries(*forced)[1]["fieldsV1"], Json::parse(R"({"f:data":{}})"));
}

TEST(ApplyTest, SeveralConflictsAreGroupedByManager) {
  auto obj = Apply(nullptr, ConfigMap({{"x", "1"}, {"y", "1"}}), ConfigMapSchema(), Op("a"), false);
  ASSERT_TRUE(obj.ok());
  auto conflict = Apply(&*obj, ConfigMap({{"x", "2"}, {"y", "2"}}), ConfigMapSchema(), Op("b"), false);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().message(),
            "Apply failed with 2 conflicts: conflicts with \"a\":\n- .data.x\n- .data.y");
}

TEST(ApplyTest, ListMapItemsMergeByKey) {
  Json live = Json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
      "spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}})");
  RecordUpdate(nullptr, live, PodSchema(), Op("creator"));
  Json config = Json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
      "spec":{"containers":[{"name":"b","image":"2"},{"name":"c","image":"3"}]}})");
  auto merged = Apply(&live, config, PodSchema(), Op("m"), false);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  std::vector<std::string> names;
  for (const Json& c : (*merged)["spec"]["containers"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ManagerFromUserAgentTest, ProductOnly) {
  EXPECT_EQ(ManagerFromUserAgent("kubectl/v1.36.3 (linux/amd64) kubernetes/abc"), "kubectl");
  EXPECT_EQ(ManagerFromUserAgent(""), "");
}

}  // namespace
}  // namespace haru::api::managedfields
