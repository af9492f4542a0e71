// Throughput of pod creates and binds through both clients: a measurement to run by hand,
// never a timed assertion (disabled by default):
//   build/src/client_test --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
#include <stdlib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "apiserver/api_server.h"
#include "apiserver/filters/authentication.h"
#include "apiserver/server/health.h"
#include "apiserver/server/https_server.h"
#include "auth/pki.h"
#include "client/client.h"
#include "client/test/test_registry.h"
#include "storage/sqlite/sqlite_store.h"

namespace haru::client {
namespace {

const Resource kPods{"", "v1", "pods"};
constexpr int kThreads = 16;
constexpr int kPods_ = 4000;

std::string TempDir() {
  std::string tmpl = ::testing::TempDir() + "haru_client_tp_XXXXXX";
  EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

std::unique_ptr<test::TestRegistry> Registry(bool sqlite, const std::string& dir) {
  if (!sqlite) return test::NewTestRegistry();
  storage::SqliteOptions o;
  o.path = dir + "/db.sqlite";
  auto backend = storage::OpenSqliteStore(o);
  if (!backend.ok()) return nullptr;
  auto cache = storage::NewWatchCache(std::move(backend).value(), &registry::IndexStoredObject);
  if (!cache.ok()) return nullptr;
  return std::make_unique<test::TestRegistry>(std::move(cache).value());
}

// Runs fn(i) for i in [0, n) on kThreads threads; returns operations per second.
template <typename Fn>
double Rate(int n, Fn fn) {
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i; (i = next.fetch_add(1)) < n;) {
        if (!fn(i)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(failures.load(), 0);
  return n / seconds;
}

void Measure(const char* label, Client& client) {
  double creates = Rate(kPods_, [&](int i) {
    return client.Create(kPods, "default", test::Pod("p" + std::to_string(i))).ok();
  });
  double binds = Rate(kPods_, [&](int i) {
    Json binding = {{"target", {{"name", "node-" + std::to_string(i % 100)}}}};
    return client.CreateSubresource(kPods, "default", "p" + std::to_string(i), "binding", binding).ok();
  });
  double patches = Rate(kPods_, [&](int i) {
    return client.Patch(kPods, "default", "p" + std::to_string(i), PatchType::kStrategicMerge,
                        R"({"status":{"phase":"Running"}})", "status")
        .ok();
  });
  std::printf("%-28s %d pods, %d threads: create %.0f/s, bind %.0f/s, status patch %.0f/s\n", label,
              kPods_, kThreads, creates, binds, patches);
}

void InProcess(bool sqlite) {
  std::string dir = TempDir();
  auto env = Registry(sqlite, dir);
  ASSERT_NE(env, nullptr);
  auto client = NewInProcessClient(env->registry(), "haru-bench");
  Measure(sqlite ? "in-process (sqlite)" : "in-process (memory)", *client);
  env.reset();
  std::filesystem::remove_all(dir);
}

void OverHttps(bool sqlite) {
  std::string dir = TempDir();
  auto env = Registry(sqlite, dir);
  ASSERT_NE(env, nullptr);
  auto pki = auth::EnsurePki(dir, {});
  ASSERT_TRUE(pki.ok());
  filters::Authenticator authenticator;
  server::HealthChecks health;
  server::HttpsServerOptions opt;
  opt.listen = "127.0.0.1:0";
  opt.cert_file = pki->serving_cert;
  opt.key_file = pki->serving_key;
  opt.client_ca_file = pki->ca_cert;
  auto server = server::StartHttpsServer(
      opt, apiserver::BuildApiHandler({env->registry(), &authenticator, &health}));
  ASSERT_TRUE(server.ok());
  std::string kubeconfig = dir + "/admin.kubeconfig";
  ASSERT_TRUE(auth::WriteKubeconfig(kubeconfig, "https://127.0.0.1:" + std::to_string((*server)->port()), *pki).ok());
  auto client = NewHttpsClient(kubeconfig);
  ASSERT_TRUE(client.ok());
  Measure(sqlite ? "https (sqlite)" : "https (memory)", **client);
  client->reset();
  (*server)->Stop();
  (*server)->Wait();
  env.reset();
  std::filesystem::remove_all(dir);
}

// Watch fan-out: kWatchers in-process watches of pods (as the scheduler and the controllers
// keep) while pods are created and their status patched; reports how long until every
// watcher has seen every event.
void WatchFanout(int watchers, bool shared = false) {
  auto env = test::NewTestRegistry();
  auto client = NewInProcessClient(env->registry(), "haru-bench");
  const int64_t expected = 2 * int64_t{kPods_};
  std::vector<std::unique_ptr<std::atomic<int64_t>>> seen;
  std::vector<std::unique_ptr<std::atomic<int64_t>>> cpu_ns;  // each watch thread's CPU time
  std::vector<std::unique_ptr<WatchHandle>> handles;
  for (int w = 0; w < watchers; ++w) {
    seen.push_back(std::make_unique<std::atomic<int64_t>>(0));
    std::atomic<int64_t>* counter = seen.back().get();
    ListOptions options;
    options.shared_objects_only = shared;
    cpu_ns.push_back(std::make_unique<std::atomic<int64_t>>(0));
    std::atomic<int64_t>* cpu = cpu_ns.back().get();
    auto h = client->Watch(kPods, "", options, [counter, cpu](const WatchEvent& e) {
      if (e.type != WatchEventType::kBookmark && e.Object().is_object()) ++*counter;
      timespec ts;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      cpu->store(int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec);
      return true;
    });
    ASSERT_TRUE(h.ok());
    handles.push_back(std::move(h).value());
  }
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  Rate(kPods_, [&](int i) { return client->Create(kPods, "default", test::Pod("p" + std::to_string(i))).ok(); });
  Rate(kPods_, [&](int i) {
    return client->Patch(kPods, "default", "p" + std::to_string(i), PatchType::kStrategicMerge,
                         R"({"status":{"phase":"Running"}})", "status").ok();
  });
  for (auto& c : seen) {
    while (c->load() < expected) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  double watch_cpu = 0;
  for (auto& c : cpu_ns) watch_cpu += c->load() / 1e9;
  std::printf("in-process watch fan-out%s %d watchers, %lld events each: %.2f s, %.2f s CPU, of it %.3f s in watch threads\n",
              shared ? " (shared)" : "         ", watchers, static_cast<long long>(expected), seconds, cpu, watch_cpu);
}

TEST(ClientThroughput, DISABLED_InProcessWatchFanout1) { WatchFanout(1); }
TEST(ClientThroughput, DISABLED_InProcessWatchFanout6) { WatchFanout(6); }
TEST(ClientThroughput, DISABLED_InProcessWatchFanout6Shared) { WatchFanout(6, true); }

TEST(ClientThroughput, DISABLED_InProcessMemory) { InProcess(false); }
TEST(ClientThroughput, DISABLED_InProcessSqlite) { InProcess(true); }
TEST(ClientThroughput, DISABLED_HttpsMemory) { OverHttps(false); }
TEST(ClientThroughput, DISABLED_HttpsSqlite) { OverHttps(true); }

}  // namespace
}  // namespace haru::client
