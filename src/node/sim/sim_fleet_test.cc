#include "node/sim/sim_fleet.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <thread>

#include "client/client.h"
#include "client/test/test_registry.h"
#include "node/gpu/resource_slices.h"

namespace haru::node::sim {
namespace {

using namespace std::chrono_literals;

const client::Resource kNodes{"", "v1", "nodes"};
const client::Resource kPods{"", "v1", "pods"};
const client::Resource kLeases{"coordination.k8s.io", "v1", "leases"};
const client::Resource kSlices{"resource.k8s.io", "v1", "resourceslices"};
const client::Resource kClaims{"resource.k8s.io", "v1", "resourceclaims"};

bool Eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

class SimFleetTest : public ::testing::Test {
 protected:
  SimFleetTest()
      : registry_(client::test::NewTestRegistry()),
        client_(client::NewInProcessClient(registry_->registry(), "haru-sim")) {
    options_.nodes = 3;
    options_.gpus_per_node = 2;
    options_.pod_run_time = 300ms;
    options_.lease_renew_interval = 50ms;
    options_.node_status_interval = 100ms;
    options_.retry_initial = 10ms;
    options_.retry_max = 100ms;
    options_.worker_threads = 2;
  }

  std::unique_ptr<SimFleet> Start() {
    auto fleet = StartSimFleet(client_.get(), options_);
    EXPECT_TRUE(fleet.ok()) << fleet.status().ToString();
    if (!fleet.ok()) return nullptr;
    EXPECT_TRUE((*fleet)->WaitForPodSync(5s));
    return std::move(fleet).value();
  }

  std::vector<Json> List(const client::Resource& r, const std::string& ns = "",
                         const std::string& fields = "") {
    client::ListOptions o;
    o.field_selector = fields;
    auto list = client_->List(r, ns, o);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? list->items : std::vector<Json>{};
  }

  Json Pod(const std::string& name, const std::string& node) {
    Json pod = client::test::Pod(name);
    if (!node.empty()) pod["spec"]["nodeName"] = node;
    return pod;
  }

  std::string Phase(const std::string& name) {
    auto pod = client_->Get(kPods, "default", name);
    if (!pod.ok()) return pod.status().code() == StatusCode::kNotFound ? "<gone>" : "<error>";
    return (*pod)["status"].value("phase", "");
  }

  std::unique_ptr<client::test::TestRegistry> registry_;
  std::unique_ptr<client::Client> client_;
  SimOptions options_;
};

std::string ConditionStatus(const Json& obj, const std::string& type) {
  for (const Json& c : obj["status"].value("conditions", Json::array())) {
    if (c.value("type", "") == type) return c.value("status", "");
  }
  return "";
}

TEST_F(SimFleetTest, RegistersReadyNodesWithCapacityAndLabels) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  EXPECT_EQ(fleet->NodeNames(), (std::vector<std::string>{"sim-0", "sim-1", "sim-2"}));
  std::vector<Json> nodes = List(kNodes);
  ASSERT_EQ(nodes.size(), 3u);
  for (const Json& n : nodes) {
    std::string name = n["metadata"]["name"];
    EXPECT_EQ(ConditionStatus(n, "Ready"), "True") << name;
    EXPECT_EQ(n["metadata"]["labels"]["kubernetes.io/hostname"], name);
    EXPECT_EQ(n["metadata"]["labels"]["gpu.haru.dev/model"], "a100-80gb");
    EXPECT_EQ(n["metadata"]["labels"]["node.kubernetes.io/instance-type"], "sim-2x-a100-80gb");
    EXPECT_EQ(n["status"]["capacity"]["cpu"], "32");
    EXPECT_EQ(n["status"]["allocatable"]["pods"], "110");
    EXPECT_EQ(n["status"]["nodeInfo"]["kubeletVersion"], "v1.36.3");
    EXPECT_EQ(n["status"]["addresses"][0]["type"], "InternalIP");
  }
  EXPECT_EQ(nodes[1]["status"]["addresses"][0]["address"], "172.16.0.2");
}

TEST_F(SimFleetTest, KeepsLeasesAndHeartbeatsFresh) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  std::vector<Json> leases = List(kLeases, "kube-node-lease");
  ASSERT_EQ(leases.size(), 3u);
  EXPECT_EQ(leases[0]["spec"]["holderIdentity"], "sim-0");
  EXPECT_EQ(leases[0]["spec"]["leaseDurationSeconds"], 40);
  EXPECT_EQ(leases[0]["metadata"]["ownerReferences"][0]["kind"], "Node");
  std::string first = leases[0]["spec"]["renewTime"];
  EXPECT_TRUE(Eventually([&] {
    auto lease = client_->Get(kLeases, "kube-node-lease", "sim-0");
    return lease.ok() && (*lease)["spec"]["renewTime"] != first;
  }));
  EXPECT_TRUE(
      Eventually([&] { return fleet->Stats().heartbeats >= 6 && fleet->Stats().lease_renewals >= 6; }));
  EXPECT_EQ(fleet->Stats().errors, 0);
}

TEST_F(SimFleetTest, PublishesOnePoolPerNode) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  std::vector<Json> slices = List(kSlices, "", "spec.nodeName=sim-2");
  ASSERT_EQ(slices.size(), 2u);  // counters + one device slice (2 GPUs × 19 devices)
  for (const Json& s : slices) {
    EXPECT_EQ(s["spec"]["driver"], "gpu.haru.dev");
    EXPECT_EQ(s["spec"]["pool"]["name"], "sim-2");
    EXPECT_EQ(s["spec"]["pool"]["generation"], 1);
    EXPECT_EQ(s["spec"]["pool"]["resourceSliceCount"], 2);
  }
  EXPECT_EQ(List(kSlices).size(), 6u);
  EXPECT_EQ(fleet->Stats().slices_written, 6);
}

TEST_F(SimFleetTest, RestartWritesNoUnchangedSliceAndRepublishesChanges) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  fleet->Stop();
  // A stale slice of ours for sim-0 is removed on the next start.
  Json stale = gpu::BuildResourceSlices("sim-0", *gpu::FindGpuModel("a100-80gb"), 1, 1)[1];
  stale["metadata"]["name"] = "sim-0-gpu.haru.dev-9";
  ASSERT_TRUE(client_->Create(kSlices, "", stale).ok());

  auto again = Start();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->Stats().slices_written, 1);  // only the delete
  EXPECT_EQ(List(kSlices).size(), 6u);
  EXPECT_EQ(List(kNodes).size(), 3u);
  again->Stop();

  options_.gpus_per_node = 4;  // 4 GPUs: counters + 2 device slices, a new generation
  auto bigger = Start();
  ASSERT_TRUE(bigger);
  std::vector<Json> slices = List(kSlices, "", "spec.nodeName=sim-0");
  ASSERT_EQ(slices.size(), 3u);
  for (const Json& s : slices) {
    EXPECT_EQ(s["spec"]["pool"]["generation"], 2);
    EXPECT_EQ(s["spec"]["pool"]["resourceSliceCount"], 3);
  }
}

TEST_F(SimFleetTest, BadOptionsAreErrors) {
  options_.gpu_model = "v100";
  auto fleet = StartSimFleet(client_.get(), options_);
  ASSERT_FALSE(fleet.ok());
  EXPECT_NE(fleet.status().message().find("unknown GPU model \"v100\""), std::string::npos);
  options_.gpu_model = "h100-80gb";
  options_.name_prefix = "Sim_";
  EXPECT_FALSE(StartSimFleet(client_.get(), options_).ok());
  EXPECT_TRUE(List(kNodes).empty());
}

TEST_F(SimFleetTest, BoundPodRunsWithAddresses) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("web", "sim-1")).ok());
  ASSERT_TRUE(Eventually([&] { return Phase("web") == "Running"; })) << Phase("web");
  Json pod = *client_->Get(kPods, "default", "web");
  EXPECT_EQ(pod["status"]["hostIP"], "172.16.0.2");
  EXPECT_EQ(pod["status"]["podIP"].get<std::string>().rfind("10.64.1.", 0), 0u);
  EXPECT_FALSE(pod["status"].value("startTime", "").empty());
  EXPECT_EQ(ConditionStatus(pod, "Ready"), "True");
  EXPECT_EQ(ConditionStatus(pod, "ContainersReady"), "True");
  EXPECT_EQ(ConditionStatus(pod, "PodScheduled"), "True");
  const Json& cs = pod["status"]["containerStatuses"][0];
  EXPECT_TRUE(cs["ready"].get<bool>());
  EXPECT_TRUE(cs["started"].get<bool>());
  EXPECT_TRUE(cs["state"].contains("running"));
  EXPECT_EQ(cs["containerID"].get<std::string>().rfind("containerd://", 0), 0u);
  // Restart policy Always: it keeps running past the run time.
  std::this_thread::sleep_for(options_.pod_run_time + 200ms);
  EXPECT_EQ(Phase("web"), "Running");
  // Pods on other nodes are not ours.
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("elsewhere", "real-node")).ok());
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(Phase("elsewhere"), "Pending");
}

TEST_F(SimFleetTest, PodBoundThroughBindingRuns) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("p", "")).ok());
  Json binding = {{"apiVersion", "v1"},
                  {"kind", "Binding"},
                  {"metadata", {{"name", "p"}}},
                  {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", "sim-2"}}}};
  auto bound = client_->CreateSubresource(kPods, "default", "p", "binding", binding);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_TRUE(Eventually([&] { return Phase("p") == "Running"; })) << Phase("p");
}

TEST_F(SimFleetTest, JobPodSucceedsAfterTheRunTime) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  Json pod = Pod("job-abc", "sim-0");
  pod["metadata"]["ownerReferences"] = Json::array({Json{{"apiVersion", "batch/v1"},
                                                         {"kind", "Job"},
                                                         {"name", "job"},
                                                         {"uid", "3f1c2b9e-0000-4000-8000-000000000001"},
                                                         {"controller", true}}});
  ASSERT_TRUE(client_->Create(kPods, "default", pod).ok());
  ASSERT_TRUE(Eventually([&] { return Phase("job-abc") == "Running"; })) << Phase("job-abc");
  auto running_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(Eventually([&] { return Phase("job-abc") == "Succeeded"; })) << Phase("job-abc");
  EXPECT_GE(std::chrono::steady_clock::now() - running_at, options_.pod_run_time - 50ms);
  Json done = *client_->Get(kPods, "default", "job-abc");
  const Json& term = done["status"]["containerStatuses"][0]["state"]["terminated"];
  EXPECT_EQ(term["exitCode"], 0);
  EXPECT_EQ(term["reason"], "Completed");
  EXPECT_EQ(ConditionStatus(done, "Ready"), "False");
  EXPECT_TRUE(Eventually([&] { return fleet->Stats().pods_succeeded == 1; }));

  // restartPolicy Never without an owner completes too.
  Json never = Pod("once", "sim-0");
  never["spec"]["restartPolicy"] = "Never";
  ASSERT_TRUE(client_->Create(kPods, "default", never).ok());
  EXPECT_TRUE(Eventually([&] { return Phase("once") == "Succeeded"; })) << Phase("once");
}

TEST_F(SimFleetTest, DeletedPodIsStoppedAndRemoved) {
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(client_->Create(kPods, "default", Pod("web", "sim-0")).ok());
  ASSERT_TRUE(Eventually([&] { return Phase("web") == "Running"; }));
  // A bound pod's delete is graceful: it waits for the node, which removes it.
  ASSERT_TRUE(client_->Delete(kPods, "default", "web").ok());
  EXPECT_TRUE(Eventually([&] { return Phase("web") == "<gone>"; })) << Phase("web");
  EXPECT_TRUE(Eventually([&] { return fleet->Stats().pods_deleted == 1; }));
}

TEST_F(SimFleetTest, PodWaitsForItsClaimToBeAllocatedAndReserved) {
  options_.claim_device_status = true;
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  Json pod = Pod("gpu-pod", "sim-0");
  pod["spec"]["resourceClaims"] = Json::array({Json{{"name", "gpu"}, {"resourceClaimName", "c1"}}});
  pod["spec"]["containers"][0]["resources"] = {{"claims", Json::array({Json{{"name", "gpu"}}})}};
  auto created = client_->Create(kPods, "default", pod);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string pod_uid = (*created)["metadata"]["uid"];
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(Phase("gpu-pod"), "Pending");  // no claim yet

  Json claim = {
      {"apiVersion", "resource.k8s.io/v1"},
      {"kind", "ResourceClaim"},
      {"metadata", {{"name", "c1"}, {"namespace", "default"}}},
      {"spec",
       {{"devices",
         {{"requests",
           Json::array({Json{{"name", "mig"}, {"exactly", {{"deviceClassName", "mig.haru.dev"}}}}})}}}}}};
  auto made = client_->Create(kClaims, "default", claim);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(Phase("gpu-pod"), "Pending");  // not allocated yet

  Json allocated = *made;
  allocated["status"]["allocation"] = {
      {"devices",
       {{"results", Json::array({Json{{"request", "mig"},
                                      {"driver", "gpu.haru.dev"},
                                      {"pool", "sim-0"},
                                      {"device", "gpu-0-mig-1g10gb-19-0"}}})}}},
      {"nodeSelector",
       {{"nodeSelectorTerms",
         Json::array({Json{{"matchFields", Json::array({Json{{"key", "metadata.name"},
                                                             {"operator", "In"},
                                                             {"values", Json::array({"sim-0"})}}})}}})}}}};
  allocated["status"]["reservedFor"] =
      Json::array({Json{{"resource", "pods"}, {"name", "gpu-pod"}, {"uid", pod_uid}}});
  auto updated = client_->Update(kClaims, "default", allocated, "status");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  ASSERT_TRUE(Eventually([&] { return Phase("gpu-pod") == "Running"; })) << Phase("gpu-pod");
  Json prepared = *client_->Get(kClaims, "default", "c1");
  ASSERT_EQ(prepared["status"]["devices"].size(), 1u);
  EXPECT_EQ(prepared["status"]["devices"][0]["device"], "gpu-0-mig-1g10gb-19-0");
  EXPECT_EQ(prepared["status"]["devices"][0]["conditions"][0]["type"], "Ready");
  EXPECT_TRUE(Eventually([&] { return fleet->Stats().pods_started == 1; }));
}

// Not a timed assertion: logs what registering a large fleet costs over the in-process client.
TEST_F(SimFleetTest, RegistersAThousandNodesWithEightGpusEach) {
  options_.nodes = 1000;
  options_.gpus_per_node = 8;
  options_.lease_renew_interval = 10s;
  options_.node_status_interval = 50s;
  options_.worker_threads = 4;
  auto start = std::chrono::steady_clock::now();
  auto fleet = Start();
  ASSERT_TRUE(fleet);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ scale    ] registered 1000 nodes x 8 GPUs (4000 ResourceSlices, 152000 devices) in " << ms
            << " ms" << std::endl;
  EXPECT_EQ(fleet->Stats().slices_written, 4000);
  EXPECT_EQ(List(kNodes).size(), 1000u);
}

}  // namespace
}  // namespace haru::node::sim
