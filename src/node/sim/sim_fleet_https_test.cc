// The fleet over HTTPS, the way `haru sim` runs it: a real HttpsServer + API handler in this
// process (memory store) and the kubeconfig the server command writes.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "client/client.h"
#include "client/test/test_https_server.h"
#include "node/sim/sim_fleet.h"

namespace haru::node::sim {
namespace {

using namespace std::chrono_literals;

const client::Resource kNodes{"", "v1", "nodes"};
const client::Resource kPods{"", "v1", "pods"};
const client::Resource kSlices{"resource.k8s.io", "v1", "resourceslices"};

class SimFleetHttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start(4, "t,u,uid-1,\"system:masters\"\n");
    ASSERT_TRUE(started.ok()) << started.ToString();
    auto c = client::NewHttpsClient(server_.kubeconfig());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    client_ = std::move(c).value();
  }

  void TearDown() override { client_.reset(); }

  client::test::TestHttpsServer server_;
  std::unique_ptr<client::Client> client_;
};

TEST_F(SimFleetHttpsTest, NodesJoinAndRunAJobPodOverHttps) {
  SimOptions options;
  options.nodes = 200;
  options.gpus_per_node = 8;
  options.gpu_model = "h100-80gb";
  options.pod_run_time = 200ms;
  options.retry_initial = 10ms;
  options.worker_threads = 4;
  auto start = std::chrono::steady_clock::now();
  auto fleet = StartSimFleet(client_.get(), options);
  ASSERT_TRUE(fleet.ok()) << fleet.status().ToString();
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ scale    ] over HTTPS: registered 200 nodes x 8 GPUs (800 ResourceSlices) in " << ms
            << " ms" << std::endl;
  ASSERT_TRUE((*fleet)->WaitForPodSync(5s));
  auto nodes = client_->List(kNodes, "", {});
  ASSERT_TRUE(nodes.ok());
  EXPECT_EQ(nodes->items.size(), 200u);
  auto slices = client_->List(kSlices, "", {});
  ASSERT_TRUE(slices.ok());
  EXPECT_EQ(slices->items.size(), 800u);

  Json pod = client::test::Pod("job-1");
  pod["spec"]["nodeName"] = "sim-150";
  pod["spec"]["restartPolicy"] = "OnFailure";
  ASSERT_TRUE(client_->Create(kPods, "default", pod).ok());
  std::string phase;
  for (int i = 0; i < 500 && phase != "Succeeded"; ++i) {
    std::this_thread::sleep_for(20ms);
    auto got = client_->Get(kPods, "default", "job-1");
    if (got.ok()) phase = (*got)["status"].value("phase", "");
  }
  EXPECT_EQ(phase, "Succeeded");
  (*fleet)->Stop();
  EXPECT_EQ((*fleet)->Stats().errors, 0);
}

}  // namespace
}  // namespace haru::node::sim
