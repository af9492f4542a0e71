#include "controllers/device_taint_eviction.h"

#include <gtest/gtest.h>

#include "controllers/internal/controller_test_env.h"

namespace haru::controllers {
namespace {

class DeviceTaintEvictionTest : public ::testing::Test {
 protected:
  DeviceTaintEvictionTest() : controller_(env_.client(), env_.clock()) {}

  void Sync() {
    ASSERT_TRUE(controller_.RefreshCaches().ok());
    controller_.Sync();
  }
  // A slice with gpu-0 and gpu-1 on node-1; gpu-0 carries `taints`.
  void PublishSlice(Json taints) {
    Json gpu0 = {{"name", "gpu-0"}};
    if (!taints.empty()) gpu0["taints"] = std::move(taints);
    env_.Create(kResourceSlices, "",
                {{"apiVersion", "resource.k8s.io/v1"},
                 {"kind", "ResourceSlice"},
                 {"metadata", {{"name", "node-1-gpu"}}},
                 {"spec",
                  {{"driver", "gpu.example.com"},
                   {"pool", {{"name", "node-1"}, {"generation", 1}, {"resourceSliceCount", 1}}},
                   {"nodeName", "node-1"},
                   {"devices", Json::array({gpu0, {{"name", "gpu-1"}}})}}}});
  }
  Json Taint(const std::string& effect) {
    return {{"key", "gpu.example.com/unhealthy"}, {"value", "true"}, {"effect", effect},
            {"timeAdded", FormatTime(env_.now())}};
  }
  // A running pod on node-1 whose claim got `device` with `tolerations`.
  Json RunPodWith(const std::string& name, const std::string& device, Json tolerations = Json::array()) {
    Json request = {{"name", "gpu"}, {"exactly", {{"deviceClassName", "gpu.example.com"}}}};
    if (!tolerations.empty()) request["exactly"]["tolerations"] = tolerations;
    env_.Create(kResourceClaims, "default",
                {{"apiVersion", "resource.k8s.io/v1"},
                 {"kind", "ResourceClaim"},
                 {"metadata", {{"name", name + "-claim"}}},
                 {"spec", {{"devices", {{"requests", Json::array({request})}}}}}});
    Json pod = env_.Create(
        kPods, "default",
        testing::ControllerTestEnv::Pod(
            name, {{"nodeName", "node-1"},
                   {"resourceClaims", Json::array({{{"name", "gpu"}, {"resourceClaimName", name + "-claim"}}})}}));
    Json result = {{"request", "gpu"}, {"driver", "gpu.example.com"}, {"pool", "node-1"}, {"device", device}};
    if (!tolerations.empty()) result["tolerations"] = tolerations;
    env_.MergeStatus(kResourceClaims, "default", name + "-claim",
                     {{"allocation", {{"devices", {{"results", Json::array({result})}}}}},
                      {"reservedFor", Json::array({{{"resource", "pods"}, {"name", name}, {"uid", Uid(pod)}}})}});
    env_.MergeStatus(kPods, "default", name, {{"phase", "Running"}});
    return pod;
  }
  bool Evicted(const std::string& pod) {
    Json p = env_.Get(kPods, "default", pod);
    return p.is_null() || IsDeleting(p);
  }

  testing::ControllerTestEnv env_;
  DeviceTaintEvictionController controller_;
};

TEST_F(DeviceTaintEvictionTest, NoExecuteEvictsPodsWithoutToleration) {
  PublishSlice(Json::array({Taint("NoExecute")}));
  RunPodWith("victim", "gpu-0");
  RunPodWith("bystander", "gpu-1");
  Sync();
  EXPECT_TRUE(Evicted("victim"));
  EXPECT_FALSE(Evicted("bystander"));
  Json victim = env_.Get(kPods, "default", "victim");
  if (!victim.is_null()) {
    const Json& cond = FindCondition(victim, "DisruptionTarget");
    EXPECT_EQ(cond["reason"], "DeletionByDeviceTaintManager");
    EXPECT_EQ(cond["message"], "Device Taint manager: deleting due to NoExecute taint");
  }
  std::vector<Json> events = env_.Events("default", "victim", "DeviceTaintManagerEviction");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["message"], "Marking for deletion");
}

TEST_F(DeviceTaintEvictionTest, NoScheduleDoesNotEvict) {
  PublishSlice(Json::array({Taint("NoSchedule")}));
  RunPodWith("runner", "gpu-0");
  Sync();
  EXPECT_FALSE(Evicted("runner"));
}

TEST_F(DeviceTaintEvictionTest, TolerationWithoutSecondsKeepsThePod) {
  PublishSlice(Json::array({Taint("NoExecute")}));
  RunPodWith("tolerant", "gpu-0",
             Json::array({{{"key", "gpu.example.com/unhealthy"}, {"operator", "Exists"}, {"effect", "NoExecute"}}}));
  Sync();
  env_.Advance(3600);
  Sync();
  EXPECT_FALSE(Evicted("tolerant"));
}

TEST_F(DeviceTaintEvictionTest, TolerationSecondsDelayEviction) {
  PublishSlice(Json::array({Taint("NoExecute")}));
  RunPodWith("patient", "gpu-0",
             Json::array({{{"key", "gpu.example.com/unhealthy"},
                           {"operator", "Equal"},
                           {"value", "true"},
                           {"effect", "NoExecute"},
                           {"tolerationSeconds", 60}}}));
  Sync();
  EXPECT_FALSE(Evicted("patient"));
  env_.Advance(59);
  Sync();
  EXPECT_FALSE(Evicted("patient"));
  env_.Advance(1);
  Sync();
  EXPECT_TRUE(Evicted("patient"));
}

TEST_F(DeviceTaintEvictionTest, DeviceTaintRuleEvictsAndReportsProgress) {
  PublishSlice(Json::array());
  RunPodWith("victim", "gpu-1");
  Json rule = env_.Create(kDeviceTaintRules, "",
                          {{"apiVersion", "resource.k8s.io/v1beta2"},
                           {"kind", "DeviceTaintRule"},
                           {"metadata", {{"name", "drain-gpu-1"}}},
                           {"spec",
                            {{"deviceSelector", {{"driver", "gpu.example.com"}, {"pool", "node-1"}, {"device", "gpu-1"}}},
                             {"taint", {{"key", "maintenance"}, {"effect", "NoExecute"}}}}}});
  Sync();
  EXPECT_TRUE(Evicted("victim"));
  Sync();
  Json updated = env_.Get(kDeviceTaintRules, "", "drain-gpu-1");
  const Json& cond = FindCondition(updated, "EvictionInProgress");
  EXPECT_EQ(cond["status"], "False") << updated.dump();
  EXPECT_EQ(cond["reason"], "Completed");
  EXPECT_EQ(cond["message"], "1 pod evicted since starting the controller.");
}

TEST_F(DeviceTaintEvictionTest, NoneEffectRuleReportsWhatWouldHappen) {
  PublishSlice(Json::array());
  RunPodWith("runner", "gpu-0");
  env_.Create(kDeviceTaintRules, "",
              {{"apiVersion", "resource.k8s.io/v1beta2"},
               {"kind", "DeviceTaintRule"},
               {"metadata", {{"name", "preview"}}},
               {"spec", {{"deviceSelector", {{"driver", "gpu.example.com"}}}, {"taint", {{"key", "maintenance"}, {"effect", "None"}}}}}});
  Sync();
  EXPECT_FALSE(Evicted("runner"));
  Json preview = env_.Get(kDeviceTaintRules, "", "preview");
  const Json& cond = FindCondition(preview, "EvictionInProgress");
  ASSERT_TRUE(cond.is_object()) << preview.dump();
  EXPECT_EQ(cond["reason"], "NoEffect");
  EXPECT_EQ(cond["message"],
            "2 published devices selected. 1 allocated device selected. 1 pod would be evicted in 1 namespace "
            "if the effect was NoExecute. This information will not be updated again. Recreate the "
            "DeviceTaintRule to trigger an update.");
}

}  // namespace
}  // namespace haru::controllers
