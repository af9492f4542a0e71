#include "api/protobuf/decode.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "api/schema/declarations.h"

namespace haru::api {
namespace {

// A tiny protobuf writer, so each test spells out the bytes it sends.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string Key(int field, int wire_type) { return Varint(uint64_t(field) << 3 | wire_type); }
std::string Int(int field, int64_t v) { return Key(field, 0) + Varint(static_cast<uint64_t>(v)); }
std::string Bytes(int field, const std::string& v) { return Key(field, 2) + Varint(v.size()) + v; }
std::string Entry(int field, const std::string& k, const std::string& v) {
  return Bytes(field, Bytes(1, k) + Bytes(2, v));
}
std::string Envelope(const std::string& api_version, const std::string& kind,
                     const std::string& raw) {
  return std::string("k8s\0", 4) + Bytes(1, Bytes(1, api_version) + Bytes(2, kind)) +
         Bytes(2, raw) + Bytes(3, "") + Bytes(4, "");
}

StatusOr<Json> Decode(const std::string& body) {
  return DecodeKubernetesProtobuf(body, BuiltinSchemas());
}

TEST(ProtobufDecodeTest, Namespace) {
  // What kubectl create ns sends: non-pointer fields are always written, even when empty.
  std::string meta = Bytes(1, "team-a") + Bytes(2, "") + Int(7, 0) +
                     Bytes(8, Int(1, -62135596800) + Int(2, 0));
  auto doc = Decode(Envelope("v1", "Namespace", Bytes(1, meta) + Bytes(2, "") + Bytes(3, "")));
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(*doc, Json::parse(R"({"apiVersion":"v1","kind":"Namespace",
      "metadata":{"name":"team-a"},"spec":{},"status":{}})"));
}

TEST(ProtobufDecodeTest, ConfigMapWithDataLabelsAndTimestamp) {
  std::string meta = Bytes(1, "cfg") + Bytes(3, "team-a") + Bytes(8, Int(1, 1767225600)) +
                     Entry(11, "app", "web") + Entry(11, "tier", "front");
  std::string cm = Bytes(1, meta) + Entry(2, "a", "1") + Entry(2, "b", "") +
                   Entry(3, "bin", std::string("\x00\xff", 2)) + Int(4, 1);
  auto doc = Decode(Envelope("v1", "ConfigMap", cm));
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(*doc, Json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
      "metadata":{"name":"cfg","namespace":"team-a","creationTimestamp":"2026-01-01T00:00:00Z",
                  "labels":{"app":"web","tier":"front"}},
      "data":{"a":"1","b":""},"binaryData":{"bin":"AP8="},"immutable":true})"));
}

TEST(ProtobufDecodeTest, PodWithContainersPortsResources) {
  std::string quantity_500m = Bytes(1, "500m");
  std::string resources = Entry(1, "cpu", quantity_500m) + Bytes(2, Bytes(1, "memory") +
                                                                     Bytes(2, Bytes(1, "1Gi")));
  std::string port = Bytes(1, "http") + Int(3, 8080) + Bytes(4, "TCP");
  std::string container = Bytes(1, "web") + Bytes(2, "nginx") + Bytes(3, "nginx") +
                          Bytes(3, "-g") + Bytes(6, port) + Bytes(8, resources) + Int(16, 0);
  std::string spec = Bytes(2, container) + Bytes(3, "Never") + Int(4, 30);
  // PodSpec.volumes[0]: name, then the embedded VolumeSource (2) with emptyDir (2.2).
  spec += Bytes(1, Bytes(1, "scratch") + Bytes(2, Bytes(2, Bytes(1, "Memory"))));
  std::string pod = Bytes(1, Bytes(1, "p")) + Bytes(2, spec) + Bytes(3, "");
  auto doc = Decode(Envelope("v1", "Pod", pod));
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["spec"]["containers"][0], Json::parse(R"({"name":"web","image":"nginx",
      "command":["nginx","-g"],"ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
      "resources":{"limits":{"cpu":"500m"},"requests":{"memory":"1Gi"}},"stdin":false})"));
  EXPECT_EQ((*doc)["spec"]["restartPolicy"], "Never");
  EXPECT_EQ((*doc)["spec"]["terminationGracePeriodSeconds"], 30);
  EXPECT_EQ((*doc)["spec"]["volumes"], Json::parse(
      R"([{"name":"scratch","emptyDir":{"medium":"Memory"}}])"));
}

TEST(ProtobufDecodeTest, IntOrStringAndNegativeInt32) {
  std::string port = Bytes(1, "p") + Int(3, 80) + Bytes(4, Int(1, 1) + Bytes(3, "http")) +
                     Int(5, -1);
  std::string spec = Bytes(1, port) + Bytes(1, Bytes(1, "q") + Int(3, 81) + Bytes(4, Int(2, 9090)));
  auto doc = Decode(Envelope("v1", "Service", Bytes(2, spec)));
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["spec"]["ports"][0]["targetPort"], "http");
  EXPECT_EQ((*doc)["spec"]["ports"][0]["nodePort"], -1);
  EXPECT_EQ((*doc)["spec"]["ports"][1]["targetPort"], 9090);
}

TEST(ProtobufDecodeTest, UnknownFieldsAreSkipped) {
  std::string meta = Bytes(1, "x") + Bytes(999, "future") + Int(1000, 5) +
                     Key(1001, 1) + std::string(8, '\0') + Key(1002, 5) + std::string(4, '\0');
  auto doc = Decode(Envelope("v1", "Namespace", Bytes(1, meta) + Int(77, 1)));
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ((*doc)["metadata"], Json::parse(R"({"name":"x"})"));
}

TEST(ProtobufDecodeTest, MalformedInputIsBadRequest) {
  std::string good = Envelope("v1", "ConfigMap", Bytes(1, Bytes(1, "cfg")) + Entry(2, "a", "1"));
  ASSERT_TRUE(Decode(good).ok());
  for (size_t n = 0; n < good.size(); ++n) {
    auto doc = Decode(good.substr(0, n));
    if (!doc.ok()) {
      EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest) << n;
    }
  }
  EXPECT_FALSE(Decode("{}").ok());  // no magic
  EXPECT_FALSE(Decode(Envelope("v1", "NoSuchKind", "")).ok());
  EXPECT_FALSE(Decode(std::string("k8s\0", 4) + "\x0a\xff\xff\xff\xff\x0f").ok());  // length
  EXPECT_FALSE(Decode(std::string("k8s\0", 4) + std::string(11, '\xff')).ok());  // varint
  EXPECT_FALSE(Decode(Envelope("v1", "ConfigMap", Int(1, 5))).ok());  // wrong wire type
  // Deep nesting (metadata.managedFields[].fieldsV1 holding another envelope, 200 times)
  // must fail cleanly, not overflow the stack.
  std::string nested = Bytes(1, "x");
  for (int i = 0; i < 200; ++i) {
    nested = Bytes(7, Bytes(1, Bytes(1, std::string("k8s\0", 4) +
                                            Bytes(1, Bytes(1, "v1") + Bytes(2, "Namespace")) +
                                            Bytes(2, Bytes(1, Bytes(13, nested))))));
  }
  EXPECT_FALSE(Decode(Envelope("v1", "Namespace", Bytes(1, Bytes(13, nested)))).ok());
}

// Raw JSON inside a message may itself nest up to ParseJson's limit; together with the
// message levels above it, the decoded object must still be one ParseJson can read back.
TEST(ProtobufDecodeTest, RawJsonBelowMessagesStaysWithinTheJsonDepthLimit) {
  auto with_fields_v1 = [](const std::string& json) {
    std::string managed = Bytes(17, Bytes(1, "m") + Bytes(7, Bytes(1, json)));
    return Envelope("v1", "Namespace", Bytes(1, Bytes(1, "x") + managed));
  };
  auto shallow = Decode(with_fields_v1(R"({"f:metadata":{}})"));
  ASSERT_TRUE(shallow.ok()) << shallow.status().message();
  std::string deep = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  ASSERT_TRUE(ParseJson(deep).ok());
  auto doc = Decode(with_fields_v1(deep));
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kBadRequest);
  EXPECT_NE(doc.status().message().find("nested more than"), std::string::npos);
}

}  // namespace
}  // namespace haru::api
