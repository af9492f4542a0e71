#include "apiserver/openapi/openapi.h"

#include <gtest/gtest.h>

#include <functional>

#include "api/kinds.h"
#include "api/schema/declarations.h"

namespace haru::apiserver {
namespace {

api::KindSpec FakePod() {
  api::KindSpec k;
  k.gvk = {"", "v1", "Pod"};
  k.plural = "pods";
  k.singular = "pod";
  k.short_names = {"po"};
  k.schema = "io.k8s.api.core.v1.Pod";
  k.has_status = true;
  k.extra_subresources = {{"binding"}};
  return k;
}

api::KindSpec FakeLease() {
  api::KindSpec k;
  k.gvk = {"coordination.k8s.io", "v1", "Lease"};
  k.plural = "leases";
  k.singular = "lease";
  k.schema = "io.k8s.api.coordination.v1.Lease";
  return k;
}

// Every $ref in the document names a schema in components.schemas.
void ExpectRefsResolve(const Json& doc, const Json& node, const std::string& prefix) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "$ref") {
        std::string ref = it.value().get<std::string>();
        ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
        std::string name = ref.substr(prefix.size());
        const Json& defs = prefix == "#/definitions/" ? doc["definitions"] : doc["components"]["schemas"];
        EXPECT_TRUE(defs.contains(name)) << ref;
      } else {
        ExpectRefsResolve(doc, it.value(), prefix);
      }
    }
  } else if (node.is_array()) {
    for (const Json& e : node) ExpectRefsResolve(doc, e, prefix);
  }
}

TEST(OpenApiTest, V3DocumentForCoreV1) {
  api::KindSpec pod = FakePod(), lease = FakeLease();
  OpenApi openapi({&pod, &lease}, api::BuiltinSchemas());
  Json doc = Json::parse(*openapi.V3GroupVersion("api/v1"));
  EXPECT_EQ(doc["openapi"], "3.0.0");
  const Json& item = doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"];
  const Json& patch = item["patch"];
  EXPECT_EQ(patch["x-kubernetes-action"], "patch");
  EXPECT_EQ(patch["x-kubernetes-group-version-kind"], (Json{{"group", ""}, {"kind", "Pod"}, {"version", "v1"}}));
  bool has_field_validation = false;
  for (const Json& p : patch["parameters"]) has_field_validation |= p["name"] == "fieldValidation";
  EXPECT_TRUE(has_field_validation);
  EXPECT_TRUE(patch["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
  EXPECT_TRUE(doc["paths"].contains("/api/v1/namespaces/{namespace}/pods"));
  EXPECT_TRUE(doc["paths"]["/api/v1/namespaces/{namespace}/pods"].contains("delete"));
  EXPECT_EQ(doc["paths"]["/api/v1/namespaces/{namespace}/pods"]["delete"]["x-kubernetes-action"], "deletecollection");
  EXPECT_TRUE(doc["paths"].contains("/api/v1/pods"));
  EXPECT_TRUE(doc["paths"].contains("/api/v1/namespaces/{namespace}/pods/{name}/status"));
  EXPECT_EQ(doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/binding"]["post"]["x-kubernetes-group-version-kind"]["kind"],
            "Binding");
  EXPECT_FALSE(doc["paths"].contains("/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases"));

  const Json& schemas = doc["components"]["schemas"];
  const Json& podDef = schemas["io.k8s.api.core.v1.Pod"];
  EXPECT_EQ(podDef["x-kubernetes-group-version-kind"][0]["kind"], "Pod");
  EXPECT_EQ(podDef["properties"]["spec"]["allOf"][0]["$ref"], "#/components/schemas/io.k8s.api.core.v1.PodSpec");
  const Json& spec = schemas["io.k8s.api.core.v1.PodSpec"];
  EXPECT_EQ(spec["properties"]["hostUsers"]["type"], "boolean");
  EXPECT_FALSE(spec["properties"]["hostUsers"]["description"].get<std::string>().empty());
  EXPECT_EQ(spec["properties"]["containers"]["x-kubernetes-patch-merge-key"], "name");
  EXPECT_EQ(spec["properties"]["containers"]["x-kubernetes-patch-strategy"], "merge");
  EXPECT_EQ(spec["properties"]["containers"]["x-kubernetes-list-type"], "map");
  EXPECT_EQ(spec["properties"]["containers"]["x-kubernetes-list-map-keys"], Json::array({"name"}));
  EXPECT_EQ(spec["required"], Json::array({"containers"}));
  EXPECT_EQ(schemas["io.k8s.api.core.v1.PodSecurityContext"]["properties"]["seLinuxChangePolicy"]["enum"],
            Json::array({"Recursive", "MountOption"}));
  EXPECT_EQ(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["format"], "int-or-string");
  EXPECT_TRUE(schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"].contains("oneOf"));
  EXPECT_EQ(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]["format"], "date-time");
  EXPECT_TRUE(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.Patch"));
  EXPECT_TRUE(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"));
  ExpectRefsResolve(doc, doc, "#/components/schemas/");
}

TEST(OpenApiTest, RootHashesAndServe) {
  api::KindSpec pod = FakePod(), lease = FakeLease();
  OpenApi openapi({&pod, &lease}, api::BuiltinSchemas());
  Json root = Json::parse(*openapi.V3Root());
  std::string url = root["paths"]["api/v1"]["serverRelativeURL"];
  EXPECT_EQ(url, "/openapi/v3/api/v1?hash=" + openapi.V3Hash("api/v1"));
  EXPECT_EQ(openapi.V3Hash("api/v1").size(), 128u);
  EXPECT_TRUE(root["paths"].contains("apis/coordination.k8s.io/v1"));
  auto r = openapi.Serve("/openapi/v3/apis/coordination.k8s.io/v1");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->headers.Get("Content-Type"), "application/json");
  Json lease_doc = Json::parse(r->BodyString());
  EXPECT_TRUE(lease_doc["paths"].contains("/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}"));
  EXPECT_EQ(lease_doc["paths"]["/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}"]["patch"]["operationId"],
            "patchCoordinationV1NamespacedLease");
  EXPECT_EQ(openapi.Serve("/openapi/v3/apis/nope/v1")->status, 404);
  EXPECT_FALSE(openapi.Serve("/api/v1").has_value());
}

TEST(OpenApiTest, V2Swagger) {
  api::KindSpec pod = FakePod(), lease = FakeLease();
  OpenApi openapi({&pod, &lease}, api::BuiltinSchemas());
  Json doc = Json::parse(*openapi.V2());
  EXPECT_EQ(doc["swagger"], "2.0");
  EXPECT_TRUE(doc["definitions"].contains("io.k8s.api.coordination.v1.Lease"));
  EXPECT_EQ(doc["definitions"]["io.k8s.api.core.v1.PodSpec"]["properties"]["securityContext"]["$ref"],
            "#/definitions/io.k8s.api.core.v1.PodSecurityContext");
  EXPECT_EQ(doc["definitions"]["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["type"], "string");
  ExpectRefsResolve(doc, doc, "#/definitions/");
}

TEST(OpenApiTest, FakeSchemaRegistry) {
  api::SchemaRegistry reg;
  ASSERT_TRUE(api::ParseDeclarations({{"t", R"(
package io.k8s.apimachinery.pkg.apis.meta.v1
type ObjectMeta
  name string
type Status
  message string
type DeleteOptions
  dryRun []string
package io.example.v1
use meta io.k8s.apimachinery.pkg.apis.meta.v1
type Widget gvk=example.io/v1/Widget "A widget."
  metadata meta.ObjectMeta
  parts    []Part merge=id strategy=merge listType=map keys=id "Parts."
type Part
  id int32 required
)"}}, &reg).ok());
  api::KindSpec w;
  w.gvk = {"example.io", "v1", "Widget"};
  w.plural = "widgets";
  w.scope = api::Scope::kCluster;
  w.schema = "io.example.v1.Widget";
  w.verbs = {"get", "patch"};
  OpenApi openapi({&w}, reg);
  Json doc = openapi.BuildV3("apis/example.io/v1");
  EXPECT_EQ(doc["paths"].size(), 1u);
  const Json& item = doc["paths"]["/apis/example.io/v1/widgets/{name}"];
  EXPECT_TRUE(item.contains("get"));
  EXPECT_TRUE(item.contains("patch"));
  EXPECT_FALSE(item.contains("delete"));
  EXPECT_EQ(doc["components"]["schemas"]["io.example.v1.Widget"]["properties"]["parts"]["x-kubernetes-patch-merge-key"], "id");
  EXPECT_EQ(doc["components"]["schemas"]["io.example.v1.Part"]["required"], Json::array({"id"}));
  ExpectRefsResolve(doc, doc, "#/components/schemas/");
}

}  // namespace
}  // namespace haru::apiserver

namespace haru::apiserver {
namespace {

TEST(OpenApiTest, BuiltinKindsHaveSchemas) {
  for (const api::KindSpec* k : api::BuiltinKinds()) {
    const api::Schema* s = api::BuiltinSchemas().Find(k->schema);
    EXPECT_NE(s, nullptr) << k->gvk.kind << " schema \"" << k->schema << "\"";
  }
  Json root = Json::parse(*openapi::Builtin().V3Root());
  EXPECT_TRUE(root["paths"].contains("api/v1"));
  auto r = openapi::Serve("/openapi/v3/api/v1", {{"hash", "stale"}}, "application/json");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(openapi::Serve("/openapi/v2", {}, "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")->status, 404);
}

}  // namespace
}  // namespace haru::apiserver
