// Upstream's allocator scenario families (allocatortesting/allocator_testing.go), re-expressed
// as our own table: each row builds v1 objects with the scenario_testing.h builders and states
// the exact devices picked, "does not fit", or a fatal error substring.

#include <gtest/gtest.h>

#include "scheduler/dra/scenario_testing.h"

namespace haru::scheduler::dra {
namespace {

using namespace testing;  // NOLINT
using Picked = std::vector<std::vector<std::string>>;

struct Scenario {
  std::string name;
  Inputs in;
  std::string error;            // fatal error substring
  bool fits = true;             // with no error: allocated or "does not fit"
  Picked picks;                 // when fits
  bool invalid_pools = false;   // when it does not fit
  std::function<void(const AllocateResult&)> check;

  Scenario& Error(std::string e) { error = std::move(e); return *this; }
  Scenario& NoFit() { fits = false; return *this; }
  Scenario& InvalidPools() { fits = false; invalid_pools = true; return *this; }
  Scenario& Expect(Picked p) { picks = std::move(p); return *this; }
  Scenario& Check(std::function<void(const AllocateResult&)> f) { check = std::move(f); return *this; }
};

Scenario S(std::string name, Inputs in) {
  Scenario s;
  s.name = std::move(name);
  s.in = std::move(in);
  return s;
}

const char* kMem1 = "device.capacity[\"driver-a\"].memory.compareTo(quantity(\"1Gi\")) >= 0";
const char* kMem2 = "device.capacity[\"driver-a\"].memory.compareTo(quantity(\"2Gi\")) >= 0";

Json OneSlice(int n, SliceOpts o = {}) {
  Json devs = Json::array();
  for (int i = 1; i <= n; ++i) devs.push_back(Dev("device-" + std::to_string(i)));
  return Slice("slice-1", devs, o);
}
Json Claim1(Json exactly) { return Claim("claim-0", Json::array({Req("req-0", exactly)})); }
std::string A(const std::string& req, const std::string& dev, const std::string& pool = "pool-1",
              const std::string& driver = "driver-a") {
  return req + "=" + driver + "/" + pool + "/" + dev;
}
Features NoFeature(std::function<void(Features&)> f) {
  Features x;
  f(x);
  return x;
}
AllocatorOptions WithFeatures(Features f) {
  AllocatorOptions o;
  o.features = f;
  o.packing = Packing::kFirstFit;
  return o;
}
AllocatorOptions FirstFit() { return WithFeatures(Features{}); }

std::vector<Scenario> Basics() {
  std::vector<Scenario> v;
  v.push_back(S("empty", {.slices = {OneSlice(1)}}).Expect({}));
  v.push_back(S("simple", {.slices = {OneSlice(1)}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([](const AllocateResult& r) { EXPECT_EQ(r.allocations[0]["nodeSelector"], LocalSelector()); }));
  v.push_back(S("other-node", {.slices = {OneSlice(1, {.node = "node-2"})}, .claims = {Claim1(Exact())}}).NoFit());
  Json small = Dev("device-1", {}, {{"memory", "1Gi"}}), large = Dev("device-2", {}, {{"memory", "2Gi"}});
  Json two_reqs = Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 1, {kMem1})),
                                                Req("req-1", Exact("class-a", 1, {kMem2}))}));
  v.push_back(S("small-and-large", {.slices = {Slice("slice-1", {small, large})}, .claims = {two_reqs}})
                  .Expect({{A("req-0", "device-1"), A("req-1", "device-2")}}));
  v.push_back(S("small-and-large-backtrack-requests", {.slices = {Slice("slice-1", {large, small})}, .claims = {two_reqs}})
                  .Expect({{A("req-0", "device-1"), A("req-1", "device-2")}}));
  v.push_back(S("small-and-large-backtrack-claims",
                {.slices = {Slice("slice-1", {large, small})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 1, {kMem1}))})),
                            Claim("claim-1", Json::array({Req("req-0", Exact("class-a", 1, {kMem2}))}))}})
                  .Expect({{A("req-0", "device-1")}, {A("req-0", "device-2")}}));
  v.push_back(S("devices-split-across-different-slices",
                {.slices = {Slice("slice-1", {Dev("device-1")}, {.count = 2}), Slice("slice-2", {Dev("device-2")}, {.count = 2})},
                 .claims = {Claim1(Exact("class-a", 2))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-2")}}));
  v.push_back(S("obsolete-slice",
                {.slices = {Slice("slice-old", {Dev("device-1")}), Slice("slice-new", {Dev("device-1")}, {.generation = 2, .count = 2})},
                 .claims = {Claim1(Exact())}})
                  .NoFit());
  v.push_back(S("duplicate-slice",
                {.slices = {Slice("slice-1", {Dev("device-1")}, {.count = 2}), Slice("slice-2", {Dev("device-1")}, {.count = 2})},
                 .claims = {Claim1(Exact())}})
                  .InvalidPools());
  v.push_back(S("no-slices", {.claims = {Claim1(Exact())}}).NoFit());
  v.push_back(S("not-enough-suitable-devices", {.slices = {OneSlice(1)}, .claims = {Claim1(Exact("class-a", 2))}}).NoFit());
  v.push_back(S("no-classes", {.slices = {OneSlice(1)}, .classes = {}, .claims = {Claim1(Exact())}})
                  .Error("claim default/claim-0, request req-0: could not retrieve device class class-a"));
  v.push_back(S("unknown-class", {.slices = {OneSlice(1)}, .claims = {Claim1(Exact("class-b"))}})
                  .Error("could not retrieve device class class-b"));
  v.push_back(S("empty-class",
                {.slices = {Slice("slice-1", {Dev("device-1")}, {.driver = "driver-b"})}, .classes = {Class("class-a", {})},
                 .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1", "pool-1", "driver-b")}}));
  v.push_back(S("already-allocated-devices",
                {.slices = {OneSlice(2)}, .claims = {Claim1(Exact())}, .allocated = {{"driver-a", "pool-1", "device-1"}}})
                  .Expect({{A("req-0", "device-2")}}));
  v.push_back(S("all-already-allocated",
                {.slices = {OneSlice(1)}, .claims = {Claim1(Exact())}, .allocated = {{"driver-a", "pool-1", "device-1"}}})
                  .NoFit());
  v.push_back(S("several-different-drivers",
                {.slices = {OneSlice(1), Slice("slice-b", {Dev("device-1")}, {.driver = "driver-b"})},
                 .classes = {ClassA(), ClassB()},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a")), Req("req-1", Exact("class-b"))}))}})
                  .Expect({{A("req-0", "device-1"), A("req-1", "device-1", "pool-1", "driver-b")}}));
  return v;
}

std::vector<Scenario> AllMode() {
  std::vector<Scenario> v;
  v.push_back(S("all-devices-single", {.slices = {OneSlice(1)}, .claims = {Claim1(AllOf())}}).Expect({{A("req-0", "device-1")}}));
  v.push_back(S("all-devices-many",
                {.slices = {OneSlice(2), Slice("slice-2", {Dev("device-1")}, {.pool = "pool-2"})}, .claims = {Claim1(AllOf())}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-1", "pool-2"), A("req-0", "device-2")}}));
  v.push_back(S("all-devices-of-the-incomplete-pool", {.slices = {OneSlice(1, {.count = 2})}, .claims = {Claim1(AllOf())}})
                  .Error("asks for all devices, but resource pool driver-a/pool-1 is currently being updated"));
  Inputs plus{.slices = {OneSlice(2), Slice("slice-b", {Dev("device-1")}, {.driver = "driver-b"})},
              .classes = {ClassA(), ClassB()},
              .claims = {Claim("claim-0", Json::array({Req("req-0", AllOf())})),
                         Claim("claim-1", Json::array({Req("req-0", Exact("class-b"))}))}};
  v.push_back(S("all-devices-plus-another", plus)
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-2")}, {A("req-0", "device-1", "pool-1", "driver-b")}}));
  std::swap(plus.claims[0], plus.claims[1]);
  v.push_back(S("all-devices-plus-another-reversed", plus)
                  .Expect({{A("req-0", "device-1", "pool-1", "driver-b")}, {A("req-0", "device-1"), A("req-0", "device-2")}}));
  Inputs none{.slices = {OneSlice(2)},
              .claims = {Claim("claim-0", Json::array({Req("req-0", AllOf())})),
                         Claim("claim-1", Json::array({Req("req-0", Exact())}))}};
  v.push_back(S("all-devices-no-solution", none).NoFit());
  std::swap(none.claims[0], none.claims[1]);
  v.push_back(S("all-devices-no-solution-reversed", none).NoFit());
  v.push_back(S("all-devices-slice-without-devices", {.slices = {Slice("slice-1", Json::array())}, .claims = {Claim1(AllOf())}}).NoFit());
  v.push_back(S("all-devices-no-slices", {.claims = {Claim1(AllOf())}}).NoFit());
  v.push_back(S("all-devices-some-allocated",
                {.slices = {OneSlice(2)}, .claims = {Claim1(AllOf())}, .allocated = {{"driver-a", "pool-1", "device-1"}}})
                  .NoFit());
  v.push_back(S("all-devices-invalid-CEL", {.slices = {OneSlice(1)}, .claims = {Claim1(AllOf("class-a", {"noSuchVariable"}))}})
                  .Error("undeclared reference"));
  v.push_back(S("all-devices-selector-subset",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"a", Int(1)}}), Dev("device-2", {{"a", Int(2)}})})},
                 .claims = {Claim1(AllOf("class-a", {"device.attributes[\"driver-a\"].a == 2"}))}})
                  .Expect({{A("req-0", "device-2")}}));
  v.push_back(S("all-devices-some-allocated-prioritized-list",
                {.slices = {OneSlice(2)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", AllOf()}, {"sub-1", Exact()}})}))},
                 .allocated = {{"driver-a", "pool-1", "device-1"}}})
                  .Expect({{A("req-0/sub-1", "device-2")}}));
  return v;
}

std::vector<Scenario> AdminAccess() {
  std::vector<Scenario> v;
  Json admin_all = AllOf();
  admin_all["adminAccess"] = true;
  Json admin_one = Exact("class-a", 2);
  admin_one["adminAccess"] = true;
  Json admin_single = Exact();
  admin_single["adminAccess"] = true;
  DeviceId d1{"driver-a", "pool-1", "device-1"};
  v.push_back(S("all-devices-some-allocated-admin-access", {.slices = {OneSlice(2)}, .claims = {Claim1(admin_all)}, .allocated = {d1}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-2")}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_EQ(r.allocations[0]["devices"]["results"][0]["adminAccess"], true);
                  }));
  v.push_back(S("all-devices-some-allocating-admin-access",
                {.slices = {OneSlice(2)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact())})), Claim("claim-1", Json::array({Req("req-0", admin_all)}))}})
                  .Expect({{A("req-0", "device-1")}, {A("req-0", "device-1"), A("req-0", "device-2")}}));
  v.push_back(S("count-devices-some-allocated-admin-access", {.slices = {OneSlice(2)}, .claims = {Claim1(admin_one)}, .allocated = {d1}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-2")}}));
  v.push_back(S("separate-claims-share-device-admin-access",
                {.slices = {OneSlice(1)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", admin_single)})),
                            Claim("claim-1", Json::array({Req("req-0", admin_single)}))}})
                  .Expect({{A("req-0", "device-1")}, {A("req-0", "device-1")}}));
  v.push_back(S("admin-access-claims-device-allocating-for-non-admin-access",
                {.slices = {OneSlice(1)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", admin_single)})),
                            Claim("claim-1", Json::array({Req("req-0", Exact())}))}})
                  .NoFit());
  v.push_back(S("admin-access-disabled",
                {.slices = {OneSlice(1)}, .claims = {Claim1(admin_single)},
                 .options = WithFeatures(NoFeature([](Features& f) { f.admin_access = false; }))})
                  .Error("claim default/claim-0, request req-0: admin access is requested, but the feature is disabled"));
  v.push_back(S("admin-access-enabled", {.slices = {OneSlice(1)}, .claims = {Claim1(admin_single)}, .allocated = {d1}})
                  .Expect({{A("req-0", "device-1")}}));
  return v;
}

std::vector<Scenario> NodePlacement() {
  std::vector<Scenario> v;
  Json region = LabelSelector("region", "region-1"), planet = LabelSelector("planet", "earth");
  v.push_back(S("network-attached-device", {.slices = {OneSlice(1, {.node_selector = region})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([region](const AllocateResult& r) { EXPECT_EQ(r.allocations[0]["nodeSelector"], region); }));
  v.push_back(S("unsuccessful-allocation-network-attached-device",
                {.slices = {OneSlice(1, {.node_selector = LabelSelector("region", "region-2")})}, .claims = {Claim1(Exact())}})
                  .NoFit());
  v.push_back(S("many-network-attached-devices",
                {.slices = {Slice("slice-1", {Dev("device-1")}, {.pool = "pool-1", .node_selector = region}),
                            Slice("slice-2", {Dev("device-1")}, {.pool = "pool-2", .node_selector = planet}),
                            Slice("slice-3", {Dev("device-1")}, {.pool = "pool-3", .all_nodes = true})},
                 .claims = {Claim1(Exact("class-a", 3))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-1", "pool-2"), A("req-0", "device-1", "pool-3")}})
                  .Check([](const AllocateResult& r) {
                    Json want = {{"nodeSelectorTerms",
                                  Json::array({{{"matchExpressions",
                                                 Json::array({{{"key", "region"}, {"operator", "In"}, {"values", {"region-1"}}},
                                                              {{"key", "planet"}, {"operator", "In"}, {"values", {"earth"}}}})}}})}};
                    EXPECT_EQ(r.allocations[0]["nodeSelector"], want);
                  }));
  v.push_back(S("all-nodes-device-has-no-node-selector", {.slices = {OneSlice(1, {.all_nodes = true})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([](const AllocateResult& r) { EXPECT_FALSE(r.allocations[0].contains("nodeSelector")); }));
  v.push_back(S("local-and-network-attached-devices",
                {.slices = {Slice("slice-1", {Dev("device-1")}), Slice("slice-2", {Dev("device-1")}, {.pool = "pool-2", .node_selector = region})},
                 .claims = {Claim1(Exact("class-a", 2))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-1", "pool-2")}})
                  .Check([](const AllocateResult& r) { EXPECT_EQ(r.allocations[0]["nodeSelector"], LocalSelector()); }));
  Inputs split{.slices = {Slice("slice-1", {Dev("device-1")}, {.count = 2}), Slice("slice-2", {Dev("device-2")}, {.node = "node-2", .count = 2})},
               .claims = {Claim1(Exact())}};
  v.push_back(S("different-resourceslices-in-pool-can-target-different-nodes", split).Expect({{A("req-0", "device-1")}}));
  split.claims = {Claim1(Exact("class-a", 2))};
  v.push_back(S("other-node-slice-of-pool-is-not-usable", split).NoFit());
  Json binds = Dev("device-1");
  binds["bindsToNode"] = true;
  v.push_back(S("node-restriction", {.slices = {Slice("slice-1", {binds}, {.all_nodes = true})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([](const AllocateResult& r) { EXPECT_EQ(r.allocations[0]["nodeSelector"], LocalSelector()); }));
  return v;
}

std::vector<Scenario> Constraints() {
  std::vector<Scenario> v;
  Json attrs = {{"numa", Int(1)}, {"version", Ver("1.0.0")}, {"model", Str("x")}, {"fast", Bool(true)}};
  Json c4 = Json::array({Match("driver-a/numa"), Match("driver-a/version"), Match("driver-a/model"), Match("driver-a/fast")});
  v.push_back(S("with-constraint",
                {.slices = {Slice("slice-1", {Dev("device-1", attrs), Dev("device-2", attrs)})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact()), Req("req-1", Exact())}), c4)}})
                  .Expect({{A("req-0", "device-1"), A("req-1", "device-2")}}));
  v.push_back(S("with-constraint-non-existent-attribute",
                {.slices = {Slice("slice-1", {Dev("device-1", attrs), Dev("device-2", attrs)})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 2))}), Json::array({Match("driver-a/nope")}))}})
                  .NoFit());
  for (auto [kind, a, b] : std::vector<std::tuple<std::string, Json, Json>>{
           {"int", Int(1), Int(2)}, {"string", Str("x"), Str("y")}, {"bool", Bool(true), Bool(false)}, {"version", Ver("1.0.0"), Ver("2.0.0")}}) {
    v.push_back(S("with-constraint-not-matching-" + kind + "-attribute",
                  {.slices = {Slice("slice-1", {Dev("device-1", {{"x", a}}), Dev("device-2", {{"x", b}})})},
                   .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 2))}), Json::array({Match("driver-a/x")}))}})
                    .NoFit());
  }
  v.push_back(S("with-constraint-not-matching-int-attribute-all-devices",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"x", Int(1)}}), Dev("device-2", {{"x", Int(2)}})})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", AllOf())}), Json::array({Match("driver-a/x")}))}})
                  .Error("claim default/claim-0, request req-0: cannot add device driver-a/pool-1/device-2 because a claim constraint would not be satisfied"));
  v.push_back(S("with-constraint-for-request",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"x", Int(1)}}), Dev("device-2", {{"x", Int(1)}}), Dev("device-3", {{"x", Int(2)}})})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 2)), Req("req-1", Exact())}),
                                  Json::array({Match("driver-a/x", {"req-0"})}))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-2"), A("req-1", "device-3")}}));
  v.push_back(S("with-constraint-for-request-retry",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"x", Int(1)}}, {{"memory", "1Gi"}}),
                                              Dev("device-2", {{"x", Int(2)}}, {{"memory", "1Gi"}}),
                                              Dev("device-3", {{"x", Int(2)}}, {{"memory", "2Gi"}})})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact()), Req("req-1", Exact("class-a", 1, {kMem2}))}),
                                  Json::array({Match("driver-a/x")}))}})
                  .Expect({{A("req-0", "device-2"), A("req-1", "device-3")}}));
  v.push_back(S("with-constraint-unqualified-attribute-of-other-domain",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"x", Int(1)}}), Dev("device-2", {{"x", Int(1)}})})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 2))}), Json::array({Match("other.example/x")}))}})
                  .NoFit());
  // distinctAttribute
  Json numa_devs = Json::array({Dev("device-1", {{"numa", Int(0)}}), Dev("device-2", {{"numa", Int(0)}}), Dev("device-3", {{"numa", Int(1)}})});
  v.push_back(S("with-distinct-constraints",
                {.slices = {Slice("slice-1", numa_devs)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 2))}), Json::array({Distinct("driver-a/numa")}))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-3")}}));
  v.push_back(S("with-distinct-constraints-no-solution",
                {.slices = {Slice("slice-1", numa_devs)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 3))}), Json::array({Distinct("driver-a/numa")}))}})
                  .NoFit());
  v.push_back(S("with-distinct-constraints-attribute-not-set",
                {.slices = {OneSlice(2)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 2))}), Json::array({Distinct("driver-a/numa")}))}})
                  .NoFit());
  v.push_back(S("with-distinct-constraints-unknown-type-attribute",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"numa", Json::object()}}), Dev("device-2", {{"numa", Int(1)}})})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 2))}), Json::array({Distinct("driver-a/numa")}))}})
                  .Error("unsupported attribute value"));
  v.push_back(S("with-distinct-constraints-with-subrequests",
                {.slices = {Slice("slice-1", numa_devs)},
                 .claims = {Claim("claim-0",
                                  Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 3)}, {"sub-1", Exact("class-a", 2)}})}),
                                  Json::array({Distinct("driver-a/numa", {"req-0"})}))}})
                  .Expect({{A("req-0/sub-1", "device-1"), A("req-0/sub-1", "device-3")}}));
  return v;
}

std::vector<Scenario> Config() {
  std::vector<Scenario> v;
  Json cls_cfg = Class("class-a", {"device.driver == \"driver-a\""}, Json::array({Opaque("driver-a", {{"k", "class"}})}));
  v.push_back(S("with-class-device-config", {.slices = {OneSlice(1)}, .classes = {cls_cfg}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([](const AllocateResult& r) {
                    Json want = Json::array({{{"source", "FromClass"}, {"opaque", {{"driver", "driver-a"}, {"parameters", {{"k", "class"}}}}}}});
                    EXPECT_EQ(r.allocations[0]["devices"]["config"], want);
                  }));
  v.push_back(S("with-class-device-config-with-multiple-request-and-configs",
                {.slices = {OneSlice(3)}, .classes = {cls_cfg, ClassB()},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact()), Req("req-1", Exact())}), Json::array(),
                                  Json::array({Json{{"requests", {"req-1"}}, {"opaque", {{"driver", "driver-a"}, {"parameters", {{"k", "claim"}}}}}}}))}})
                  .Expect({{A("req-0", "device-1"), A("req-1", "device-2")}})
                  .Check([](const AllocateResult& r) {
                    const Json& cfg = r.allocations[0]["devices"]["config"];
                    ASSERT_EQ(cfg.size(), 2u);
                    EXPECT_EQ(cfg[0]["source"], "FromClass");
                    EXPECT_FALSE(cfg[0].contains("requests"));  // every request: "empty means all"
                    EXPECT_EQ(cfg[1]["source"], "FromClaim");
                    EXPECT_EQ(cfg[1]["requests"], Json::array({"req-1"}));
                  }));
  v.push_back(S("claim-with-device-config",
                {.slices = {OneSlice(1)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact())}), Json::array(),
                                  Json::array({Opaque("driver-a", {{"k", "v"}})}))}})
                  .Check([](const AllocateResult& r) {
                    Json want = Json::array({{{"source", "FromClaim"}, {"opaque", {{"driver", "driver-a"}, {"parameters", {{"k", "v"}}}}}}});
                    EXPECT_EQ(r.allocations[0]["devices"]["config"], want);
                  })
                  .Expect({{A("req-0", "device-1")}}));
  Json sub_cfg = Json::array({Json{{"requests", {"req-0/sub-1"}}, {"opaque", {{"driver", "driver-a"}, {"parameters", {{"k", "s1"}}}}}},
                              Json{{"requests", {"req-0/sub-0"}}, {"opaque", {{"driver", "driver-a"}, {"parameters", {{"k", "s0"}}}}}}});
  v.push_back(S("prioritized-list-device-config",
                {.slices = {OneSlice(1)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 2)}, {"sub-1", Exact()}})}),
                                  Json::array(), sub_cfg)}})
                  .Expect({{A("req-0/sub-1", "device-1")}})
                  .Check([](const AllocateResult& r) {
                    const Json& cfg = r.allocations[0]["devices"]["config"];
                    ASSERT_EQ(cfg.size(), 1u);
                    EXPECT_EQ(cfg[0]["opaque"]["parameters"]["k"], "s1");
                  }));
  Json cls_b_cfg = Class("class-b", {"device.driver == \"driver-b\""}, Json::array({Opaque("driver-b", {{"k", "b"}})}));
  v.push_back(S("prioritized-list-class-config",
                {.slices = {Slice("slice-b", {Dev("device-1")}, {.driver = "driver-b"})}, .classes = {cls_cfg, cls_b_cfg},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a")}, {"sub-1", Exact("class-b")}})}))}})
                  .Expect({{A("req-0/sub-1", "device-1", "pool-1", "driver-b")}})
                  .Check([](const AllocateResult& r) {
                    const Json& cfg = r.allocations[0]["devices"]["config"];
                    ASSERT_EQ(cfg.size(), 1u);
                    EXPECT_EQ(cfg[0]["opaque"]["driver"], "driver-b");
                  }));
  return v;
}

std::vector<Scenario> BadInput() {
  std::vector<Scenario> v;
  Json unknown_sel = Exact();
  unknown_sel["selectors"] = Json::array({Json::object()});
  v.push_back(S("unknown-selector", {.slices = {OneSlice(1)}, .claims = {Claim1(unknown_sel)}})
                  .Error("claim default/claim-0, request req-0, selector #0: CEL expression empty (unsupported selector type?)"));
  Json future = Exact();
  future["allocationMode"] = "future-mode";
  v.push_back(S("unknown-allocation-mode", {.slices = {OneSlice(1)}, .claims = {Claim1(future)}})
                  .Error("unsupported count mode future-mode"));
  v.push_back(S("unknown-constraint",
                {.slices = {OneSlice(1)}, .claims = {Claim("claim-0", Json::array({Req("req-0", Exact())}), Json::array({Json::object()}))}})
                  .Error("claim default/claim-0, constraint #0: empty constraint (unsupported constraint type?)"));
  v.push_back(S("invalid-CEL-one-device", {.slices = {OneSlice(1)}, .claims = {Claim1(Exact("class-a", 1, {"noSuchVar"}))}})
                  .Error("claim default/claim-0: selector #0: CEL compile error: ERROR: <input>:1:1: undeclared reference to 'noSuchVar'"));
  v.push_back(S("invalid-CEL-one-device-class", {.slices = {OneSlice(1)}, .classes = {Class("class-a", {"noSuchVar"})}, .claims = {Claim1(Exact())}})
                  .Error("class class-a: selector #0: CEL compile error"));
  v.push_back(S("CEL-runtime-error",
                {.slices = {OneSlice(1)}, .claims = {Claim1(Exact("class-a", 1, {"device.attributes[\"driver-a\"].missing == 1"}))}})
                  .Error("claim default/claim-0: selector #0: CEL runtime error"));
  v.push_back(S("CEL-non-bool-result", {.slices = {OneSlice(1)}, .claims = {Claim1(Exact("class-a", 1, {"device.driver"}))}})
                  .Error("CEL runtime error"));
  v.push_back(S("too-many-devices-single-request", {.slices = {OneSlice(1)}, .claims = {Claim1(Exact("class-a", 500))}})
                  .Error("claim default/claim-0: number of requested devices 500 exceeds the claim limit of 32"));
  v.push_back(S("too-many-devices-total",
                {.slices = {OneSlice(1)}, .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 17)), Req("req-1", Exact("class-a", 16))}))}})
                  .Error("number of requested devices 33 exceeds the claim limit of 32"));
  v.push_back(S("many-devices-okay", {.slices = {OneSlice(40)}, .claims = {Claim1(Exact("class-a", 32))}})
                  .Check([](const AllocateResult& r) { EXPECT_EQ(r.allocations[0]["devices"]["results"].size(), 32u); }));
  v.push_back(S("max-number-devices",
                {.slices = {OneSlice(40)}, .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 16)), Req("req-1", Exact("class-a", 16))}))}})
                  .Check([](const AllocateResult& r) { EXPECT_EQ(r.allocations[0]["devices"]["results"].size(), 32u); }));
  v.push_back(S("prioritized-list-disabled",
                {.slices = {OneSlice(1)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact()}})}))},
                 .options = WithFeatures(NoFeature([](Features& f) { f.prioritized_list = false; }))})
                  .Error("claim default/claim-0, request req-0: has subrequests, but the DRAPrioritizedList feature is disabled"));
  Json cap = Exact();
  cap["capacity"] = {{"requests", {{"memory", "1Gi"}}}};
  v.push_back(S("consumable-capacity-disabled",
                {.slices = {OneSlice(1)}, .claims = {Claim1(cap)},
                 .options = WithFeatures(NoFeature([](Features& f) { f.consumable_capacity = false; }))})
                  .Error("has capacity requests, but the DRAConsumableCapacity feature is disabled"));
  return v;
}

std::vector<Scenario> PrioritizedList() {
  std::vector<Scenario> v;
  v.push_back(S("prioritized-list-first-unavailable",
                {.slices = {OneSlice(1)},
                 .classes = {ClassA(), ClassB()},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-b")}, {"sub-1", Exact()}})}))}})
                  .Expect({{A("req-0/sub-1", "device-1")}}));
  v.push_back(S("prioritized-list-non-available",
                {.slices = {OneSlice(1)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 2)}, {"sub-1", Exact("class-a", 3)}})}))}})
                  .NoFit());
  v.push_back(S("prioritized-list-subrequests-with-expressions",
                {.slices = {Slice("slice-1", {Dev("device-1", {}, {{"memory", "1Gi"}}), Dev("device-2", {}, {{"memory", "2Gi"}})})},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 1, {kMem2})}, {"sub-1", Exact()}})}))}})
                  .Expect({{A("req-0/sub-0", "device-2")}}));
  v.push_back(S("prioritized-list-subrequests-with-allocation-mode-all",
                {.slices = {OneSlice(2)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", AllOf()}, {"sub-1", Exact()}})}))}})
                  .Expect({{A("req-0/sub-0", "device-1"), A("req-0/sub-0", "device-2")}}));
  v.push_back(S("prioritized-list-multi-request",
                {.slices = {OneSlice(3)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 2)}, {"sub-1", Exact()}}),
                                                          FirstOf("req-1", {{"sub-0", Exact("class-a", 2)}, {"sub-1", Exact()}})}))}})
                  .Expect({{A("req-0/sub-0", "device-1"), A("req-0/sub-0", "device-2"), A("req-1/sub-1", "device-3")}}));
  v.push_back(S("prioritized-list-with-backtracking",
                {.slices = {OneSlice(2)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 2)}, {"sub-1", Exact()}}),
                                                          Req("req-1", Exact())}))}})
                  .Expect({{A("req-0/sub-1", "device-1"), A("req-1", "device-2")}}));
  v.push_back(S("prioritized-list-too-many-in-first-subrequest",
                {.slices = {OneSlice(40)},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 33)}, {"sub-1", Exact()}})}))}})
                  .Expect({{A("req-0/sub-1", "device-1")}}));
  v.push_back(S("prioritized-list-max-allocation-limit-request",
                {.slices = {OneSlice(40)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 30)),
                                                          FirstOf("req-1", {{"sub-0", Exact("class-a", 3)}, {"sub-1", Exact("class-a", 2)}})}))}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_EQ(r.allocations[0]["devices"]["results"].size(), 32u);
                    EXPECT_EQ(r.allocations[0]["devices"]["results"][31]["request"], "req-1/sub-1");
                  }));
  v.push_back(S("prioritized-list-subrequests-with-constraints-ref-sub-request",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"x", Int(1)}}), Dev("device-2", {{"x", Int(2)}}), Dev("device-3", {{"x", Int(2)}})})},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 3)}, {"sub-1", Exact()}}), Req("req-1", Exact())}),
                                  Json::array({Match("driver-a/x", {"req-0/sub-1", "req-1"})}))},
                 .options = FirstFit()})
                  .Expect({{A("req-0/sub-1", "device-2"), A("req-1", "device-3")}}));
  v.push_back(S("prioritized-list-subrequests-with-constraints-ref-parent-request",
                {.slices = {Slice("slice-1", {Dev("device-1", {{"x", Int(1)}}), Dev("device-2", {{"x", Int(2)}}), Dev("device-3", {{"x", Int(2)}})})},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 3)}, {"sub-1", Exact()}}), Req("req-1", Exact())}),
                                  Json::array({Match("driver-a/x", {"req-0", "req-1"})}))}})
                  .Expect({{A("req-0/sub-1", "device-2"), A("req-1", "device-3")}}));
  return v;
}

// Partitionable devices: a counter set "gpu" of 8Gi memory, devices consuming parts of it.
std::vector<Scenario> Partitionable() {
  std::vector<Scenario> v;
  Json counters = CounterSlice("counters", {{"gpu", {{"memory", "8Gi"}}}}, {.count = 2});
  auto part = [](const std::string& name, const std::string& mem) { return Consumes(Dev(name), "gpu", {{"memory", mem}}); };
  auto pool = [&](Json devs) { return std::vector<Json>{counters, Slice("devices", devs, {.count = 2})}; };
  v.push_back(S("partitionable-devices-single-device", {.slices = pool({part("device-1", "4Gi")}), .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}}));
  v.push_back(S("partitionable-devices-multiple-devices",
                {.slices = pool({part("device-1", "4Gi"), part("device-2", "4Gi"), part("device-3", "4Gi")}), .claims = {Claim1(Exact("class-a", 2))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-2")}}));
  v.push_back(S("partitionable-devices-no-capacity-available",
                {.slices = pool({part("device-1", "8Gi"), part("device-2", "4Gi")}), .claims = {Claim1(Exact())},
                 .allocated = {{"driver-a", "pool-1", "device-1"}}})
                  .NoFit());
  v.push_back(S("partitionable-devices-overallocated-capacity-pool",
                {.slices = pool({part("device-1", "16Gi")}), .claims = {Claim1(Exact())}})
                  .NoFit());
  v.push_back(S("partitionable-devices-third-does-not-fit",
                {.slices = pool({part("device-1", "4Gi"), part("device-2", "4Gi"), part("device-3", "4Gi")}), .claims = {Claim1(Exact("class-a", 3))}})
                  .NoFit());
  Json two_counters = CounterSlice("counters", {{"gpu", {{"memory", "8Gi"}, {"cores", "4"}}}}, {.count = 2});
  v.push_back(S("partitionable-devices-multiple-counters",
                {.slices = {two_counters, Slice("devices", {Consumes(Dev("device-1"), "gpu", {{"memory", "2Gi"}, {"cores", "3"}}),
                                                              Consumes(Dev("device-2"), "gpu", {{"memory", "2Gi"}, {"cores", "2"}}),
                                                              Consumes(Dev("device-3"), "gpu", {{"memory", "2Gi"}, {"cores", "1"}})},
                                                  {.count = 2})},
                 .claims = {Claim1(Exact("class-a", 2))},
                 .options = FirstFit()})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-3")}}));
  v.push_back(S("partitionable-devices-multiple-capacity-pools",
                {.slices = {CounterSlice("counters", {{"gpu-0", {{"memory", "8Gi"}}}, {"gpu-1", {{"memory", "8Gi"}}}}, {.count = 2}),
                            Slice("devices", {Consumes(Dev("device-1"), "gpu-0", {{"memory", "8Gi"}}),
                                              Consumes(Dev("device-2"), "gpu-0", {{"memory", "8Gi"}}),
                                              Consumes(Dev("device-3"), "gpu-1", {{"memory", "8Gi"}})},
                                  {.count = 2})},
                 .claims = {Claim1(Exact("class-a", 2))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-3")}}));
  v.push_back(S("partitionable-devices-multiple-pools",
                {.slices = {counters, Slice("devices", {part("device-1", "8Gi")}, {.count = 2}),
                            CounterSlice("counters-2", {{"gpu", {{"memory", "8Gi"}}}}, {.pool = "pool-2", .count = 2}),
                            Slice("devices-2", {part("device-1", "8Gi")}, {.pool = "pool-2", .count = 2})},
                 .claims = {Claim1(Exact("class-a", 2))}})
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-1", "pool-2")}}));
  v.push_back(S("partitionable-devices-unused-counters-in-counter-set",
                {.slices = {CounterSlice("counters", {{"gpu", {{"memory", "8Gi"}, {"unused", "1"}}}}, {.count = 2}),
                            Slice("devices", {part("device-1", "4Gi")}, {.count = 2})},
                 .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}}));
  v.push_back(S("partitionable-devices-prioritized-list",
                {.slices = pool({part("device-1", "8Gi"), part("device-2", "4Gi")}),
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact("class-a", 2)}, {"sub-1", Exact()}})}))},
                 .options = FirstFit()})
                  .Expect({{A("req-0/sub-1", "device-1")}}));
  v.push_back(S("partitionable-devices-with-attribute-selector",
                {.slices = pool({Consumes(Dev("device-1", {{"profile", Str("big")}}), "gpu", {{"memory", "8Gi"}}),
                                 Consumes(Dev("device-2", {{"profile", Str("small")}}), "gpu", {{"memory", "2Gi"}})}),
                 .claims = {Claim1(Exact("class-a", 1, {"device.attributes[\"driver-a\"].profile == \"small\""}))}})
                  .Expect({{A("req-0", "device-2")}}));
  v.push_back(S("partitionable-devices-disabled-device-consumes-counters",
                {.slices = pool({part("device-1", "4Gi")}), .claims = {Claim1(Exact())},
                 .options = WithFeatures(NoFeature([](Features& f) { f.partitionable_devices = false; }))})
                  .NoFit());
  v.push_back(S("partitionable-devices-disabled-other-device-do-not-consume-counters",
                {.slices = pool({part("device-1", "4Gi"), Dev("device-2")}), .claims = {Claim1(Exact())},
                 .options = WithFeatures(NoFeature([](Features& f) { f.partitionable_devices = false; }))})
                  .Expect({{A("req-0", "device-2")}}));
  Json per_dev_1 = Dev("device-1"), per_dev_2 = Dev("device-2"), per_dev_3 = Dev("device-3");
  per_dev_1["nodeName"] = "node-2";
  per_dev_2["nodeName"] = "node-1";
  per_dev_3["nodeSelector"] = LabelSelector("region", "region-1");
  v.push_back(S("partitionable-devices-per-device-node-selection-nodename",
                {.slices = {Slice("slice-1", {per_dev_1, per_dev_2}, {.per_device = true})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-2")}})
                  .Check([](const AllocateResult& r) { EXPECT_EQ(r.allocations[0]["nodeSelector"], LocalSelector()); }));
  v.push_back(S("partitionable-devices-per-device-node-selection-node-selector",
                {.slices = {Slice("slice-1", {per_dev_1, per_dev_3}, {.per_device = true})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-3")}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_EQ(r.allocations[0]["nodeSelector"], LabelSelector("region", "region-1"));
                  }));
  v.push_back(S("partitionable-devices-disabled-per-device-node-selection",
                {.slices = {Slice("slice-1", {per_dev_2}, {.per_device = true})}, .claims = {Claim1(Exact())},
                 .options = WithFeatures(NoFeature([](Features& f) { f.partitionable_devices = false; }))})
                  .NoFit());
  // A counter set shared by devices that target different nodes: node-2's allocated device
  // uses it all, so nothing is left for node-1.
  Json on1 = part("device-1", "8Gi"), on2 = part("device-2", "8Gi");
  on1["nodeName"] = "node-1";
  on2["nodeName"] = "node-2";
  v.push_back(S("partitionable-devices-devices-on-different-nodes-consume-same-counter-set",
                {.slices = {CounterSlice("counters", {{"gpu", {{"memory", "8Gi"}}}}, {.count = 2, .all_nodes = true}),
                            Slice("devices", {on1, on2}, {.count = 2, .per_device = true})},
                 .claims = {Claim1(Exact())}, .allocated = {{"driver-a", "pool-1", "device-2"}}})
                  .NoFit());
  v.push_back(S("partitionable-devices-same-counter-set-name-in-different-resource-slices",
                {.slices = {CounterSlice("counters-1", {{"gpu", {{"memory", "8Gi"}}}}, {.count = 3}),
                            CounterSlice("counters-2", {{"gpu", {{"memory", "8Gi"}}}}, {.count = 3}),
                            Slice("devices", {part("device-1", "4Gi")}, {.count = 3})},
                 .claims = {Claim1(Exact())}})
                  .InvalidPools());
  v.push_back(S("partitionable-devices-device-counter-consumption-references-unknown-counter-set",
                {.slices = pool({Consumes(Dev("device-1"), "nope", {{"memory", "1Gi"}})}), .claims = {Claim1(Exact())}})
                  .InvalidPools());
  v.push_back(S("partitionable-devices-device-counter-consumption-references-unknown-counter-in-counter-set",
                {.slices = pool({Consumes(Dev("device-1"), "gpu", {{"nope", "1"}})}), .claims = {Claim1(Exact())}})
                  .InvalidPools());
  v.push_back(S("partitionable-devices-device-counter-consumption-references-counter-set-in-other-pool",
                {.slices = {CounterSlice("counters", {{"gpu", {{"memory", "8Gi"}}}}, {.pool = "pool-2"}),
                            Slice("devices", {part("device-1", "4Gi")})},
                 .claims = {Claim1(Exact())}})
                  .InvalidPools());
  Json bad_other = part("device-9", "4Gi");
  bad_other["consumesCounters"][0]["counterSet"] = "nope";
  bad_other["nodeName"] = "node-2";
  Json ok_here = part("device-1", "4Gi");
  ok_here["nodeName"] = "node-1";
  v.push_back(S("partitionable-devices-validation-error-on-non-targeting-slice",
                {.slices = {CounterSlice("counters", {{"gpu", {{"memory", "8Gi"}}}}, {.count = 2, .all_nodes = true}),
                            Slice("devices", {ok_here, bad_other}, {.count = 2, .per_device = true})},
                 .claims = {Claim1(Exact())}})
                  .InvalidPools());
  v.push_back(S("invalid-pool-is-ok-if-devices-can-be-allocated-from-other",
                {.slices = {Slice("slice-1", {Dev("device-1"), Dev("device-1")}), Slice("slice-2", {Dev("device-1")}, {.pool = "pool-2"})},
                 .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1", "pool-2")}}));
  v.push_back(S("invalid-pool-is-error-if-no-other-device-can-be-allocated",
                {.slices = {Slice("slice-1", {Dev("device-1"), Dev("device-1")}), Slice("slice-2", {Dev("device-1")}, {.pool = "pool-2"})},
                 .claims = {Claim1(Exact("class-a", 2))}})
                  .InvalidPools());
  v.push_back(S("no-allocation-from-incomplete-pools",
                {.slices = {OneSlice(2, {.count = 2})}, .claims = {Claim1(Exact())}})
                  .NoFit());
  return v;
}

std::vector<Scenario> Taints() {
  std::vector<Scenario> v;
  Json t1 = Taint(Dev("device-1"), "example.com/taint", "NoSchedule", "x");
  Json t2 = Taint(Dev("device-2"), "example.com/taint", "NoExecute", "x");
  Json tol = Exact();
  tol["tolerations"] = Json::array({{{"key", "example.com/taint"}, {"operator", "Exists"}}});
  v.push_back(S("tainted-two-devices", {.slices = {Slice("slice-1", {t1, t2})}, .claims = {Claim1(Exact())}}).NoFit());
  v.push_back(S("tainted-one-device-two-taints",
                {.slices = {Slice("slice-1", {Taint(t1, "other", "NoExecute"), Dev("device-2")})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-2")}}));
  v.push_back(S("tainted-two-devices-tolerated", {.slices = {Slice("slice-1", {t1, t2})}, .claims = {Claim1(tol)}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_EQ(r.allocations[0]["devices"]["results"][0]["tolerations"],
                              Json::array({{{"key", "example.com/taint"}, {"operator", "Exists"}}}));
                  }));
  Json sub_tol = Exact();
  sub_tol["tolerations"] = tol["tolerations"];
  v.push_back(S("tainted-two-devices-prioritized-list-tolerated",
                {.slices = {Slice("slice-1", {t1, t2})},
                 .claims = {Claim("claim-0", Json::array({FirstOf("req-0", {{"sub-0", Exact()}, {"sub-1", sub_tol}})}))}})
                  .Expect({{A("req-0/sub-1", "device-1")}}));
  v.push_back(S("tainted-no-effect", {.slices = {Slice("slice-1", {Taint(Dev("device-1"), "k", "None")})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}}));
  v.push_back(S("tainted-unknown-effect-is-ignored",
                {.slices = {Slice("slice-1", {Taint(Dev("device-1"), "k", "SomeFutureEffect")})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}}));
  Json both = Exact();
  both["tolerations"] = Json::array({{{"key", "example.com/taint"}, {"value", "x"}, {"effect", "NoSchedule"}},
                                     {{"key", "other"}, {"operator", "Exists"}, {"effect", "NoExecute"}}});
  v.push_back(S("tainted-one-device-two-taints-both-tolerated",
                {.slices = {Slice("slice-1", {Taint(t1, "other", "NoExecute")})}, .claims = {Claim1(both)}})
                  .Expect({{A("req-0", "device-1")}}));
  Json wrong_effect = Exact();
  wrong_effect["tolerations"] = Json::array({{{"key", "example.com/taint"}, {"operator", "Exists"}, {"effect", "NoExecute"}}});
  v.push_back(S("tainted-noexecute-toleration-does-not-cover-noschedule",
                {.slices = {Slice("slice-1", {t1})}, .claims = {Claim1(wrong_effect)}})
                  .NoFit());
  v.push_back(S("tainted-disabled", {.slices = {Slice("slice-1", {t1})}, .claims = {Claim1(Exact())},
                                     .options = WithFeatures(NoFeature([](Features& f) { f.device_taints = false; }))})
                  .Expect({{A("req-0", "device-1")}}));
  Json admin = Exact();
  admin["adminAccess"] = true;
  v.push_back(S("tainted-admin-access", {.slices = {Slice("slice-1", {t1})}, .claims = {Claim1(admin)}}).NoFit());
  v.push_back(S("tainted-all-devices-single", {.slices = {Slice("slice-1", {t1})}, .claims = {Claim1(AllOf())}}).NoFit());
  v.push_back(S("tainted-all-devices-single-disabled",
                {.slices = {Slice("slice-1", {t1})}, .claims = {Claim1(AllOf())},
                 .options = WithFeatures(NoFeature([](Features& f) { f.device_taints = false; }))})
                  .Expect({{A("req-0", "device-1")}}));
  // DeviceTaintRules (v1beta2).
  auto rule = [](const std::string& name, Json selector, const std::string& effect) {
    Json spec = {{"taint", {{"key", "rule"}, {"value", "v"}, {"effect", effect}}}};
    if (!selector.is_null()) spec["deviceSelector"] = selector;
    return Json{{"metadata", {{"name", name}}}, {"spec", spec}};
  };
  v.push_back(S("taint-rule-selects-one-device",
                {.slices = {OneSlice(2)}, .claims = {Claim1(Exact())},
                 .rules = {rule("r", {{"driver", "driver-a"}, {"pool", "pool-1"}, {"device", "device-1"}}, "NoSchedule")}})
                  .Expect({{A("req-0", "device-2")}}));
  v.push_back(S("taint-rule-empty-selector-taints-all",
                {.slices = {OneSlice(2)}, .claims = {Claim1(Exact())}, .rules = {rule("r", Json::object(), "NoExecute")}})
                  .NoFit());
  v.push_back(S("taint-rule-without-selector-taints-nothing",
                {.slices = {OneSlice(1)}, .claims = {Claim1(Exact())}, .rules = {rule("r", nullptr, "NoExecute")}})
                  .Expect({{A("req-0", "device-1")}}));
  Json rule_tol = Exact();
  rule_tol["tolerations"] = Json::array({{{"key", "rule"}, {"operator", "Equal"}, {"value", "v"}}});
  v.push_back(S("taint-rule-tolerated",
                {.slices = {OneSlice(1)}, .claims = {Claim1(rule_tol)}, .rules = {rule("r", {{"driver", "driver-a"}}, "NoSchedule")}})
                  .Expect({{A("req-0", "device-1")}}));
  return v;
}

std::vector<Scenario> BindingConditions() {
  std::vector<Scenario> v;
  Json bc = Dev("device-1");
  bc["bindingConditions"] = {"ready"};
  bc["bindingFailureConditions"] = {"failed"};
  bc["bindsToNode"] = true;
  v.push_back(S("device-binding-conditions", {.slices = {Slice("slice-1", {bc}, {.all_nodes = true})}, .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([](const AllocateResult& r) {
                    const Json& x = r.allocations[0]["devices"]["results"][0];
                    EXPECT_EQ(x["bindingConditions"], Json::array({"ready"}));
                    EXPECT_EQ(x["bindingFailureConditions"], Json::array({"failed"}));
                    EXPECT_EQ(r.allocations[0]["nodeSelector"], LocalSelector());
                  }));
  v.push_back(S("binding-conditions-pools-go-last",
                {.slices = {Slice("slice-1", {bc}, {.pool = "a-pool"}), Slice("slice-2", {Dev("device-1")}, {.pool = "b-pool"})},
                 .claims = {Claim1(Exact())}})
                  .Expect({{A("req-0", "device-1", "b-pool")}}));
  v.push_back(S("binding-conditions-without-feature-gate",
                {.slices = {Slice("slice-1", {bc})}, .claims = {Claim1(Exact())},
                 .options = WithFeatures(NoFeature([](Features& f) { f.device_binding = false; }))})
                  .NoFit());
  return v;
}

std::vector<Scenario> ConsumableCapacity() {
  std::vector<Scenario> v;
  auto shared = [](Json policy = nullptr) {
    Json d = Dev("device-1", {}, {{"memory", "10Gi"}});
    d["allowMultipleAllocations"] = true;
    if (!policy.is_null()) d["capacity"]["memory"]["requestPolicy"] = policy;
    return d;
  };
  auto want = [](const std::string& q) {
    Json e = Exact();
    e["capacity"] = {{"requests", {{"memory", q}}}};
    return e;
  };
  v.push_back(S("consumable-capacity-share", {.slices = {Slice("slice-1", {shared()})}, .claims = {Claim1(want("4Gi"))}})
                  .Expect({{A("req-0", "device-1")}})
                  .Check([](const AllocateResult& r) {
                    const Json& x = r.allocations[0]["devices"]["results"][0];
                    EXPECT_EQ(x["shareID"], "share-1");
                    EXPECT_EQ(x["consumedCapacity"], Json({{"memory", "4Gi"}}));
                  }));
  v.push_back(S("consumable-capacity-two-claims-share-device",
                {.slices = {Slice("slice-1", {shared()})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", want("4Gi"))})), Claim("claim-1", Json::array({Req("req-0", want("6Gi"))}))}})
                  .Expect({{A("req-0", "device-1")}, {A("req-0", "device-1")}}));
  v.push_back(S("consumable-capacity-exhausted",
                {.slices = {Slice("slice-1", {shared()})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", want("4Gi"))})), Claim("claim-1", Json::array({Req("req-0", want("7Gi"))}))}})
                  .NoFit());
  v.push_back(S("consumable-capacity-remaining-after-earlier-allocations",
                {.slices = {Slice("slice-1", {shared()})}, .claims = {Claim1(want("4Gi"))},
                 .consumed = {{{"driver-a", "pool-1", "device-1"}, {{"memory", "8Gi"}}}}})
                  .NoFit());
  v.push_back(S("consumable-capacity-no-request-takes-all",
                {.slices = {Slice("slice-1", {shared()})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact())})), Claim("claim-1", Json::array({Req("req-0", want("1Gi"))}))}})
                  .NoFit());
  v.push_back(S("consumable-capacity-default-policy",
                {.slices = {Slice("slice-1", {shared({{"default", "1Gi"}, {"validRange", {{"min", "1Gi"}}}})})}, .claims = {Claim1(Exact())}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_EQ(r.allocations[0]["devices"]["results"][0]["consumedCapacity"]["memory"], "1Gi");
                  })
                  .Expect({{A("req-0", "device-1")}}));
  Json stepped = Dev("device-1", {}, {{"slots", "10"}});
  stepped["allowMultipleAllocations"] = true;
  stepped["capacity"]["slots"]["requestPolicy"] = {{"validRange", {{"min", "2"}, {"step", "2"}}}};
  Json want3 = Exact();
  want3["capacity"] = {{"requests", {{"slots", "3"}}}};
  v.push_back(S("consumable-capacity-range-step-rounds-up", {.slices = {Slice("slice-1", {stepped})}, .claims = {Claim1(want3)}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_EQ(r.allocations[0]["devices"]["results"][0]["consumedCapacity"]["slots"], "4");
                  })
                  .Expect({{A("req-0", "device-1")}}));
  v.push_back(S("consumable-capacity-valid-values-round-up",
                {.slices = {Slice("slice-1", {shared({{"validValues", {"1Gi", "4Gi", "8Gi"}}})})}, .claims = {Claim1(want("2Gi"))}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_EQ(r.allocations[0]["devices"]["results"][0]["consumedCapacity"]["memory"], "4Gi");
                  })
                  .Expect({{A("req-0", "device-1")}}));
  v.push_back(S("consumable-capacity-over-max",
                {.slices = {Slice("slice-1", {shared({{"validRange", {{"min", "1Gi"}, {"max", "4Gi"}}}})})}, .claims = {Claim1(want("5Gi"))}})
                  .NoFit());
  v.push_back(S("consumable-capacity-missing-capacity-name",
                {.slices = {Slice("slice-1", {shared()})}, .claims = {Claim1([] { Json e = Exact(); e["capacity"] = {{"requests", {{"nope", "1"}}}}; return e; }())}})
                  .NoFit());
  v.push_back(S("consumable-capacity-dedicated-device-too-small",
                {.slices = {Slice("slice-1", {Dev("device-1", {}, {{"memory", "2Gi"}}), Dev("device-2", {}, {{"memory", "8Gi"}})})},
                 .claims = {Claim1(want("4Gi"))}})
                  .Expect({{A("req-0", "device-2")}})
                  .Check([](const AllocateResult& r) {
                    EXPECT_FALSE(r.allocations[0]["devices"]["results"][0].contains("shareID"));
                  }));
  Json s2 = shared();
  s2["name"] = "device-2";
  Json s1 = shared();
  s1["attributes"] = {{"x", Int(1)}};
  s2["attributes"] = {{"x", Int(2)}};
  v.push_back(S("distinct-constraint-two-multi-allocatable-devices",
                {.slices = {Slice("slice-1", {s1, s2})},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", want("1Gi")), Req("req-1", want("1Gi"))}), Json::array({Distinct("driver-a/x")}))}})
                  .Expect({{A("req-0", "device-1"), A("req-1", "device-2")}}));
  v.push_back(S("multi-allocatable-device-twice-in-one-claim",
                {.slices = {Slice("slice-1", {shared()})}, .claims = {Claim("claim-0", Json::array({Req("req-0", want("1Gi")), Req("req-1", want("1Gi"))}))}})
                  .Expect({{A("req-0", "device-1"), A("req-1", "device-1")}}));
  return v;
}

std::vector<Scenario> SearchCost() {
  std::vector<Scenario> v;
  v.push_back(S("check-combinations-five-of-four-fails-without-search",
                {.slices = {OneSlice(4)}, .claims = {Claim1(Exact("class-a", 5))}})
                  .NoFit()
                  .Check([](const AllocateResult& r) { EXPECT_EQ(r.steps, 0); }));
  v.push_back(S("check-combinations-across-pools",
                {.slices = {Slice("slice-1", {Dev("device-1"), Dev("device-2")}), Slice("slice-2", {Dev("device-1"), Dev("device-2")}, {.pool = "pool-2"})},
                 .claims = {Claim1(Exact("class-a", 4))}})
                  .Check([](const AllocateResult& r) { EXPECT_LE(r.steps, 7); })
                  .Expect({{A("req-0", "device-1"), A("req-0", "device-1", "pool-2"), A("req-0", "device-2"), A("req-0", "device-2", "pool-2")}}));
  // Upstream needs 12 allocateOne calls for this backtracking case (14 in the stable variant).
  Json devs = Json::array({Dev("device-1", {{"x", Int(1)}}), Dev("device-2", {{"x", Int(2)}}), Dev("device-3", {{"x", Int(2)}}), Dev("device-4", {{"x", Int(2)}})});
  v.push_back(S("check-combinations-with-backtracking",
                {.slices = {Slice("slice-1", devs)},
                 .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 3))}), Json::array({Match("driver-a/x")}))}})
                  .Check([](const AllocateResult& r) { EXPECT_LE(r.steps, 12); })
                  .Expect({{A("req-0", "device-2"), A("req-0", "device-3"), A("req-0", "device-4")}}));
  Inputs hopeless{.slices = {OneSlice(24)},
                  .claims = {Claim("claim-0", Json::array({Req("req-0", Exact("class-a", 12))}),
                                   Json::array({Distinct("driver-a/x")}))}};
  Json many = Json::array();
  for (int i = 1; i <= 24; ++i) many.push_back(Dev("device-" + std::to_string(i), {{"x", Int(i % 11)}}));
  hopeless.slices = {Slice("slice-1", many)};
  hopeless.options.search_budget = 5000;
  v.push_back(S("search-budget-ends-hopeless-request", hopeless)
                  .NoFit()
                  .Check([](const AllocateResult& r) { EXPECT_TRUE(r.budget_exhausted); }));
  return v;
}

void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

class AllocatorScenario : public ::testing::TestWithParam<Scenario> {};

TEST_P(AllocatorScenario, Runs) {
  const Scenario& s = GetParam();
  StatusOr<AllocateResult> r = RunInputs(s.in);
  if (!s.error.empty()) {
    ASSERT_FALSE(r.ok()) << "expected error containing: " << s.error;
    EXPECT_NE(r.status().message().find(s.error), std::string::npos) << r.status().message();
    return;
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  if (!s.fits) {
    EXPECT_FALSE(r->allocated) << ToJson(Json(r->allocations));
    EXPECT_EQ(r->invalid_pools, s.invalid_pools) << r->reason;
  } else {
    ASSERT_TRUE(r->allocated) << r->reason;
    if (!s.picks.empty() || s.in.claims.empty()) {
      Picked want = s.picks;
      for (auto& c : want) std::sort(c.begin(), c.end());
      EXPECT_EQ(Picks(*r), want);
    }
  }
  if (s.check) s.check(*r);
}

std::vector<Scenario> All() {
  std::vector<Scenario> v;
  for (auto f : {Basics, AllMode, AdminAccess, NodePlacement, Constraints, Config, BadInput, PrioritizedList, Partitionable,
                 Taints, BindingConditions, ConsumableCapacity, SearchCost}) {
    for (auto& s : f()) v.push_back(std::move(s));
  }
  return v;
}

INSTANTIATE_TEST_SUITE_P(Upstream, AllocatorScenario, ::testing::ValuesIn(All()),
                         [](const ::testing::TestParamInfo<Scenario>& info) {
                           std::string n = info.param.name;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace haru::scheduler::dra
