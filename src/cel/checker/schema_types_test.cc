#include "cel/checker/schema_types.h"

#include <gtest/gtest.h>

#include "cel/checker/environments.h"

namespace haru::cel {
namespace {

// A trimmed Pod schema with the features the converter handles.
const Json kPodSchema = Json::parse(R"({
  "type": "object",
  "properties": {
    "apiVersion": {"type": "string"},
    "kind": {"type": "string"},
    "metadata": {
      "type": "object",
      "properties": {
        "name": {"type": "string", "maxLength": 253},
        "generateName": {"type": "string"},
        "namespace": {"type": "string"},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}, "maxProperties": 64},
        "creationTimestamp": {"type": "string", "format": "date-time"},
        "generation": {"type": "integer", "format": "int64"}
      }
    },
    "spec": {
      "type": "object",
      "properties": {
        "containers": {
          "type": "array",
          "maxItems": 16,
          "items": {
            "type": "object",
            "properties": {
              "name": {"type": "string"},
              "image": {"type": "string", "nullable": true},
              "args": {"type": "array", "items": {"type": "string"}},
              "ports": {"type": "array", "items": {
                "type": "object",
                "properties": {
                  "containerPort": {"type": "integer"},
                  "targetPort": {"x-kubernetes-int-or-string": true}
                }
              }},
              "resources": {"type": "object", "properties": {
                "limits": {"type": "object", "additionalProperties": {
                  "x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]
                }}
              }}
            }
          }
        },
        "activeDeadlineSeconds": {"type": "integer"},
        "priority": {"type": "number"},
        "hostNetwork": {"type": "boolean"},
        "terminationGracePeriod": {"type": "string", "format": "duration"},
        "secretData": {"type": "string", "format": "byte"},
        "config": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
        "broken": {"type": "array"},
        "untyped": {"description": "no type"},
        "dotted.name": {"type": "string"},
        "x-y": {"type": "string"},
        "in": {"type": "boolean"},
        "9lives": {"type": "string"}
      }
    }
  }
})");

const Type& Field(const TypePtr& t, const std::string& name) {
  static const TypePtr kMissing = ObjectType("missing", {});
  auto it = t->fields.find(name);
  return it == t->fields.end() ? *kMissing : *it->second;
}

TEST(SchemaTypesTest, PodLikeSchema) {
  SchemaSizes sizes;
  TypePtr pod = TypeFromSchema(kPodSchema, "Object", {.resource_root = true, .sizes = &sizes});
  ASSERT_EQ(pod->kind, Type::Kind::kObject);
  EXPECT_EQ(pod->ToString(), "Object");
  EXPECT_EQ(Field(pod, "kind").ToString(), "string");

  const Type& metadata = Field(pod, "metadata");
  EXPECT_EQ(metadata.ToString(), "Object.metadata");
  EXPECT_EQ(metadata.fields.at("labels")->ToString(), "map(string, string)");
  EXPECT_EQ(metadata.fields.at("creationTimestamp")->kind, Type::Kind::kTimestamp);
  EXPECT_EQ(metadata.fields.at("generation")->ToString(), "int");
  // `namespace` is a reserved word: declared escaped and, like upstream resolves it, plain.
  EXPECT_EQ(metadata.fields.at("__namespace__")->ToString(), "string");
  EXPECT_EQ(metadata.fields.at("namespace")->ToString(), "string");

  TypePtr spec = pod->fields.at("spec");
  EXPECT_EQ(spec->ToString(), "Object.spec");
  TypePtr containers = spec->fields.at("containers");
  EXPECT_EQ(containers->ToString(), "list(Object.spec.containers.@idx)");
  TypePtr container = containers->params[0];
  EXPECT_EQ(container->fields.at("name")->ToString(), "string");
  EXPECT_EQ(container->fields.at("image")->ToString(), "string");
  EXPECT_EQ(container->fields.at("args")->ToString(), "list(string)");
  EXPECT_EQ(container->fields.at("ports")->ToString(), "list(Object.spec.containers.@idx.ports.@idx)");
  TypePtr port = container->fields.at("ports")->params[0];
  EXPECT_EQ(port->fields.at("containerPort")->ToString(), "int");
  EXPECT_EQ(port->fields.at("targetPort")->ToString(), "dyn");
  EXPECT_EQ(Field(container->fields.at("resources"), "limits").ToString(), "map(string, dyn)");

  EXPECT_EQ(spec->fields.at("activeDeadlineSeconds")->ToString(), "int");
  EXPECT_EQ(spec->fields.at("priority")->ToString(), "double");
  EXPECT_EQ(spec->fields.at("hostNetwork")->ToString(), "bool");
  EXPECT_EQ(spec->fields.at("terminationGracePeriod")->kind, Type::Kind::kDuration);
  EXPECT_EQ(spec->fields.at("secretData")->ToString(), "bytes");
  EXPECT_EQ(spec->fields.at("config")->ToString(), "dyn");
  EXPECT_EQ(spec->fields.at("dotted__dot__name")->ToString(), "string");
  EXPECT_EQ(spec->fields.at("x__dash__y")->ToString(), "string");
  EXPECT_EQ(spec->fields.at("__in__")->ToString(), "bool");
  // No CEL type, or a name that cannot be a field: left out.
  EXPECT_EQ(spec->fields.count("broken"), 0u);
  EXPECT_EQ(spec->fields.count("untyped"), 0u);
  EXPECT_EQ(spec->fields.count("9lives"), 0u);

  EXPECT_EQ(sizes.max_elements.at("Object.metadata.name"), 253);
  EXPECT_EQ(sizes.max_elements.at("Object.metadata.labels"), 64);
  EXPECT_EQ(sizes.max_elements.at("Object.spec.containers"), 16);
  EXPECT_EQ(sizes.max_elements.count("Object.spec.priority"), 0u);
}

TEST(SchemaTypesTest, ResourceRootGetsTypeAndObjectMeta) {
  Json schema = Json::parse(R"({"type": "object", "properties": {"spec": {"type": "object",
      "properties": {"replicas": {"type": "integer"}}}}})");
  TypePtr root = TypeFromSchema(schema, "Object", {.resource_root = true});
  EXPECT_EQ(root->fields.at("apiVersion")->ToString(), "string");
  EXPECT_EQ(root->fields.at("kind")->ToString(), "string");
  EXPECT_EQ(root->fields.at("metadata")->ToString(), "Object.metadata");
  EXPECT_EQ(root->fields.at("metadata")->fields.size(), 2u);
  EXPECT_EQ(root->fields.at("spec")->fields.at("replicas")->ToString(), "int");

  TypePtr plain = TypeFromSchema(schema, "Params");
  EXPECT_EQ(plain->fields.count("kind"), 0u);
  EXPECT_EQ(plain->fields.at("spec")->ToString(), "Params.spec");
}

TEST(SchemaTypesTest, EmbeddedResourceAndMaps) {
  Json schema = Json::parse(R"({"type": "object", "properties": {
      "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                   "x-kubernetes-preserve-unknown-fields": true},
      "byName": {"type": "object", "additionalProperties": {"type": "object",
                 "properties": {"weight": {"type": "integer"}}}}}})");
  TypePtr root = TypeFromSchema(schema, "Object");
  TypePtr tmpl = root->fields.at("template");
  EXPECT_EQ(tmpl->ToString(), "Object.template");
  EXPECT_EQ(tmpl->fields.at("metadata")->ToString(), "Object.template.metadata");
  EXPECT_EQ(root->fields.at("byName")->ToString(), "map(string, Object.byName.@elem)");
}

TEST(SchemaTypesTest, NoTypeIsDyn) {
  EXPECT_EQ(TypeFromSchema(Json::parse(R"({"type": "array"})"), "Object")->ToString(), "dyn");
  EXPECT_EQ(TypeFromSchema(Json::parse(R"({"x-kubernetes-preserve-unknown-fields": true})"), "Object")->ToString(),
            "dyn");
  EXPECT_EQ(TypeFromSchema(Json(), "Object")->ToString(), "dyn");
}

TEST(SchemaTypesTest, EscapeFieldName) {
  std::string out;
  ASSERT_TRUE(EscapeFieldName("foo_bar", &out));
  EXPECT_EQ(out, "foo_bar");
  ASSERT_TRUE(EscapeFieldName("a__b", &out));
  EXPECT_EQ(out, "a__underscores__b");
  ASSERT_TRUE(EscapeFieldName("example.com/x-y", &out));
  EXPECT_EQ(out, "example__dot__com__slash__x__dash__y");
  ASSERT_TRUE(EscapeFieldName("namespace", &out));
  EXPECT_EQ(out, "__namespace__");
  EXPECT_FALSE(EscapeFieldName("1a", &out));
  EXPECT_FALSE(EscapeFieldName("a b", &out));
  EXPECT_FALSE(EscapeFieldName("", &out));
}

TEST(EnvironmentsTest, DraSelector) {
  TypeEnv env = DraSelectorEnvironment();
  EXPECT_TRUE(env.require_bool);
  ASSERT_EQ(env.variables.size(), 1u);
  TypePtr device = env.variables.at("device");
  EXPECT_EQ(device->ToString(), "kubernetes.DRADevice");
  EXPECT_EQ(device->fields.at("driver")->ToString(), "string");
  EXPECT_EQ(device->fields.at("capacity")->ToString(), "map(string, map(string, kubernetes.Quantity))");
  EXPECT_EQ(device->fields.at("attributes")->params[1]->params[1]->kind, Type::Kind::kAny);
  EXPECT_EQ(device->fields.at("allowMultipleAllocations")->ToString(), "bool");
  EXPECT_EQ(DraDeviceType(/*consumable_capacity=*/false)->fields.count("allowMultipleAllocations"), 0u);
}

TEST(EnvironmentsTest, Admission) {
  TypePtr object = TypeFromSchema(kPodSchema, "Object", {.resource_root = true});
  TypeEnv env = AdmissionEnvironment(object, nullptr, {{"isProd", Primitive(Type::Kind::kBool)}});
  EXPECT_FALSE(env.require_bool);
  EXPECT_EQ(env.variables.at("object")->ToString(), "Object");
  EXPECT_EQ(env.variables.at("oldObject")->ToString(), "Object");
  EXPECT_EQ(env.variables.at("params")->ToString(), "dyn");
  TypePtr request = env.variables.at("request");
  EXPECT_EQ(request->ToString(), "kubernetes.AdmissionRequest");
  EXPECT_EQ(request->fields.at("userInfo")->fields.at("extra")->ToString(), "map(string, list(string))");
  EXPECT_EQ(request->fields.at("requestResource")->ToString(), "kubernetes.GroupVersionResource");
  EXPECT_EQ(env.variables.at("namespaceObject")->fields.at("metadata")->fields.at("labels")->ToString(),
            "map(string, string)");
  EXPECT_EQ(env.variables.at("authorizer")->ToString(), "kubernetes.authorization.Authorizer");
  EXPECT_EQ(env.variables.at("authorizer.requestResource")->ToString(), "kubernetes.authorization.ResourceCheck");
  EXPECT_EQ(env.variables.at("variables")->fields.at("isProd")->ToString(), "bool");
}

TEST(EnvironmentsTest, Named) {
  TypeEnv env;
  ASSERT_TRUE(LookupEnvironment("dra", &env));
  EXPECT_TRUE(env.require_bool);
  EXPECT_EQ(EnvironmentVariables("dra"), std::vector<std::string>{"device"});
  ASSERT_TRUE(LookupEnvironment("admission", &env));
  EXPECT_FALSE(env.require_bool);
  EXPECT_EQ(env.variables.at("variables")->ToString(), "map(string, dyn)");
  EXPECT_EQ(EnvironmentVariables("admission"),
            (std::vector<std::string>{"authorizer", "authorizer.requestResource", "namespaceObject", "object",
                                      "oldObject", "params", "request", "variables"}));
  EXPECT_FALSE(LookupEnvironment("nope", &env));
  EXPECT_TRUE(EnvironmentVariables("nope").empty());
}

}  // namespace
}  // namespace haru::cel
