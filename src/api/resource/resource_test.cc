#include <gtest/gtest.h>

#include "api/kinds.h"
#include "api/resource/resource.h"
#include "api/resource/validation.h"

namespace haru::api::resource {
namespace {

std::string Messages(const FieldErrors& errs) {
  std::string out;
  for (const auto& e : errs) out += (out.empty() ? "" : "\n") + e.Message();
  return out;
}

Json Claim(Json request) {
  Json claim = {{"metadata", {{"name", "c"}, {"namespace", "default"}}},
                {"spec", {{"devices", {{"requests", Json::array({request})}}}}}};
  DefaultClaimSpec(claim["spec"]);
  return claim;
}

Json Slice() {
  return Json::parse(R"({
    "metadata": {"name": "node-1-gpu"},
    "spec": {"driver": "gpu.haru.dev", "nodeName": "node-1",
             "pool": {"name": "node-1", "generation": 1, "resourceSliceCount": 2},
             "devices": [{"name": "gpu-0-mig-1g10gb-0",
                          "attributes": {"profile": {"string": "1g.10gb"},
                                         "cudaComputeCapability": {"version": "8.0.0"}},
                          "capacity": {"memory": {"value": "10Gi"}},
                          "consumesCounters": [{"counterSet": "gpu-0-counter-set",
                                                "counters": {"memory-slice-0": {"value": "1"}}}]}]}})");
}

TEST(ResourceKinds, Registered) {
  const KindSpec* slice = FindKindByResource("resource.k8s.io", "v1", "resourceslices");
  ASSERT_NE(slice, nullptr);
  EXPECT_EQ(slice->scope, Scope::kCluster);
  ASSERT_EQ(slice->selectable_fields.size(), 2u);
  EXPECT_EQ(slice->selectable_fields[0].name, "spec.nodeName");
  EXPECT_EQ(slice->selectable_fields[1].name, "spec.driver");
  EXPECT_NE(FindKindByResource("resource.k8s.io", "v1", "deviceclasses"), nullptr);
  EXPECT_NE(FindKindByResource("resource.k8s.io", "v1", "resourceclaimtemplates"), nullptr);
  EXPECT_TRUE(FindKindByResource("resource.k8s.io", "v1", "resourceclaims")->has_status);
  const KindSpec* rule = FindKindByResource("resource.k8s.io", "v1beta2", "devicetaintrules");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->scope, Scope::kCluster);
}

TEST(ResourceClaim, DefaultsExactCountAndCount) {
  Json claim = Claim({{"name", "gpu"}, {"exactly", {{"deviceClassName", "gpu.example.com"}}}});
  const Json& exactly = claim["spec"]["devices"]["requests"][0]["exactly"];
  EXPECT_EQ(exactly["allocationMode"], "ExactCount");
  EXPECT_EQ(exactly["count"], 1);
  Json all = Claim({{"name", "gpu"},
                    {"exactly", {{"deviceClassName", "gpu.example.com"}, {"allocationMode", "All"}}}});
  EXPECT_FALSE(all["spec"]["devices"]["requests"][0]["exactly"].contains("count"));
  EXPECT_EQ(Messages(ValidateResourceClaim(claim)), "");
  EXPECT_EQ(Messages(ValidateResourceClaim(all)), "");
}

TEST(ResourceClaim, OneOfExactlyOrFirstAvailable) {
  Json claim = Claim({{"name", "gpu"}});
  EXPECT_EQ(Messages(ValidateResourceClaim(claim)),
            "spec.devices.requests[0]: Required value: exactly one of `exactly` or "
            "`firstAvailable` is required");
}

TEST(ResourceClaim, BadCelSelectorReportsLineAndColumn) {
  Json claim = Claim({{"name", "gpu"},
                      {"exactly",
                       {{"deviceClassName", "gpu.example.com"},
                        {"selectors", Json::array({{{"cel", {{"expression", "device.driver == "}}}}})}}}});
  FieldErrors errs = ValidateResourceClaim(claim);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].field, "spec.devices.requests[0].exactly.selectors[0].cel.expression");
  EXPECT_EQ(errs[0].type, FieldError::Type::kInvalid);
  EXPECT_NE(errs[0].detail.find("compilation failed: ERROR: <input>:1:"), std::string::npos)
      << errs[0].detail;
}

TEST(ResourceClaim, SelectorOverTheCostLimitIsForbidden) {
  // Four nested loops over the attribute maps: an estimated worst case far above 1,000,000.
  const std::string expensive =
      "device.attributes.exists(d, device.attributes[d].exists(k, device.attributes.exists(d2, "
      "device.attributes[d2].exists(k2, string(device.attributes[d][k]) == "
      "string(device.attributes[d2][k2])))))";
  Json claim = Claim({{"name", "gpu"},
                      {"exactly",
                       {{"deviceClassName", "gpu.example.com"},
                        {"selectors", Json::array({{{"cel", {{"expression", expensive}}}},
                                                   {{"cel", {{"expression", "device.attributes.exists(d, d == 'x')"}}}}})}}}});
  EXPECT_EQ(Messages(ValidateResourceClaim(claim)),
            "spec.devices.requests[0].exactly.selectors[0].cel.expression: Forbidden: too complex, "
            "exceeds cost limit");
}

TEST(ResourceClaim, NonBoolSelectorAndTooLong) {
  Json claim = Claim({{"name", "gpu"},
                      {"exactly",
                       {{"deviceClassName", "gpu.example.com"},
                        {"selectors", Json::array({{{"cel", {{"expression", "device.driver"}}}},
                                                   {{"cel", {{"expression", std::string(10241, 'a')}}}}})}}}});
  EXPECT_EQ(Messages(ValidateResourceClaim(claim)),
            "spec.devices.requests[0].exactly.selectors[0].cel.expression: Invalid value: "
            "\"device.driver\": must evaluate to bool or the unknown type, not string\n"
            "spec.devices.requests[0].exactly.selectors[1].cel.expression: Too long: may not be "
            "more than 10240 bytes");
}

TEST(ResourceClaim, DuplicateRequestsCountAndConstraints) {
  Json claim = Claim({{"name", "gpu"}, {"exactly", {{"deviceClassName", "c"}, {"count", -1}}}});
  claim["spec"]["devices"]["requests"].push_back(
      {{"name", "gpu"}, {"exactly", {{"deviceClassName", "c"}, {"allocationMode", "ExactCount"}, {"count", 1}}}});
  claim["spec"]["devices"]["constraints"] =
      Json::array({{{"requests", Json::array({"nope"})}, {"matchAttribute", "model"}}});
  EXPECT_EQ(Messages(ValidateResourceClaim(claim)),
            "spec.devices.requests[0].exactly.count: Invalid value: -1: must be greater than zero\n"
            "spec.devices.requests[1]: Duplicate value: \"gpu\"\n"
            "spec.devices.constraints[0].requests[0]: Invalid value: \"nope\": must be the name of "
            "a request in the claim or the name of a request and a subrequest separated by '/'\n"
            "spec.devices.constraints[0].matchAttribute: Invalid value: \"model\": a fully "
            "qualified name must be a domain and a name separated by a slash");
}

TEST(ResourceClaim, SpecImmutable) {
  Json claim = Claim({{"name", "gpu"}, {"exactly", {{"deviceClassName", "a"}}}});
  claim["metadata"]["resourceVersion"] = "1";
  Json changed = claim;
  changed["spec"]["devices"]["requests"][0]["exactly"]["deviceClassName"] = "b";
  FieldErrors errs = ValidateResourceClaimUpdate(changed, claim);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].field, "spec");
  EXPECT_EQ(errs[0].detail, "field is immutable");
}

TEST(ResourceClaim, StatusReservedForNeedsAllocation) {
  Json claim = Claim({{"name", "gpu"}, {"exactly", {{"deviceClassName", "a"}}}});
  claim["metadata"]["resourceVersion"] = "1";
  Json next = claim;
  next["status"]["reservedFor"] =
      Json::array({{{"resource", "pods"}, {"name", "p"}, {"uid", "u1"}}});
  EXPECT_EQ(Messages(ValidateResourceClaimStatusUpdate(next, claim)),
            "status.reservedFor: Forbidden: may not be specified when `allocated` is not set");
  next["status"]["allocation"]["devices"]["results"] = Json::array(
      {{{"request", "gpu"}, {"driver", "gpu.haru.dev"}, {"pool", "node-1"}, {"device", "gpu-0"}}});
  EXPECT_EQ(Messages(ValidateResourceClaimStatusUpdate(next, claim)), "");
  EXPECT_EQ(ResourceClaimState(next), "allocated,reserved");
  EXPECT_EQ(ResourceClaimState(claim), "pending");
}

TEST(ResourceSlice, ValidPartitionedSlice) {
  EXPECT_EQ(Messages(ValidateResourceSlice(Slice())), "");
}

TEST(ResourceSlice, ExactlyOneNodeSelection) {
  Json slice = Slice();
  slice["spec"].erase("nodeName");
  EXPECT_EQ(Messages(ValidateResourceSlice(slice)),
            "spec: Required value: exactly one of `nodeName`, `nodeSelector`, `allNodes`, "
            "`perDeviceNodeSelection` is required");
  slice["spec"]["nodeName"] = "node-1";
  slice["spec"]["allNodes"] = true;
  EXPECT_EQ(Messages(ValidateResourceSlice(slice)),
            "spec: Invalid value: \"{`nodeName`, `allNodes`}\": exactly one of `nodeName`, "
            "`nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required, but multiple "
            "fields are set");
}

TEST(ResourceSlice, DevicesOrSharedCounters) {
  Json slice = Slice();
  slice["spec"]["sharedCounters"] = Json::array(
      {{{"name", "gpu-0-counter-set"}, {"counters", {{"memory-slice-0", {{"value", "1"}}}}}}});
  EXPECT_EQ(Messages(ValidateResourceSlice(slice)),
            "spec: Invalid value: \"\": only one of `sharedCounters` or `devices` is allowed");
}

TEST(ResourceSlice, Limits) {
  Json slice = Slice();
  Json devices = Json::array();
  for (int i = 0; i < 65; ++i) {
    Json d = slice["spec"]["devices"][0];
    d["name"] = "d" + std::to_string(i);
    devices.push_back(d);
  }
  slice["spec"]["devices"] = devices;
  EXPECT_EQ(Messages(ValidateResourceSlice(slice)),
            "spec.devices: Too many: 65: must have at most 64 items");
  Json one = Slice();
  Json& attrs = one["spec"]["devices"][0]["attributes"];
  for (int i = 0; i < 31; ++i) attrs["a" + std::to_string(i)] = {{"int", i}};
  EXPECT_EQ(Messages(ValidateResourceSlice(one)),
            "spec.devices[0]: Invalid value: 34: the total number of attributes and capacities "
            "must not exceed 32");
}

TEST(ResourceSlice, NamesAndAttributes) {
  Json slice = Slice();
  slice["spec"]["driver"] = "Not_A_Driver";
  slice["spec"]["devices"][0]["name"] = "GPU0";
  slice["spec"]["devices"][0]["attributes"]["bad"] = {{"int", 1}, {"bool", true}};
  slice["spec"]["devices"][0]["attributes"]["cudaComputeCapability"] = {{"version", "v8"}};
  std::string m = Messages(ValidateResourceSlice(slice));
  EXPECT_NE(m.find("spec.driver: Invalid value: \"Not_A_Driver\": a lowercase RFC 1123 subdomain"),
            std::string::npos) << m;
  EXPECT_NE(m.find("spec.devices[0].name: Invalid value: \"GPU0\": a lowercase RFC 1123 label"),
            std::string::npos) << m;
  EXPECT_NE(m.find("spec.devices[0].attributes[bad]: Invalid value: {\"bool\":true,\"int\":1}: "
                   "exactly one value must be specified"),
            std::string::npos) << m;
  EXPECT_NE(m.find("spec.devices[0].attributes[cudaComputeCapability].version: Invalid value: "
                   "\"v8\": must be a string compatible with semver.org spec 2.0.0"),
            std::string::npos) << m;
}

TEST(ResourceSlice, ImmutableDriverAndPool) {
  Json old = Slice();
  old["metadata"]["resourceVersion"] = "1";
  Json next = old;
  next["spec"]["driver"] = "other.haru.dev";
  EXPECT_EQ(Messages(ValidateResourceSliceUpdate(next, old)),
            "spec.driver: Invalid value: \"other.haru.dev\": field is immutable");
}

TEST(ResourceSlice, Columns) {
  const KindSpec& kind = ResourceSliceKind();
  ASSERT_EQ(kind.columns.size(), 5u);
  EXPECT_EQ(kind.columns[1].name, "Node");
  EXPECT_EQ(kind.columns[1].cell(Slice()), "node-1");
  EXPECT_EQ(kind.columns[2].cell(Slice()), "gpu.haru.dev");
  EXPECT_EQ(kind.columns[3].cell(Slice()), "node-1");
}

TEST(DeviceClass, SelectorsAndExtendedResource) {
  Json cls = {{"metadata", {{"name", "gpu.example.com"}}},
              {"spec",
               {{"selectors", Json::array({{{"cel", {{"expression", "device.driver == 'gpu.example.com'"}}}},
                                           Json::object()})},
                {"extendedResourceName", "kubernetes.io/gpu"}}}};
  EXPECT_EQ(Messages(ValidateDeviceClass(cls)),
            "spec.selectors[1].cel: Required value\n"
            "spec.extendedResourceName: Invalid value: \"kubernetes.io/gpu\": must be a valid "
            "extended resource name");
}

TEST(DeviceClass, OpaqueConfig) {
  Json cls = {{"metadata", {{"name", "c"}}},
              {"spec", {{"config", Json::array({{{"opaque", {{"driver", "gpu.example.com"}, {"parameters", 5}}}},
                                                Json::object()})}}}};
  EXPECT_EQ(Messages(ValidateDeviceClass(cls)),
            "spec.config[0].opaque.parameters: Invalid value: \"<value omitted>\": must be a valid "
            "JSON object\n"
            "spec.config[1].opaque: Required value");
}

TEST(ResourceClaimTemplate, ValidatesInnerSpec) {
  Json tmpl = {{"metadata", {{"name", "t"}, {"namespace", "default"}}},
               {"spec", {{"spec", {{"devices", {{"requests", Json::array({{{"name", "gpu"},
                                                                          {"exactly", Json::object()}}})}}}}}}}};
  EXPECT_EQ(Messages(ValidateResourceClaimTemplate(tmpl)),
            "spec.spec.devices.requests[0].exactly.deviceClassName: Required value\n"
            "spec.spec.devices.requests[0].exactly.allocationMode: Unsupported value: \"\": "
            "supported values: \"All\", \"ExactCount\"");
}

TEST(DeviceTaintRule, TaintEffectAndDefaultTime) {
  Json rule = {{"metadata", {{"name", "r"}}},
               {"spec", {{"deviceSelector", {{"driver", "gpu.haru.dev"}}},
                         {"taint", {{"key", "example.com/broken"}, {"effect", "PreferNoSchedule"}}}}}};
  EXPECT_EQ(Messages(ValidateDeviceTaintRule(rule)),
            "spec.taint.effect: Unsupported value: \"PreferNoSchedule\": supported values: "
            "\"NoExecute\", \"NoSchedule\", \"None\"");
  DeviceTaintRuleKind().default_fields(rule);
  EXPECT_TRUE(rule["spec"]["taint"]["timeAdded"].is_string());
}

TEST(ResourceValidation, SemverAndQualifiedNames) {
  EXPECT_TRUE(IsSemver("1.2.3"));
  EXPECT_TRUE(IsSemver("1.2.3-alpha.1+build.5"));
  EXPECT_FALSE(IsSemver("01.2.3"));
  EXPECT_FALSE(IsSemver("1.2"));
  EXPECT_EQ(Messages(ValidateQualifiedName("a/b/c", "x")),
            "x: Invalid value: \"a/b/c\": must not contain more than one slash");
  EXPECT_EQ(Messages(ValidateQualifiedName("gpu.example.com/memory", "x")), "");
  EXPECT_EQ(Messages(ValidatePoolName("node-1/part-2", "p")), "");
}

}  // namespace
}  // namespace haru::api::resource
