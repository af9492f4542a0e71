#include "registry/registry.h"

#include <gtest/gtest.h>

#include "api/kinds.h"
#include "storage/memory/memory_store.h"

namespace haru::registry {
namespace {

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest() : store_(storage::NewMemoryStore()), registry_(store_.get()) {}

  const api::KindSpec& Kind(const char* plural) {
    return *api::FindKindByResource("", "v1", plural);
  }
  Json ConfigMap(const std::string& name) {
    return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}},
            {"data", {{"a", "1"}}}};
  }
  Json Stored(const storage::Bytes& bytes) { return Json::parse(*bytes); }

  std::unique_ptr<storage::Store> store_;
  Registry registry_;
  WriteOptions options_;
};

TEST_F(RegistryTest, CreateSetsSystemMetadataAndRevision) {
  auto created = registry_.Create(Kind("configmaps"), "ns1", ConfigMap("c1"), options_);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(created->created);
  Json obj = Stored(created->object);
  EXPECT_EQ(obj["metadata"]["namespace"], "ns1");
  EXPECT_EQ(obj["metadata"]["uid"].get<std::string>().size(), 36u);
  EXPECT_FALSE(obj["metadata"]["creationTimestamp"].get<std::string>().empty());
  EXPECT_EQ(obj["metadata"]["resourceVersion"], std::to_string(store_->Revision()));

  auto again = registry_.Create(Kind("configmaps"), "ns1", ConfigMap("c1"), options_);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "configmaps \"c1\" already exists");
}

TEST_F(RegistryTest, GenerateNameAddsASuffix) {
  Json cm = ConfigMap("");
  cm["metadata"].erase("name");
  cm["metadata"]["generateName"] = "gen-";
  auto created = registry_.Create(Kind("configmaps"), "ns1", cm, options_);
  ASSERT_TRUE(created.ok());
  std::string name = Stored(created->object)["metadata"]["name"];
  EXPECT_EQ(name.rfind("gen-", 0), 0u);
  EXPECT_EQ(name.size(), 9u);
}

TEST_F(RegistryTest, StaleUpdateConflicts) {
  auto created = registry_.Create(Kind("configmaps"), "ns1", ConfigMap("c1"), options_);
  ASSERT_TRUE(created.ok());
  Json v1 = Stored(created->object);
  Json v2 = v1;
  v2["data"]["a"] = "2";
  ASSERT_TRUE(registry_.Update(Kind("configmaps"), "ns1", "c1", "", v2, options_).ok());
  v1["data"]["a"] = "3";  // still carries the first resourceVersion
  auto stale = registry_.Update(Kind("configmaps"), "ns1", "c1", "", v1, options_);
  EXPECT_EQ(stale.status().code(), StatusCode::kConflict);
  EXPECT_NE(stale.status().message().find("the object has been modified"), std::string::npos);
}

TEST_F(RegistryTest, NoOpUpdateKeepsTheVersion) {
  auto created = registry_.Create(Kind("configmaps"), "ns1", ConfigMap("c1"), options_);
  ASSERT_TRUE(created.ok());
  int64_t before = store_->Revision();
  auto same = registry_.Update(Kind("configmaps"), "ns1", "c1", "", Stored(created->object), options_);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(store_->Revision(), before);
}

TEST_F(RegistryTest, FinalizersHoldDeletionUntilRemoved) {
  Json cm = ConfigMap("c1");
  cm["metadata"]["finalizers"] = {"example.com/hold"};
  ASSERT_TRUE(registry_.Create(Kind("configmaps"), "ns1", cm, options_).ok());
  auto deleted = registry_.Delete(Kind("configmaps"), "ns1", "c1", {}, options_);
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(Stored(deleted->object)["metadata"].contains("deletionTimestamp"));
  ASSERT_TRUE(registry_.Get(Kind("configmaps"), "ns1", "c1").ok());

  auto released = registry_.GuaranteedUpdate(
      Kind("configmaps"), "ns1", "c1", "",
      [](const Json* current) -> StatusOr<Json> {
        Json next = *current;
        next["metadata"].erase("finalizers");
        return next;
      },
      options_);
  ASSERT_TRUE(released.ok()) << released.status().ToString();
  EXPECT_EQ(registry_.Get(Kind("configmaps"), "ns1", "c1").status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryTest, InvalidObjectsGetFieldCauses) {
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "p"}}},
              {"spec", {{"containers", Json::array({{{"name", "c"}}})}}}};
  auto created = registry_.Create(Kind("pods"), "ns1", pod, options_);
  ASSERT_EQ(created.status().code(), StatusCode::kInvalid);
  ASSERT_NE(created.status().details(), nullptr);
  bool found = false;
  for (const auto& cause : created.status().details()->causes) {
    found |= cause.field == "spec.containers[0].image" && cause.type == "FieldValueRequired";
  }
  EXPECT_TRUE(found) << created.status().message();
}

TEST_F(RegistryTest, ListPagesOnOneSnapshot) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(registry_.Create(Kind("configmaps"), "ns1", ConfigMap("c" + std::to_string(i)),
                                 options_).ok());
  }
  ListRequest first;
  first.limit = 2;
  auto page1 = registry_.List(Kind("configmaps"), "ns1", first);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->items.size(), 2u);
  ASSERT_FALSE(page1->continue_token.empty());
  ASSERT_TRUE(registry_.Create(Kind("configmaps"), "ns1", ConfigMap("c9"), options_).ok());

  std::vector<std::string> names;
  ListRequest next = first;
  next.continue_token = page1->continue_token;
  while (true) {
    auto page = registry_.List(Kind("configmaps"), "ns1", next);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (auto& kv : page->items) names.push_back(kv.key);
    if (page->continue_token.empty()) break;
    next.continue_token = page->continue_token;
  }
  EXPECT_EQ(names.size(), 3u);  // c2..c4: the object created later is not in the snapshot
}

}  // namespace
}  // namespace haru::registry
