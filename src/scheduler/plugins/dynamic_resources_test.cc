// The DynamicResources filter's remembered allocator answers: reused while nothing the
// allocator reads for a node changed, recomputed after an allocation on that node, a change
// in a shared pool, the inventory, or the node's labels.

#include "scheduler/plugins/dynamic_resources.h"

#include <gtest/gtest.h>

#include "scheduler/dra/scenario_testing.h"

namespace haru::scheduler {
namespace {

using namespace dra::testing;  // NOLINT

Json NodeObject(const std::string& name, Json labels = Json::object()) {
  labels["kubernetes.io/hostname"] = name;
  return {{"metadata", {{"name", name}, {"labels", labels}}},
          {"status", {{"allocatable", {{"cpu", "4"}, {"memory", "4Gi"}, {"pods", "10"}}}}}};
}

Json ClaimObject(const std::string& name, const std::string& uid) {
  Json c = Claim(name, Json::array({Req("req-0", Exact())}));
  c["metadata"]["uid"] = uid;
  return c;
}

Json PodObject(const std::string& name, const std::string& claim) {
  return {{"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "pod-" + name}}},
          {"spec",
           {{"containers", Json::array({{{"name", "c"}}})},
            {"resourceClaims", Json::array({{{"name", "gpu"}, {"resourceClaimName", claim}}})}}}};
}

class DraMemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* n : {"node-1", "node-2"}) {
      cache_.UpsertNode(NodeObject(n));
      cache_.UpsertSlice(Slice(std::string(n) + "-slice", Json::array({Dev("dev-0"), Dev("dev-1")}),
                               {.node = n, .pool = n}));
    }
    cache_.UpsertClass(ClassA());
    cache_.UpsertClaim(ClaimObject("a", "uid-a"));
    cache_.UpsertClaim(ClaimObject("b", "uid-b"));
  }

  // One Filter pass over both nodes for the pod using `claim`; counts allocator answers that
  // came from the memo in *hits.
  std::vector<bool> FilterBoth(const std::string& claim, int* hits, std::vector<Json>* allocations = nullptr) {
    auto pod = ParsePod(PodObject("p-" + claim, claim));
    DraCycleState state;
    EXPECT_TRUE(DynamicResourcesPreFilter(*pod, cache_, &state).ok());
    state.allocator = cache_.Allocator();
    state.generation = cache_.dra_generation();
    const std::vector<NodeInfo*>& nodes = cache_.Nodes();
    state.allocations.resize(nodes.size());
    std::vector<bool> fits;
    *hits = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {
      bool had = false;
      for (const DraMemo& m : nodes[i]->dra_memo) {
        had = had || (m.key == state.memo_key && m.generation == state.generation);
      }
      FilterStatus s = DynamicResourcesFilter(*pod, *nodes[i], i, cache_.allocated_state(), &state);
      *hits += had;
      fits.push_back(s.ok());
      if (allocations) allocations->push_back(state.allocations[i] ? (*state.allocations[i])[0] : Json());
    }
    return fits;
  }

  Cache cache_;
};

TEST_F(DraMemoTest, SameSpecReusesAnswersUntilTheNodeChanges) {
  int hits = 0;
  std::vector<Json> allocs;
  EXPECT_EQ(FilterBoth("a", &hits, &allocs), (std::vector<bool>{true, true}));
  EXPECT_EQ(hits, 0);
  // Claim b has the same spec: both answers are remembered.
  EXPECT_EQ(FilterBoth("b", &hits), (std::vector<bool>{true, true}));
  EXPECT_EQ(hits, 2);

  // a is allocated on node-1: only node-1 is asked again.
  cache_.AssumeClaimAllocation("default/a", allocs[0]);
  std::vector<Json> after;
  EXPECT_EQ(FilterBoth("b", &hits, &after), (std::vector<bool>{true, true}));
  EXPECT_EQ(hits, 1);
  EXPECT_NE(after[0]["devices"]["results"][0]["device"], allocs[0]["devices"]["results"][0]["device"]);

  // The API confirming the same devices changes nothing.
  Json confirmed = ClaimObject("a", "uid-a");
  confirmed["status"]["allocation"] = allocs[0];
  cache_.UpsertClaim(confirmed);
  EXPECT_EQ(FilterBoth("b", &hits), (std::vector<bool>{true, true}));
  EXPECT_EQ(hits, 2);

  // Both devices of node-1 taken: node-1 no longer fits, and that answer is remembered too.
  Json full = ClaimObject("c", "uid-c");
  full["status"]["allocation"] = after[0];
  cache_.UpsertClaim(full);
  EXPECT_EQ(FilterBoth("b", &hits), (std::vector<bool>{false, true}));
  EXPECT_EQ(hits, 1);
  EXPECT_EQ(FilterBoth("b", &hits), (std::vector<bool>{false, true}));
  EXPECT_EQ(hits, 2);

  // Releasing an allocation (a failed binding, a deleted claim) makes node-1 fit again.
  cache_.DeleteClaim("default/c");
  EXPECT_EQ(FilterBoth("b", &hits), (std::vector<bool>{true, true}));
  EXPECT_EQ(hits, 1);
}

TEST_F(DraMemoTest, InventoryAndLabelChangesForgetAnswers) {
  int hits = 0;
  FilterBoth("a", &hits);
  FilterBoth("a", &hits);
  EXPECT_EQ(hits, 2);
  // A class change: every answer is recomputed.
  cache_.UpsertClass(Class("class-a", {"device.driver == \"driver-a\"", "true"}));
  FilterBoth("a", &hits);
  EXPECT_EQ(hits, 0);
  FilterBoth("a", &hits);
  EXPECT_EQ(hits, 2);
  // New labels on node-2: its answer is recomputed.
  cache_.UpsertNode(NodeObject("node-2", {{"zone", "b"}}));
  FilterBoth("a", &hits);
  EXPECT_EQ(hits, 1);
  // The same labels again: kept.
  cache_.UpsertNode(NodeObject("node-2", {{"zone", "b"}}));
  FilterBoth("a", &hits);
  EXPECT_EQ(hits, 2);
}

TEST_F(DraMemoTest, AllocationInASharedPoolForgetsEveryAnswer) {
  cache_.UpsertSlice(Slice("shared", Json::array({Dev("net-0")}), {.pool = "shared", .all_nodes = true}));
  int hits = 0;
  std::vector<Json> allocs;
  FilterBoth("a", &hits, &allocs);
  FilterBoth("a", &hits);
  EXPECT_EQ(hits, 2);
  Json taken = ClaimObject("c", "uid-c");
  taken["status"]["allocation"] = {
      {"devices", {{"results", Json::array({{{"request", "req-0"}, {"driver", "driver-a"}, {"pool", "shared"}, {"device", "net-0"}}})}}}};
  cache_.UpsertClaim(taken);
  FilterBoth("a", &hits);
  EXPECT_EQ(hits, 0);
}

TEST_F(DraMemoTest, InvalidPoolsAreTheNodesReasonAndRemembered) {
  // node-1 also sees a pool published twice under different names: invalid.
  for (const char* name : {"dup-1", "dup-2"}) {
    cache_.UpsertSlice(Slice(name, Json::array({Dev("x")}), {.node = "node-1", .pool = "dup", .driver = "driver-b", .count = 2}));
  }
  cache_.UpsertClass(ClassB());
  Json claim = Claim("b-claim", Json::array({Req("req-0", Exact("class-b"))}));
  claim["metadata"]["uid"] = "uid-b-claim";
  cache_.UpsertClaim(claim);
  auto pod = ParsePod(PodObject("p", "b-claim"));
  for (int pass = 0; pass < 2; ++pass) {  // computed, then from the memo
    DraCycleState state;
    ASSERT_TRUE(DynamicResourcesPreFilter(*pod, cache_, &state).ok());
    state.allocator = cache_.Allocator();
    state.generation = cache_.dra_generation();
    const std::vector<NodeInfo*>& nodes = cache_.Nodes();
    state.allocations.resize(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
      FilterStatus s = DynamicResourcesFilter(*pod, *nodes[i], i, cache_.allocated_state(), &state);
      EXPECT_EQ(s.code, FilterCode::kUnschedulableAndUnresolvable);
      ASSERT_EQ(s.reasons.size(), 1u);
      EXPECT_EQ(s.reasons[0], nodes[i]->name == "node-1" ? kReasonInvalidPools : kReasonCannotAllocate) << pass;
    }
  }
}

TEST_F(DraMemoTest, MissingDeviceClassRejectsThePodInPreFilter) {
  Json claim = Claim("c", Json::array({Req("gpu", Exact("class-a")),
                                       FirstOf("alt", {{"big", Exact("class-a")}, {"small", Exact("no-such")}})}));
  claim["metadata"]["uid"] = "uid-c";
  cache_.UpsertClaim(claim);
  auto pod = ParsePod(PodObject("p", "c"));
  {
    DraCycleState state;
    FilterStatus s = DynamicResourcesPreFilter(*pod, cache_, &state);
    EXPECT_EQ(s.code, FilterCode::kUnschedulableAndUnresolvable);
    ASSERT_EQ(s.reasons.size(), 1u);
    EXPECT_EQ(s.reasons[0], "request alt/small: device class no-such does not exist");
  }
  cache_.UpsertClass(Class("no-such", {"device.driver == \"driver-a\""}));
  DraCycleState state;
  EXPECT_TRUE(DynamicResourcesPreFilter(*pod, cache_, &state).ok());
  cache_.DeleteClass("class-a");
  DraCycleState again;
  FilterStatus s = DynamicResourcesPreFilter(*pod, cache_, &again);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0], "request gpu: device class class-a does not exist");
  // An allocated claim needs no class.
  Json allocated = ClaimObject("a", "uid-a");
  allocated["status"]["allocation"] = {
      {"devices", {{"results", Json::array({{{"request", "req-0"}, {"driver", "driver-a"}, {"pool", "node-1"}, {"device", "dev-0"}}})}}}};
  cache_.UpsertClaim(allocated);
  DraCycleState held;
  EXPECT_TRUE(DynamicResourcesPreFilter(*ParsePod(PodObject("p-a", "a")), cache_, &held).ok());
}

}  // namespace
}  // namespace haru::scheduler
