// Throughput of the whole scheduler over the in-process client, at the sizes of issue 5's
// performance table: 500 nodes x 8 MIG-partitionable GPUs with 4,000 pods that each use a
// claim made from a template (one 1g partition, or two 1g partitions on the same GPU through
// a matchAttribute constraint), and 5,000 plain nodes with 30,000 plain pods.
//
// Disabled by default (they take tens of seconds); run them with
//   scheduler_test --gtest_filter='SchedulerPerf.*' --gtest_also_run_disabled_tests
// Every object is created before the scheduler starts, so the time is the scheduler's own:
// from its start (listing included) until every pod is bound through pods/binding and every
// claim's allocation and reservedFor are written. Numbers are logged, never asserted; the
// results are checked (every pod bound, no device handed out twice, constraints kept).

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "api/meta/object.h"
#include "client/test/test_registry.h"
#include "node/gpu/resource_slices.h"
#include "scheduler/scheduler.h"

namespace haru::scheduler {
namespace {

using namespace std::chrono_literals;
using api::GetString;

const client::Resource kPods{"", "v1", "pods"};
const client::Resource kNodes{"", "v1", "nodes"};
const client::Resource kClaims{"resource.k8s.io", "v1", "resourceclaims"};
const client::Resource kSlices{"resource.k8s.io", "v1", "resourceslices"};
const client::Resource kClasses{"resource.k8s.io", "v1", "deviceclasses"};

// The slices haru sim publishes for an A100-80GB node: per GPU a counter set, a full-GPU
// device and one device per MIG (profile, placement), with index, placement and parentUUID.
const node::gpu::GpuModel& A100() { return *node::gpu::FindGpuModel("a100-80gb"); }

Json PerfNode(const std::string& name) {
  Json alloc = {{"cpu", "64"}, {"memory", "256Gi"}, {"pods", "110"}};
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
          {"status", {{"capacity", alloc}, {"allocatable", alloc}}}};
}

Json MigClass() {
  return {{"apiVersion", "resource.k8s.io/v1"},
          {"kind", "DeviceClass"},
          {"metadata", {{"name", "mig.gpu.haru.dev"}}},
          {"spec",
           {{"selectors", Json::array({{{"cel", {{"expression", "device.driver == \"gpu.haru.dev\" && "
                                                                "device.attributes[\"gpu.haru.dev\"].type == \"mig\""}}}}})}}}};
}

// The template's claim spec: `count` 1g.10gb partitions; with two or more, all on one GPU.
Json TemplateSpec(int count) {
  Json spec = {{"devices",
                {{"requests",
                  Json::array({{{"name", "mig"},
                                {"exactly",
                                 {{"deviceClassName", "mig.gpu.haru.dev"},
                                  {"count", count},
                                  {"selectors",
                                   Json::array({{{"cel",
                                                  {{"expression",
                                                    "device.attributes[\"gpu.haru.dev\"].profile == \"1g.10gb\""}}}}})}}}}})}}}};
  if (count > 1) {
    spec["devices"]["constraints"] =
        Json::array({{{"requests", Json::array({"mig"})}, {"matchAttribute", "gpu.haru.dev/parentUUID"}}});
  }
  return spec;
}

class SchedulerPerf : public ::testing::Test {
 protected:
  SchedulerPerf() : env_(client::test::NewTestRegistry(200000)) {
    client_ = client::NewInProcessClient(env_->registry(), "system:kube-scheduler");
  }
  ~SchedulerPerf() override {
    if (scheduler_) scheduler_->Stop();
  }

  void Create(const client::Resource& r, const Json& obj, const std::string& ns, Json* out = nullptr) {
    auto c = client_->Create(r, ns, obj);
    ASSERT_TRUE(c.ok()) << c.status().message();
    if (out) *out = std::move(*c);
  }

  // What the resourceclaim controller does for a pod whose claim comes from a template: the
  // pod, its claim (owned by the pod, with the template's spec) and the pod's
  // status.resourceClaimStatuses entry.
  void CreateTemplatedPod(const std::string& name, const Json& spec) {
    Json pod = {{"apiVersion", "v1"},
                {"kind", "Pod"},
                {"metadata", {{"name", name}}},
                {"spec",
                 {{"containers", Json::array({{{"name", "c"},
                                               {"image", "busybox"},
                                               {"resources", {{"claims", Json::array({{{"name", "gpu"}}})}}}}})},
                  {"resourceClaims", Json::array({{{"name", "gpu"}, {"resourceClaimTemplateName", "mig-1g"}}})}}}};
    Json created;
    Create(kPods, pod, "default", &created);
    std::string claim_name = name + "-gpu";
    Json claim = {{"apiVersion", "resource.k8s.io/v1"},
                  {"kind", "ResourceClaim"},
                  {"metadata",
                   {{"name", claim_name},
                    {"annotations", {{"resource.kubernetes.io/pod-claim-name", "gpu"}}},
                    {"ownerReferences", Json::array({{{"apiVersion", "v1"},
                                                      {"kind", "Pod"},
                                                      {"name", name},
                                                      {"uid", created["metadata"]["uid"]},
                                                      {"controller", true},
                                                      {"blockOwnerDeletion", true}}})}}},
                  {"spec", spec}};
    Create(kClaims, claim, "default");
    created["status"]["resourceClaimStatuses"] = Json::array({{{"name", "gpu"}, {"resourceClaimName", claim_name}}});
    auto u = client_->Update(kPods, "default", created, "status");
    ASSERT_TRUE(u.ok()) << u.status().message();
  }

  // Starts the scheduler (bind workers and filter threads as in haru server) and returns the
  // seconds until `pods` pods are bound.
  double ScheduleAll(int pods) {
    SchedulerOptions o;
    auto start = std::chrono::steady_clock::now();
    scheduler_ = StartScheduler(client_.get(), o);
    auto end = start + 600s;
    double first = -1;
    while (scheduler_->stats().bound < pods && std::chrono::steady_clock::now() < end) {
      if (first < 0 && scheduler_->stats().bound > 0) {
        first = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
      std::this_thread::sleep_for(1ms);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    Scheduler::Stats st = scheduler_->stats();
    std::cout << "[perf]   scheduler: bound " << st.bound << ", unschedulable attempts " << st.unschedulable
              << ", errors " << st.errors << "; first pod bound " << first << " s after the start (lists), the rest at "
              << (pods - 1) / (secs - first) << " pods/s\n";
    return secs;
  }

  void RunClaims(int nodes, int gpus, int pods, int per_pod) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < nodes; ++i) {
      std::string n = "g" + std::to_string(i);
      Create(kNodes, PerfNode(n), "");
      for (const Json& s : node::gpu::BuildResourceSlices(n, A100(), gpus, 1)) Create(kSlices, s, "");
    }
    Create(kClasses, MigClass(), "");
    Json spec = TemplateSpec(per_pod);
    for (int i = 0; i < pods; ++i) CreateTemplatedPod("p" + std::to_string(i), spec);
    double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double secs = ScheduleAll(pods);
    std::cout << "[perf] " << nodes << " nodes x " << gpus << " GPUs (19 devices each), " << pods << " pods, a claim of "
              << per_pod << " x 1g.10gb" << (per_pod > 1 ? " with matchAttribute parentUUID" : "")
              << " from a template each: set up in " << setup << " s, all bound " << secs << " s after the start = "
              << pods / secs << " pods/s\n";
    ASSERT_EQ(scheduler_->stats().bound, pods);
    // Every pod's claim is allocated and reserved for it, with distinct devices on its node.
    ASSERT_TRUE(WaitForClaims(pods));
    auto claims = client_->List(kClaims, "default", {});
    ASSERT_TRUE(claims.ok());
    std::set<std::string> devices;
    for (const Json& c : claims->items) {
      const Json& results = c["status"]["allocation"]["devices"]["results"];
      ASSERT_EQ(results.size(), static_cast<size_t>(per_pod)) << c.dump();
      std::set<std::string> gpus_used;
      for (const Json& r : results) {
        EXPECT_TRUE(devices.insert(r["pool"].get<std::string>() + "/" + r["device"].get<std::string>()).second);
        std::string dev = r["device"].get<std::string>();
        gpus_used.insert(dev.substr(0, dev.find("-mig-")));
      }
      EXPECT_EQ(gpus_used.size(), 1u) << c.dump();
    }
  }

  bool WaitForClaims(int pods) {
    auto end = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < end) {
      auto claims = client_->List(kClaims, "default", {});
      int n = 0;
      if (claims.ok()) {
        for (const Json& c : claims->items) n += api::FindPath(c, {"status", "reservedFor"}) != nullptr;
      }
      if (n == pods) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::unique_ptr<client::test::TestRegistry> env_;
  std::unique_ptr<client::Client> client_;
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(SchedulerPerf, DISABLED_TemplateClaimOneMigPartition) { RunClaims(500, 8, 4000, 1); }

TEST_F(SchedulerPerf, DISABLED_TemplateClaimTwoPartitionsOnOneGpu) { RunClaims(500, 8, 4000, 2); }

TEST_F(SchedulerPerf, DISABLED_PlainPods) {
  const int kNodesN = 5000, kPodsN = 30000;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kNodesN; ++i) Create(kNodes, PerfNode("n" + std::to_string(i)), "");
  for (int i = 0; i < kPodsN; ++i) {
    Json c = {{"name", "c"},
              {"image", "busybox"},
              {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "64Mi"}}}}}};
    Create(kPods, {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "p" + std::to_string(i)}}},
                   {"spec", {{"containers", Json::array({c})}}}},
           "default");
  }
  double setup = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double secs = ScheduleAll(kPodsN);
  std::cout << "[perf] " << kNodesN << " nodes, " << kPodsN << " plain pods: set up in " << setup
            << " s, all bound " << secs << " s after the start = " << kPodsN / secs << " pods/s\n";
  ASSERT_EQ(scheduler_->stats().bound, kPodsN);
}

}  // namespace
}  // namespace haru::scheduler
