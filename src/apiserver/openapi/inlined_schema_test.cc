#include "apiserver/openapi/inlined_schema.h"

#include <gtest/gtest.h>

#include "api/kinds.h"

namespace haru::apiserver::openapi {
namespace {

bool HasRef(const Json& j) {
  if (j.is_object()) {
    if (j.contains("$ref")) return true;
    for (const auto& [k, v] : j.items()) {
      if (HasRef(v)) return true;
    }
  }
  if (j.is_array()) {
    for (const Json& v : j) {
      if (HasRef(v)) return true;
    }
  }
  return false;
}

TEST(InlinedSchema, PodSchemaIsSelfContained) {
  const api::KindSpec* pods = api::FindKindByResource("", "v1", "pods");
  ASSERT_NE(pods, nullptr);
  Json schema = InlinedSchema(*pods);
  EXPECT_FALSE(HasRef(schema));
  const Json& container = schema["properties"]["spec"]["properties"]["containers"]["items"];
  EXPECT_EQ(container["properties"]["image"]["type"], "string");
  // A field that referenced a type with its own description keeps its description.
  EXPECT_TRUE(container["properties"]["resources"].contains("description"));
  EXPECT_EQ(container["properties"]["resources"]["properties"]["limits"]["type"], "object");
}

TEST(InlinedSchema, GroupedKinds) {
  const api::KindSpec* claims = api::FindKindByResource("resource.k8s.io", "v1", "resourceclaims");
  ASSERT_NE(claims, nullptr);
  Json schema = InlinedSchema(*claims);
  EXPECT_FALSE(HasRef(schema));
  EXPECT_EQ(schema["properties"]["spec"]["properties"]["devices"]["properties"]["requests"]["type"], "array");
}

}  // namespace
}  // namespace haru::apiserver::openapi
