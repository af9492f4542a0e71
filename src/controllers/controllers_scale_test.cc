// How the client-based controllers scale: a DRA-sized cluster (2,000 ResourceSlices of 38
// devices, 4,000 pods each with a claim from a template). Disabled by default; run with
//   controllers_test --gtest_also_run_disabled_tests --gtest_filter='*ControllersScale*'
// It reports how long the running controllers take to create every claim, and the CPU one
// pass costs after a single pod changed.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "controllers/device_taint_eviction.h"
#include "controllers/garbage_collector.h"
#include "controllers/internal/controller_test_env.h"
#include "controllers/job_controller.h"
#include "controllers/resourceclaim_controller.h"

namespace haru::controllers {
namespace {

constexpr int kSlices = 2000;
constexpr int kDevicesPerSlice = 38;
constexpr int kPodCount = 4000;

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(ControllersScale, DISABLED_DraClaimsFromTemplates) {
  testing::ControllerTestEnv env;
  for (int s = 0; s < kSlices; ++s) {
    Json devices = Json::array();
    for (int d = 0; d < kDevicesPerSlice; ++d) {
      devices.push_back({{"name", "gpu-" + std::to_string(d)},
                         {"attributes", {{"index", {{"int", d}}}}}});
    }
    std::string node = "node-" + std::to_string(s);
    env.Create(kResourceSlices, "",
               {{"apiVersion", "resource.k8s.io/v1"},
                {"kind", "ResourceSlice"},
                {"metadata", {{"name", node + "-gpu"}}},
                {"spec",
                 {{"driver", "gpu.example.com"},
                  {"pool", {{"name", node}, {"generation", 1}, {"resourceSliceCount", 1}}},
                  {"nodeName", node},
                  {"devices", devices}}}});
  }
  env.Create(kResourceClaimTemplates, "default",
             {{"apiVersion", "resource.k8s.io/v1"},
              {"kind", "ResourceClaimTemplate"},
              {"metadata", {{"name", "gpu"}}},
              {"spec",
               {{"spec",
                 {{"devices",
                   {{"requests", Json::array({{{"name", "gpu"},
                                               {"exactly", {{"deviceClassName", "gpu.example.com"}}}}})}}}}}}}});

  ResourceClaimController claims(env.client());
  DeviceTaintEvictionController taints(env.client());
  JobController jobs(env.client());
  claims.Start();
  taints.Start();
  jobs.Start();
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = ProcessCpuSeconds();
  for (int i = 0; i < kPodCount; ++i) {
    env.Create(kPods, "default",
               testing::ControllerTestEnv::Pod(
                   "pod-" + std::to_string(i),
                   {{"resourceClaims", Json::array({{{"name", "gpu"}, {"resourceClaimTemplateName", "gpu"}}})}}));
  }
  const double create_s = Since(t0);
  const std::string prefix = "/registry/resource.k8s.io/resourceclaims/";
  while (env.registry()->store()->Count(prefix) < kPodCount && Since(t0) < 600) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const double all_s = Since(t0);
  const double cpu_s = ProcessCpuSeconds() - cpu0;
  EXPECT_EQ(env.registry()->store()->Count(prefix), kPodCount);
  claims.Stop();
  taints.Stop();
  jobs.Stop();
  std::printf("[scale] %d pods created in %.2fs; all %d claims after %.2fs (%.0f pods/s); process CPU %.2fs\n",
              kPodCount, create_s, kPodCount, all_s, kPodCount / all_s, cpu_s);

  // One pass after one pod changed, per controller (caches refreshed first, not timed).
  CacheController* controllers[] = {&claims, &taints, &jobs};
  const char* names[] = {"resourceclaim", "device-taint-eviction", "job"};
  for (CacheController* c : controllers) {
    ASSERT_TRUE(c->RefreshCaches().ok());
    c->Sync();
  }
  env.MergeStatus(kPods, "default", "pod-17", {{"phase", "Pending"}, {"message", "touched"}});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(controllers[i]->RefreshCaches().ok());
    const double c0 = ThreadCpuSeconds();
    controllers[i]->Sync();
    std::printf("[scale] %s: one pass after one pod changed: %.2f ms CPU\n", names[i],
                (ThreadCpuSeconds() - c0) * 1e3);
  }
  const double g0 = ThreadCpuSeconds();
  CollectGarbage(*env.registry());
  std::printf("[scale] garbage collector: one full pass: %.2f ms CPU\n", (ThreadCpuSeconds() - g0) * 1e3);
}

}  // namespace
}  // namespace haru::controllers
