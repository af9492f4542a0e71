#include "controllers/resourceclaim_controller.h"

#include <gtest/gtest.h>

#include "controllers/garbage_collector.h"
#include "controllers/internal/controller_test_env.h"

namespace haru::controllers {
namespace {

class ResourceClaimControllerTest : public ::testing::Test {
 protected:
  ResourceClaimControllerTest() : controller_(env_.client(), env_.clock()) {}

  void Sync() {
    ASSERT_TRUE(controller_.RefreshCaches().ok());
    controller_.Sync();
  }
  Json Template() {
    return {{"apiVersion", "resource.k8s.io/v1"},
            {"kind", "ResourceClaimTemplate"},
            {"metadata", {{"name", "gpu-template"}}},
            {"spec",
             {{"metadata", {{"labels", {{"team", "ml"}}}, {"annotations", {{"note", "from-template"}}}}},
              {"spec",
               {{"devices",
                 {{"requests", Json::array({{{"name", "gpu"}, {"exactly", {{"deviceClassName", "gpu.example.com"}}}}})}}}}}}}};
  }
  Json PodWithTemplateClaim(const std::string& name) {
    return testing::ControllerTestEnv::Pod(
        name, {{"resourceClaims", Json::array({{{"name", "gpu"}, {"resourceClaimTemplateName", "gpu-template"}}})}});
  }
  static Json Allocation() {
    return {{"devices",
             {{"results", Json::array({{{"request", "gpu"},
                                        {"driver", "gpu.example.com"},
                                        {"pool", "node-1"},
                                        {"device", "gpu-0"}}})}}}};
  }
  // Allocates the claim and reserves it for the pod, as the scheduler does.
  void AllocateFor(const std::string& claim, const Json& pod) {
    env_.MergeStatus(kResourceClaims, "default", claim,
                     {{"allocation", Allocation()},
                      {"reservedFor", Json::array({{{"resource", "pods"}, {"name", Name(pod)}, {"uid", Uid(pod)}}})}});
  }

  testing::ControllerTestEnv env_;
  ResourceClaimController controller_;
};

TEST_F(ResourceClaimControllerTest, CreatesClaimFromTemplateAndRecordsIt) {
  env_.Create(kResourceClaimTemplates, "default", Template());
  Json pod = env_.Create(kPods, "default", PodWithTemplateClaim("trainer"));
  Sync();

  std::vector<Json> claims = env_.List(kResourceClaims, "default");
  ASSERT_EQ(claims.size(), 1u);
  const Json& claim = claims[0];
  EXPECT_EQ(claim["metadata"]["generateName"], "trainer-gpu-");
  EXPECT_EQ(Name(claim).rfind("trainer-gpu-", 0), 0u);
  EXPECT_EQ(claim["metadata"]["annotations"][kPodClaimNameAnnotation], "gpu");
  EXPECT_EQ(claim["metadata"]["annotations"]["note"], "from-template");
  EXPECT_EQ(claim["metadata"]["labels"]["team"], "ml");
  const Json& owner = claim["metadata"]["ownerReferences"][0];
  EXPECT_EQ(owner["kind"], "Pod");
  EXPECT_EQ(owner["uid"], Uid(pod));
  EXPECT_EQ(owner["controller"], true);
  EXPECT_EQ(owner["blockOwnerDeletion"], true);
  EXPECT_EQ(claim["spec"]["devices"]["requests"][0]["name"], "gpu");

  Json updated = env_.Get(kPods, "default", "trainer");
  ASSERT_EQ(updated["status"]["resourceClaimStatuses"].size(), 1u);
  EXPECT_EQ(updated["status"]["resourceClaimStatuses"][0]["name"], "gpu");
  EXPECT_EQ(updated["status"]["resourceClaimStatuses"][0]["resourceClaimName"], Name(claim));

  Sync();  // settled: nothing new
  EXPECT_EQ(env_.List(kResourceClaims, "default").size(), 1u);
}

TEST_F(ResourceClaimControllerTest, ReusesAClaimAlreadyMadeForThePod) {
  env_.Create(kResourceClaimTemplates, "default", Template());
  Json pod = env_.Create(kPods, "default", PodWithTemplateClaim("trainer"));
  Json orphan = {{"apiVersion", "resource.k8s.io/v1"},
                 {"kind", "ResourceClaim"},
                 {"metadata",
                  {{"name", "trainer-gpu-abcde"},
                   {"annotations", {{kPodClaimNameAnnotation, "gpu"}}},
                   {"ownerReferences", Json::array({{{"apiVersion", "v1"}, {"kind", "Pod"}, {"name", "trainer"},
                                                     {"uid", Uid(pod)}, {"controller", true}}})}}},
                 {"spec", Template()["spec"]["spec"]}};
  env_.Create(kResourceClaims, "default", orphan);
  Sync();
  EXPECT_EQ(env_.List(kResourceClaims, "default").size(), 1u);
  Json updated = env_.Get(kPods, "default", "trainer");
  EXPECT_EQ(updated["status"]["resourceClaimStatuses"][0]["resourceClaimName"], "trainer-gpu-abcde");
}

TEST_F(ResourceClaimControllerTest, MissingTemplateIsAWarningEvent) {
  env_.Create(kPods, "default", PodWithTemplateClaim("trainer"));
  Sync();
  EXPECT_TRUE(env_.List(kResourceClaims, "default").empty());
  std::vector<Json> events = env_.Events("default", "trainer", "FailedResourceClaimCreation");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "Warning");
  // Upstream's wording: the lister's NotFound, with the resource in the singular.
  EXPECT_EQ(Str(events[0], "message"),
            "PodResourceClaim gpu: resource claim template \"gpu-template\": "
            "resourceclaimtemplate.resource.k8s.io \"gpu-template\" not found");
}

TEST_F(ResourceClaimControllerTest, DoneDeallocatesAndDeletesTheGeneratedClaim) {
  env_.Create(kResourceClaimTemplates, "default", Template());
  Json pod = env_.Create(kPods, "default", PodWithTemplateClaim("trainer"));
  Sync();
  std::string claim = Name(env_.List(kResourceClaims, "default")[0]);
  AllocateFor(claim, pod);
  Sync();
  Json allocated = env_.Get(kResourceClaims, "default", claim);
  EXPECT_TRUE(HasFinalizer(allocated, kClaimDeleteProtectionFinalizer)) << allocated.dump();

  env_.MergeStatus(kPods, "default", "trainer", {{"phase", "Succeeded"}});
  Sync();
  EXPECT_TRUE(env_.Get(kResourceClaims, "default", claim).is_null())
      << env_.Get(kResourceClaims, "default", claim).dump();
}

TEST_F(ResourceClaimControllerTest, FinalizerKeepsAnInUseClaimUntilItsPodIsGone) {
  env_.Create(kResourceClaimTemplates, "default", Template());
  Json pod = env_.Create(kPods, "default", PodWithTemplateClaim("trainer"));
  Sync();
  std::string claim = Name(env_.List(kResourceClaims, "default")[0]);
  AllocateFor(claim, pod);
  Sync();

  ASSERT_TRUE(env_.client()->Delete(kResourceClaims, "default", claim).ok());
  Sync();
  Json held = env_.Get(kResourceClaims, "default", claim);
  ASSERT_FALSE(held.is_null());
  EXPECT_TRUE(IsDeleting(held));
  EXPECT_EQ(held["status"]["reservedFor"].size(), 1u);

  ASSERT_TRUE(env_.client()->Delete(kPods, "default", "trainer").ok());
  Sync();
  EXPECT_TRUE(env_.Get(kResourceClaims, "default", claim).is_null());
}

TEST_F(ResourceClaimControllerTest, SharedClaimIsDeallocatedButKept) {
  Json shared = {{"apiVersion", "resource.k8s.io/v1"},
                 {"kind", "ResourceClaim"},
                 {"metadata", {{"name", "shared"}}},
                 {"spec", Template()["spec"]["spec"]}};
  env_.Create(kResourceClaims, "default", shared);
  Json pod = env_.Create(
      kPods, "default",
      testing::ControllerTestEnv::Pod("user", {{"resourceClaims", Json::array({{{"name", "gpu"}, {"resourceClaimName", "shared"}}})}}));
  AllocateFor("shared", pod);
  Sync();
  EXPECT_TRUE(HasFinalizer(env_.Get(kResourceClaims, "default", "shared"), kClaimDeleteProtectionFinalizer));

  ASSERT_TRUE(env_.client()->Delete(kPods, "default", "user").ok());
  Sync();
  Json after = env_.Get(kResourceClaims, "default", "shared");
  ASSERT_FALSE(after.is_null());
  EXPECT_FALSE(Field(after["status"], "allocation").is_object()) << after.dump();
  EXPECT_TRUE(Arr(after["status"], "reservedFor").empty());
  EXPECT_FALSE(HasFinalizer(after, kClaimDeleteProtectionFinalizer));
}

TEST_F(ResourceClaimControllerTest, ReservesAnAllocatedClaimForAScheduledPod) {
  Json shared = {{"apiVersion", "resource.k8s.io/v1"},
                 {"kind", "ResourceClaim"},
                 {"metadata", {{"name", "shared"}}},
                 {"spec", Template()["spec"]["spec"]}};
  env_.Create(kResourceClaims, "default", shared);
  env_.MergeStatus(kResourceClaims, "default", "shared", {{"allocation", Allocation()}});
  Json pod = env_.Create(
      kPods, "default",
      testing::ControllerTestEnv::Pod("user", {{"nodeName", "node-1"},
                                               {"resourceClaims", Json::array({{{"name", "gpu"}, {"resourceClaimName", "shared"}}})}}));
  Sync();
  Json claim = env_.Get(kResourceClaims, "default", "shared");
  ASSERT_EQ(Arr(claim["status"], "reservedFor").size(), 1u);
  EXPECT_EQ(claim["status"]["reservedFor"][0]["uid"], Uid(pod));
}

TEST_F(ResourceClaimControllerTest, GarbageCollectorRemovesClaimsOfADeletedPod) {
  env_.Create(kResourceClaimTemplates, "default", Template());
  env_.Create(kPods, "default", PodWithTemplateClaim("trainer"));
  Sync();
  std::string claim = Name(env_.List(kResourceClaims, "default")[0]);
  ASSERT_TRUE(env_.client()->Delete(kPods, "default", "trainer").ok());
  CollectGarbage(*env_.registry());
  EXPECT_TRUE(env_.Get(kResourceClaims, "default", claim).is_null());
}

}  // namespace
}  // namespace haru::controllers
