// Filters and scores on in-memory pods and nodes.

#include "scheduler/plugins/plugins.h"

#include <gtest/gtest.h>

namespace haru::scheduler {
namespace {

Json PodJson(Json requests = Json::object()) {
  Json c = {{"name", "c"}, {"image", "x"}};
  if (!requests.empty()) c["resources"] = {{"requests", requests}};
  return {{"metadata", {{"name", "p"}, {"namespace", "ns"}, {"uid", "u1"}}},
          {"spec", {{"containers", Json::array({c})}}}};
}

NodeInfo MakeNode(const std::string& name, Json allocatable, Json labels = Json::object(), Json taints = Json::array()) {
  NodeInfo n;
  Json node = {{"metadata", {{"name", name}, {"labels", labels}}},
               {"spec", {{"taints", taints}}},
               {"status", {{"allocatable", allocatable}}}};
  ParseNodeInto(node, &n);
  return n;
}

TEST(PodRequests, MaxOfContainersAndInitContainersPlusOverhead) {
  Json pod = PodJson({{"cpu", "500m"}, {"memory", "1Gi"}});
  pod["spec"]["containers"].push_back({{"name", "d"}, {"resources", {{"requests", {{"cpu", "250m"}, {"nvidia.com/gpu", "2"}}}}}});
  pod["spec"]["initContainers"] = Json::array(
      {{{"name", "i1"}, {"resources", {{"requests", {{"cpu", "2"}, {"memory", "100Mi"}}}}}},
       {{"name", "side"}, {"restartPolicy", "Always"}, {"resources", {{"requests", {{"memory", "64Mi"}}}}}}});
  pod["spec"]["overhead"] = {{"cpu", "100m"}};
  auto p = ParsePod(pod);
  ASSERT_EQ(p->parse_error, "");
  EXPECT_EQ(p->requests.milli_cpu, 2000 + 100);           // the init container dominates cpu
  EXPECT_EQ(p->requests.memory, (1024 + 64) * 1024 * 1024);  // containers + sidecar
  EXPECT_EQ(p->requests.Scalar("nvidia.com/gpu"), 2);
}

TEST(PodRequests, LimitsOnlyAndBadQuantity) {
  Json pod = PodJson();
  pod["spec"]["containers"][0]["resources"] = {{"limits", {{"cpu", "1"}}}};
  EXPECT_EQ(ParsePod(pod)->requests.milli_cpu, 1000);
  pod["spec"]["containers"][0]["resources"] = {{"requests", {{"cpu", "lots"}}}};
  EXPECT_NE(ParsePod(pod)->parse_error.find("spec.containers[0].resources.requests[cpu]"), std::string::npos);
}

TEST(NodeResourcesFit, ReportsEachInsufficientResource) {
  NodeInfo n = MakeNode("n1", {{"cpu", "1"}, {"memory", "1Gi"}, {"pods", "110"}, {"nvidia.com/gpu", "1"}});
  auto p = ParsePod(PodJson({{"cpu", "2"}, {"memory", "512Mi"}, {"nvidia.com/gpu", "1"}}));
  FilterStatus s = NodeResourcesFitFilter(*p, n);
  EXPECT_EQ(s.reasons, std::vector<std::string>({"Insufficient cpu"}));
  EXPECT_EQ(s.code, FilterCode::kUnschedulableAndUnresolvable);  // more than the whole node
  auto small = ParsePod(PodJson({{"cpu", "500m"}, {"nvidia.com/gpu", "1"}}));
  EXPECT_TRUE(NodeResourcesFitFilter(*small, n).ok());
  n.AddPod(*small, +1);
  s = NodeResourcesFitFilter(*small, n);
  EXPECT_EQ(s.reasons, std::vector<std::string>({"Insufficient nvidia.com/gpu"}));
  EXPECT_EQ(s.code, FilterCode::kUnschedulable);
  NodeInfo full = MakeNode("n2", {{"cpu", "8"}, {"pods", "1"}});
  full.AddPod(*small, +1);
  EXPECT_EQ(NodeResourcesFitFilter(*ParsePod(PodJson()), full).reasons, std::vector<std::string>({"Too many pods"}));
}

TEST(Filters, NodeNameUnschedulableTaintsAffinity) {
  NodeInfo n = MakeNode("n1", {{"cpu", "4"}, {"pods", "10"}}, {{"zone", "a"}, {"rank", "5"}},
                        Json::array({{{"key", "gpu"}, {"value", "true"}, {"effect", "NoSchedule"}},
                                     {{"key", "soft"}, {"effect", "PreferNoSchedule"}}}));
  Json pj = PodJson();
  auto p = ParsePod(pj);
  EXPECT_EQ(TaintTolerationFilter(*p, n).reasons[0], "node(s) had untolerated taint(s)");
  pj["spec"]["tolerations"] = Json::array({{{"key", "gpu"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}});
  EXPECT_TRUE(TaintTolerationFilter(*ParsePod(pj), n).ok());
  EXPECT_EQ(TaintTolerationRawScore(*ParsePod(pj), n), 1);

  pj["spec"]["nodeName"] = "n2";
  EXPECT_EQ(NodeNameFilter(*ParsePod(pj), n).reasons[0], "node(s) didn't match the requested node name");
  pj["spec"].erase("nodeName");

  n.unschedulable = true;
  EXPECT_EQ(NodeUnschedulableFilter(*ParsePod(pj), n).reasons[0], "node(s) were unschedulable");
  pj["spec"]["tolerations"].push_back({{"key", "node.kubernetes.io/unschedulable"}, {"operator", "Exists"}});
  EXPECT_TRUE(NodeUnschedulableFilter(*ParsePod(pj), n).ok());

  pj["spec"]["nodeSelector"] = {{"zone", "b"}};
  EXPECT_EQ(NodeAffinityFilter(*ParsePod(pj), n).reasons[0], "node(s) didn't match Pod's node affinity/selector");
  pj["spec"]["nodeSelector"] = {{"zone", "a"}};
  EXPECT_TRUE(NodeAffinityFilter(*ParsePod(pj), n).ok());
  auto affinity = [&](Json expr, Json fields = Json::array()) {
    Json term = {{"matchExpressions", Json::array({expr})}};
    if (!fields.empty()) term = {{"matchFields", fields}};
    pj["spec"]["affinity"] = {{"nodeAffinity",
                               {{"requiredDuringSchedulingIgnoredDuringExecution",
                                 {{"nodeSelectorTerms", Json::array({term})}}}}}};
    return NodeAffinityFilter(*ParsePod(pj), n).ok();
  };
  EXPECT_TRUE(affinity({{"key", "zone"}, {"operator", "In"}, {"values", {"a", "c"}}}));
  EXPECT_FALSE(affinity({{"key", "zone"}, {"operator", "NotIn"}, {"values", {"a"}}}));
  EXPECT_TRUE(affinity({{"key", "rank"}, {"operator", "Gt"}, {"values", {"3"}}}));
  EXPECT_FALSE(affinity({{"key", "rank"}, {"operator", "Lt"}, {"values", {"3"}}}));
  EXPECT_TRUE(affinity({{"key", "gpu"}, {"operator", "DoesNotExist"}}));
  EXPECT_FALSE(affinity({{"key", "gpu"}, {"operator", "Exists"}}));
  EXPECT_TRUE(affinity(nullptr, Json::array({{{"key", "metadata.name"}, {"operator", "In"}, {"values", {"n1"}}}})));
  EXPECT_FALSE(affinity(nullptr, Json::array({{{"key", "metadata.name"}, {"operator", "In"}, {"values", {"n9"}}}})));
}

TEST(Scores, LeastAndMostAllocatedAndBalance) {
  NodeInfo empty = MakeNode("a", {{"cpu", "4"}, {"memory", "4Gi"}, {"pods", "10"}});
  NodeInfo busy = MakeNode("b", {{"cpu", "4"}, {"memory", "4Gi"}, {"pods", "10"}});
  auto load = ParsePod(PodJson({{"cpu", "2"}, {"memory", "2Gi"}}));
  busy.AddPod(*load, +1);
  auto p = ParsePod(PodJson({{"cpu", "1"}, {"memory", "1Gi"}}));
  EXPECT_EQ(NodeResourcesFitScore(*p, empty, ScoringStrategy::kLeastAllocated), 75);
  EXPECT_EQ(NodeResourcesFitScore(*p, busy, ScoringStrategy::kLeastAllocated), 25);
  EXPECT_EQ(NodeResourcesFitScore(*p, busy, ScoringStrategy::kMostAllocated), 75);
  EXPECT_EQ(BalancedAllocationScore(*p, busy), 100);
  auto skew = ParsePod(PodJson({{"cpu", "2"}}));
  EXPECT_LT(BalancedAllocationScore(*skew, empty), 100);
  std::vector<int64_t> raw = {0, 2, 4};
  NormalizeScores(raw, true);
  EXPECT_EQ(raw, std::vector<int64_t>({100, 50, 0}));
}

}  // namespace
}  // namespace haru::scheduler
