#include <gtest/gtest.h>

#include "api/schema/declarations.h"
#include "api/schema/decode_check.h"
#include "api/schema/schema.h"

namespace haru::api {
namespace {

constexpr std::string_view kDecl = R"(
package test.v1
use meta io.k8s.apimachinery.pkg.apis.meta.v1   # a comment

type Thing gvk=example.com/v1/Thing "A thing."
  apiVersion string
  kind       string
  metadata   meta.Meta
  spec       ThingSpec "Its spec."
  items      []Item merge=name strategy=merge listType=map keys=name
      "Continued description."

type ThingSpec
  enabled  bool required
  mode     string enum=Fast|Slow
  count    int32
  size     quantity
  port     intorstring
  labels   map[string]string
  when     time
  raw      any

type Item
  name  string required
  value int64

package io.k8s.apimachinery.pkg.apis.meta.v1
type Meta
  name string
)";

TEST(DeclarationsTest, ParsesTypesFieldsAndFlags) {
  SchemaRegistry r;
  ASSERT_TRUE(ParseDeclarations({{"test", kDecl}}, &r).ok());
  const Schema* thing = r.Find("test.v1.Thing");
  ASSERT_NE(thing, nullptr);
  EXPECT_EQ(thing->description, "A thing.");
  ASSERT_EQ(thing->gvks.size(), 1u);
  EXPECT_EQ(thing->gvks[0], (GroupVersionKind{"example.com", "v1", "Thing"}));
  const Field* items = thing->FindField("items");
  ASSERT_NE(items, nullptr);
  EXPECT_EQ(items->description, "Continued description.");
  EXPECT_EQ(items->patch_merge_key, "name");
  EXPECT_EQ(items->patch_strategy, "merge");
  EXPECT_EQ(items->list_type, "map");
  EXPECT_EQ(items->list_map_keys, std::vector<std::string>{"name"});
  ASSERT_EQ(items->schema->type, SchemaType::kArray);
  EXPECT_EQ(items->schema->items, r.Find("test.v1.Item"));
  EXPECT_EQ(thing->FindField("metadata")->schema, r.Find("io.k8s.apimachinery.pkg.apis.meta.v1.Meta"));
  EXPECT_FALSE(thing->FindField("kind")->description.empty());
  const Schema* spec = r.Find("test.v1.ThingSpec");
  EXPECT_TRUE(spec->FindField("enabled")->required);
  EXPECT_EQ(spec->FindField("mode")->schema->enum_values, (std::vector<std::string>{"Fast", "Slow"}));
  EXPECT_EQ(spec->FindField("count")->schema->format, "int32");
  EXPECT_EQ(spec->FindField("size")->schema->name, kQuantityName);
  EXPECT_EQ(spec->FindField("port")->schema->type, SchemaType::kIntOrString);
  EXPECT_EQ(spec->FindField("labels")->schema->type, SchemaType::kMap);
  EXPECT_EQ(spec->FindField("when")->schema->name, kTimeName);
}

TEST(DeclarationsTest, ErrorsNameLineAndColumn) {
  SchemaRegistry r;
  Status s = ParseDeclarations({{"bad", "package a.v1\ntype T\n  name  strng\n"}}, &r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "bad:3:9: unknown type \"strng\"");

  SchemaRegistry r2;
  s = ParseDeclarations({{"bad", "package a.v1\ntype T\n  name string listType=bag\n"}}, &r2);
  EXPECT_EQ(s.message(), "bad:3:15: listType must be atomic, set or map");

  SchemaRegistry r3;
  s = ParseDeclarations({{"bad", "package a.v1\ntype T\n  name string \"open\n"}}, &r3);
  EXPECT_EQ(s.message(), "bad:3:15: unterminated description (missing closing quote)");

  SchemaRegistry r4;
  s = ParseDeclarations({{"bad", "package a.v1\ntype T\n  name\n"}}, &r4);
  EXPECT_EQ(s.message(), "bad:3:7: expected a type after field \"name\"");

  SchemaRegistry r5;
  s = ParseDeclarations({{"bad", "package a.v1\nstruct T\n"}}, &r5);
  EXPECT_EQ(s.message(), "bad:2:1: expected 'package', 'use' or 'type', found \"struct\"");
}

TEST(BuiltinSchemasTest, AllDeclarationsParse) {
  const SchemaRegistry& r = BuiltinSchemas();
  for (const char* name :
       {"io.k8s.api.core.v1.Pod", "io.k8s.api.core.v1.PodSpec", "io.k8s.api.core.v1.Namespace",
        "io.k8s.api.core.v1.Node", "io.k8s.api.core.v1.ConfigMap", "io.k8s.api.core.v1.Secret",
        "io.k8s.api.core.v1.Service", "io.k8s.api.core.v1.ServiceAccount", "io.k8s.api.core.v1.Event",
        "io.k8s.api.core.v1.Endpoints", "io.k8s.api.core.v1.Binding", "io.k8s.api.core.v1.PodList",
        "io.k8s.api.events.v1.Event", "io.k8s.api.coordination.v1.Lease",
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Condition", "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
        "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"}) {
    EXPECT_NE(r.Find(name), nullptr) << name;
  }
  // Every field resolved.
  for (const auto& [name, s] : r.all()) {
    for (const Field& f : s->properties) EXPECT_NE(f.schema, nullptr) << name << "." << f.name;
  }
  const Schema* spec = r.Find("io.k8s.api.core.v1.PodSpec");
  for (const Field& f : spec->properties) EXPECT_FALSE(f.description.empty()) << "PodSpec." << f.name;
  for (const Field& f : r.Find("io.k8s.api.core.v1.Container")->properties) {
    EXPECT_FALSE(f.description.empty()) << "Container." << f.name;
  }
  for (const Field& f : r.Find("io.k8s.api.core.v1.PodSecurityContext")->properties) {
    EXPECT_FALSE(f.description.empty()) << "PodSecurityContext." << f.name;
  }
  EXPECT_EQ(spec->FindField("hostUsers")->schema->type, SchemaType::kBoolean);
  const Field* containers = spec->FindField("containers");
  EXPECT_TRUE(containers->required);
  EXPECT_EQ(containers->patch_merge_key, "name");
  const Field* claims = spec->FindField("resourceClaims");
  EXPECT_EQ(claims->list_type, "map");
  EXPECT_NE(claims->schema->items->FindField("resourceClaimTemplateName"), nullptr);
  const Schema* psc = r.Find("io.k8s.api.core.v1.PodSecurityContext");
  EXPECT_EQ(psc->FindField("seLinuxChangePolicy")->schema->enum_values,
            (std::vector<std::string>{"Recursive", "MountOption"}));
  EXPECT_NE(psc->FindField("appArmorProfile"), nullptr);
  const Schema* c = r.Find("io.k8s.api.core.v1.Container");
  EXPECT_EQ(c->FindField("ports")->patch_merge_key, "containerPort");
  EXPECT_EQ(c->FindField("env")->patch_merge_key, "name");
  EXPECT_EQ(c->FindField("volumeMounts")->patch_merge_key, "mountPath");
  EXPECT_NE(c->FindField("resources")->schema->FindField("claims"), nullptr);
  const Schema* vol = r.Find("io.k8s.api.core.v1.Volume");
  for (const char* src : {"gitRepo", "configMap", "secret", "emptyDir", "hostPath", "persistentVolumeClaim",
                          "projected", "downwardAPI", "csi", "ephemeral", "image"}) {
    EXPECT_NE(vol->FindField(src), nullptr) << src;
  }
  EXPECT_EQ(r.Find("io.k8s.api.core.v1.ServiceSpec")->FindField("ports")->patch_merge_key, "port");
  ASSERT_EQ(r.Find("io.k8s.api.core.v1.Pod")->gvks.size(), 1u);
  EXPECT_EQ(r.Find("io.k8s.api.core.v1.Pod")->gvks[0], (GroupVersionKind{"", "v1", "Pod"}));
}

const Schema& PodSchema() { return *BuiltinSchemas().Find("io.k8s.api.core.v1.Pod"); }

TEST(DecodeCheckTest, UnknownFieldPaths) {
  Json pod = Json::parse(R"({"apiVersion":"v1","kind":"Pod",
    "metadata":{"name":"p","labelz":{"a":"b"},"labels":{"x":"y"}},
    "spec":{"containers":[{"name":"c","image":"i"},{"name":"d","imagee":"i",
       "resources":{"limits":{"cpu":"1"}},"securityContext":{"seLinuxOptions":{"levl":"s0"}}}],
       "foo":1,"volumes":[{"name":"v","configMap":{"name":"x","itemz":[]}}]},
    "status":{}})");
  std::vector<std::string> unknown = FindUnknownFields(pod, PodSchema());
  EXPECT_EQ(unknown, (std::vector<std::string>{
                         "metadata.labelz", "spec.containers[1].imagee",
                         "spec.containers[1].securityContext.seLinuxOptions.levl", "spec.foo",
                         "spec.volumes[0].configMap.itemz"}));
  EXPECT_EQ(StrictDecodingErrorMessage({"spec.foo", "spec.bar"}),
            "strict decoding error: unknown field \"spec.foo\", unknown field \"spec.bar\"");
  EXPECT_EQ(UnknownFieldWarnings({"spec.foo"}), std::vector<std::string>{"unknown field \"spec.foo\""});
  // apiVersion/kind are only known at the top.
  Json nested = Json::parse(R"({"spec":{"kind":"x"}})");
  EXPECT_EQ(FindUnknownFields(nested, PodSchema()), std::vector<std::string>{"spec.kind"});
}

TEST(DecodeCheckTest, TypeErrorsLikeUpstream) {
  GroupVersionKind gvk{"", "v1", "Pod"};
  Json ok = Json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":null},
    "spec":{"hostUsers":false,"containers":[{"name":"c","image":"i","ports":[{"containerPort":80}],
    "resources":{"limits":{"cpu":1,"memory":"1Gi"}},
    "livenessProbe":{"httpGet":{"port":"http"}},"readinessProbe":{"tcpSocket":{"port":8080}}}],
    "securityContext":null}})");
  EXPECT_TRUE(CheckTypes(ok, PodSchema(), gvk).ok()) << CheckTypes(ok, PodSchema(), gvk).ToString();

  Json bad = Json::parse(R"({"spec":{"hostUsers":"no","containers":[]}})");
  Status s = CheckTypes(bad, PodSchema(), gvk);
  EXPECT_EQ(s.code(), StatusCode::kBadRequest);
  EXPECT_EQ(s.message(),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go "
            "struct field PodSpec.spec.hostUsers of type bool");

  bad = Json::parse(R"({"spec":{"containers":[{"name":"c","ports":[{"containerPort":"80"}]}]}})");
  EXPECT_EQ(CheckTypes(bad, PodSchema(), gvk).message(),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go "
            "struct field ContainerPort.spec.containers.ports.containerPort of type int32");

  bad = Json::parse(R"({"spec":{"containers":{}}})");
  EXPECT_EQ(CheckTypes(bad, PodSchema(), gvk).message(),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal object into Go "
            "struct field PodSpec.spec.containers of type []v1.Container");

  bad = Json::parse(R"({"metadata":{"labels":{"a":1}}})");
  EXPECT_EQ(CheckTypes(bad, PodSchema(), gvk).message(),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number into Go "
            "struct field ObjectMeta.metadata.labels of type string");

  bad = Json::parse(R"({"spec":{"activeDeadlineSeconds":1.5}})");
  EXPECT_EQ(CheckTypes(bad, PodSchema(), gvk).message(),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal number 1.5 into "
            "Go struct field PodSpec.spec.activeDeadlineSeconds of type int64");

  bad = Json::parse(R"({"spec":{"containers":[{"resources":{"limits":{"cpu":true}}}]}})");
  EXPECT_FALSE(CheckTypes(bad, PodSchema(), gvk).ok());
  bad = Json::parse(R"({"spec":"x"})");
  EXPECT_EQ(CheckTypes(bad, PodSchema(), gvk).message(),
            "Pod in version \"v1\" cannot be handled as a Pod: json: cannot unmarshal string into Go "
            "struct field Pod.spec of type v1.PodSpec");
}

}  // namespace
}  // namespace haru::api
