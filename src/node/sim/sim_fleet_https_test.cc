// The fleet over HTTPS, the way `haru sim` runs it: a real HttpsServer + API handler in this
// process (memory store) and the kubeconfig the server command writes.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "apiserver/api_server.h"
#include "apiserver/filters/authentication.h"
#include "apiserver/server/health.h"
#include "apiserver/server/https_server.h"
#include "auth/pki.h"
#include "client/client.h"
#include "client/test/test_registry.h"
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
    std::string tmpl = ::testing::TempDir() + "haru_sim_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    env_ = client::test::NewTestRegistry();
    auto pki = auth::EnsurePki(dir_, {});
    ASSERT_TRUE(pki.ok()) << pki.status().ToString();
    auto token_file = auth::TokenFile::Parse("t,u,uid-1,\"system:masters\"\n", "test");
    ASSERT_TRUE(token_file.ok());
    authenticator_ = std::make_unique<filters::Authenticator>(std::move(token_file).value());
    server::HttpsServerOptions opt;
    opt.listen = "127.0.0.1:0";
    opt.cert_file = pki->serving_cert;
    opt.key_file = pki->serving_key;
    opt.client_ca_file = pki->ca_cert;
    opt.worker_threads = 4;
    auto server = server::StartHttpsServer(
        opt, apiserver::BuildApiHandler({env_->registry(), authenticator_.get(), &health_}));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    std::string kubeconfig = dir_ + "/admin.kubeconfig";
    ASSERT_TRUE(
        auth::WriteKubeconfig(kubeconfig, "https://127.0.0.1:" + std::to_string(server_->port()), *pki).ok());
    auto c = client::NewHttpsClient(kubeconfig);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    client_ = std::move(c).value();
  }

  void TearDown() override {
    client_.reset();
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string dir_;
  std::unique_ptr<client::test::TestRegistry> env_;
  std::unique_ptr<filters::Authenticator> authenticator_;
  server::HealthChecks health_;
  std::unique_ptr<server::HttpsServer> server_;
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
