// The HTTPS client against a real HttpsServer + API handler in this process (memory store),
// with the cluster PKI and kubeconfig the server command writes.
#include <stdlib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "auth/pki.h"
#include "client/client.h"
#include "client/https/kubeconfig.h"
#include "client/https/rest.h"
#include "client/informer.h"
#include "client/test/test_https_server.h"
#include "client/test/test_registry.h"

namespace haru::client {
namespace {

using namespace std::chrono_literals;

const Resource kConfigMaps{"", "v1", "configmaps"};
const Resource kPods{"", "v1", "pods"};
const Resource kNodes{"", "v1", "nodes"};

class HttpsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status started = server_.Start(16, "secret-token,token-user,uid-1,\"system:masters\"\n", /*event_window=*/100);
    ASSERT_TRUE(started.ok()) << started.ToString();
    dir_ = server_.dir();
    url_ = server_.url();
    kubeconfig_ = server_.kubeconfig();
    pki_ = server_.pki();
    auto client = NewHttpsClient(kubeconfig_);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();
  }

  void TearDown() override { client_.reset(); }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  test::TestHttpsServer server_;
  std::string dir_, url_, kubeconfig_;
  auth::PkiFiles pki_;
  std::unique_ptr<Client> client_;
};

TEST_F(HttpsClientTest, CrudAndErrorsCarryTheApiStatus) {
  auto created = client_->Create(kConfigMaps, "default", test::ConfigMap("c1", {{"a", "1"}}));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)["metadata"]["namespace"], "default");

  auto dup = client_->Create(kConfigMaps, "default", test::ConfigMap("c1", {}));
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "configmaps \"c1\" already exists");
  ASSERT_NE(dup.status().details(), nullptr);
  EXPECT_EQ(dup.status().details()->name, "c1");

  auto got = client_->Get(kConfigMaps, "default", "c1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["data"]["a"], "1");

  Json v2 = *got;
  v2["data"]["a"] = "2";
  ASSERT_TRUE(client_->Update(kConfigMaps, "default", v2).ok());
  Json stale = *got;
  stale["data"]["a"] = "3";
  auto conflict = client_->Update(kConfigMaps, "default", stale);
  EXPECT_EQ(conflict.status().code(), StatusCode::kConflict);
  EXPECT_NE(conflict.status().message().find("the object has been modified"), std::string::npos);

  auto patched = client_->Patch(kConfigMaps, "default", "c1", PatchType::kMerge,
                                R"({"metadata":{"labels":{"app":"web"}}})");
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["metadata"]["labels"]["app"], "web");
  auto jp = client_->Patch(kConfigMaps, "default", "c1", PatchType::kJson,
                           R"([{"op":"add","path":"/data/b","value":"x"}])");
  ASSERT_TRUE(jp.ok()) << jp.status().ToString();
  EXPECT_EQ((*jp)["data"]["b"], "x");

  ASSERT_TRUE(client_->Create(kConfigMaps, "default", test::ConfigMap("c2", {})).ok());
  ListOptions o;
  o.label_selector = "app=web";
  auto list = client_->List(kConfigMaps, "default", o);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_FALSE(list->resource_version.empty());
  ListOptions page;
  page.limit = 1;
  auto first = client_->List(kConfigMaps, "", page);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items.size(), 1u);
  EXPECT_FALSE(first->continue_token.empty());

  ASSERT_TRUE(client_->Delete(kConfigMaps, "default", "c1").ok());
  auto gone = client_->Get(kConfigMaps, "default", "c1");
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(gone.status().message(), "configmaps \"c1\" not found");
}

TEST_F(HttpsClientTest, InvalidKeepsCausesAndBindingWorks) {
  Json pod = test::Pod("p1");
  pod["spec"]["containers"][0].erase("image");
  auto invalid = client_->Create(kPods, "default", pod);
  ASSERT_EQ(invalid.status().code(), StatusCode::kInvalid);
  ASSERT_NE(invalid.status().details(), nullptr);
  ASSERT_FALSE(invalid.status().details()->causes.empty());
  EXPECT_EQ(invalid.status().details()->causes[0].field, "spec.containers[0].image");
  EXPECT_EQ(invalid.status().details()->causes[0].type, "FieldValueRequired");

  ASSERT_TRUE(client_->Create(kPods, "default", test::Pod("p1")).ok());
  Json binding = {{"apiVersion", "v1"}, {"kind", "Binding"}, {"metadata", {{"name", "p1"}}},
                  {"target", {{"kind", "Node"}, {"name", "node-1"}}}};
  auto bound = client_->CreateSubresource(kPods, "default", "p1", "binding", binding);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_EQ((*client_->Get(kPods, "default", "p1"))["spec"]["nodeName"], "node-1");
  auto again = client_->CreateSubresource(kPods, "default", "p1", "binding", binding);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);

  auto current = client_->Get(kPods, "default", "p1");
  ASSERT_TRUE(current.ok());
  Json status = *current;
  status["status"]["phase"] = "Running";
  auto updated = client_->Update(kPods, "default", status, "status");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)["status"]["phase"], "Running");
  auto sp = client_->Patch(kPods, "default", "p1", PatchType::kStrategicMerge,
                           R"({"status":{"conditions":[{"type":"Ready","status":"True"}]}})", "status");
  ASSERT_TRUE(sp.ok()) << sp.status().ToString();
  EXPECT_EQ((*sp)["status"]["conditions"][0]["type"], "Ready");

  Json node = {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "node-1"}}}};
  ASSERT_TRUE(client_->Create(kNodes, "", node).ok());
  EXPECT_TRUE(client_->Get(kNodes, "", "node-1").ok());
}

TEST_F(HttpsClientTest, WatchStreamsEventsWithSelectors) {
  ASSERT_TRUE(client_->Create(kConfigMaps, "default", test::ConfigMap("before", {})).ok());
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> seen;
  auto record = [&](const WatchEvent& e) {
    std::lock_guard lock(mu);
    const char* t = e.type == WatchEventType::kAdded      ? "ADDED"
                    : e.type == WatchEventType::kModified ? "MODIFIED"
                    : e.type == WatchEventType::kDeleted  ? "DELETED"
                                                          : "BOOKMARK";
    if (e.type != WatchEventType::kBookmark) {
      seen.push_back(std::string(t) + " " + e.object["metadata"].value("name", ""));
    }
    cv.notify_all();
    return true;
  };
  auto wait_for = [&](size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 10s, [&] { return seen.size() >= n; });
  };
  auto watch = client_->Watch(kConfigMaps, "default", {}, record);
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  ASSERT_TRUE(wait_for(1));
  ASSERT_TRUE(client_->Create(kConfigMaps, "default", test::ConfigMap("c1", {})).ok());
  ASSERT_TRUE(client_->Delete(kConfigMaps, "default", "before").ok());
  ASSERT_TRUE(wait_for(3));
  (*watch)->Stop();
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(seen, (std::vector<std::string>{"ADDED before", "ADDED c1", "DELETED before"}));
    seen.clear();
  }

  ListOptions bad;
  bad.field_selector = "spec.unknown=1";
  auto rejected = client_->Watch(kPods, "", bad, record);
  EXPECT_EQ(rejected.status().code(), StatusCode::kBadRequest);

  ListOptions by_node;
  by_node.field_selector = "spec.nodeName=node-9";
  auto pods = client_->Watch(kPods, "", by_node, record);
  ASSERT_TRUE(pods.ok()) << pods.status().ToString();
  ASSERT_TRUE(client_->Create(kPods, "default", test::Pod("p1")).ok());
  ASSERT_TRUE(client_->Create(kPods, "default", test::Pod("p2")).ok());
  ASSERT_TRUE(client_->CreateSubresource(kPods, "default", "p2", "binding",
                                         {{"target", {{"name", "node-9"}}}}).ok());
  ASSERT_TRUE(wait_for(1));
  std::this_thread::sleep_for(50ms);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED p2"}));
}

TEST_F(HttpsClientTest, WatchEndsWhenTheServerStops) {
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  auto watch = client_->Watch(
      kConfigMaps, "default", {}, [](const WatchEvent&) { return true; },
      [&](const Status&) {
        std::lock_guard lock(mu);
        closed = true;
        cv.notify_all();
      });
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  server_.Stop();
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, 10s, [&] { return closed; }));
  lock.unlock();
  // Requests now fail with a Status, no hang.
  auto got = client_->Get(kConfigMaps, "default", "x");
  EXPECT_EQ(got.status().code(), StatusCode::kServiceUnavailable);
}

TEST_F(HttpsClientTest, WatchFromATooOldVersionEndsWithExpired) {
  for (int i = 0; i < 120; ++i) {
    ASSERT_TRUE(client_->Create(kConfigMaps, "default", test::ConfigMap("c" + std::to_string(i), {})).ok());
  }
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Status> closed;
  ListOptions o;
  o.resource_version = "2";
  auto watch = client_->Watch(
      kConfigMaps, "default", o, [](const WatchEvent&) { return true; },
      [&](const Status& s) {
        std::lock_guard lock(mu);
        closed = s;
        cv.notify_all();
      });
  if (!watch.ok()) {
    EXPECT_EQ(watch.status().http_code(), 410);
    return;
  }
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return closed.has_value(); }));
  EXPECT_EQ(closed->http_code(), 410) << closed->ToString();
  EXPECT_EQ(closed->code(), StatusCode::kExpired) << closed->ToString();
}

TEST_F(HttpsClientTest, InformerOverHttps) {
  ASSERT_TRUE(client_->Create(kConfigMaps, "default", test::ConfigMap("c1", {})).ok());
  InformerOptions o;
  o.resource = kConfigMaps;
  Informer informer(client_.get(), o);
  std::atomic<int> adds{0};
  informer.AddHandlers({[&](const ObjectPtr&) { ++adds; }, nullptr, nullptr});
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(10s));
  ASSERT_TRUE(client_->Create(kConfigMaps, "default", test::ConfigMap("c2", {})).ok());
  for (int i = 0; i < 500 && adds < 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(adds.load(), 2);
  EXPECT_NE(informer.Get("default", "c2"), nullptr);
  informer.Stop();
}

TEST_F(HttpsClientTest, ConcurrentRequestsShareThePool) {
  constexpr int kThreads = 8, kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string name = "p-" + std::to_string(t) + "-" + std::to_string(i);
        if (!client_->Create(kPods, "default", test::Pod(name)).ok()) ++failures;
        if (!client_->CreateSubresource(kPods, "default", name, "binding",
                                        {{"target", {{"name", "n"}}}}).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto list = client_->List(kPods, "default", {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->items.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(HttpsClientTest, TokenAndBadCredentials) {
  std::string ca = std::filesystem::path(pki_.ca_cert).filename().string();
  std::string with_token = WriteFile("token.kubeconfig",
                                     "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                                     "    server: " + url_ + "\n    certificate-authority: pki/" + ca +
                                     "\nusers:\n- name: u\n  user:\n    token: secret-token\n"
                                     "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n"
                                     "current-context: x\n");
  auto token_client = NewHttpsClient(with_token);
  ASSERT_TRUE(token_client.ok()) << token_client.status().ToString();
  EXPECT_EQ((*token_client)->Get(kConfigMaps, "default", "x").status().code(), StatusCode::kNotFound);

  std::string bad = WriteFile("bad.kubeconfig",
                              "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                              "    server: " + url_ + "\n    certificate-authority: pki/" + ca +
                              "\nusers:\n- name: u\n  user:\n    token: wrong\n"
                              "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n"
                              "current-context: x\n");
  auto bad_client = NewHttpsClient(bad);
  ASSERT_TRUE(bad_client.ok());
  EXPECT_EQ((*bad_client)->Get(kConfigMaps, "default", "x").status().code(), StatusCode::kUnauthorized);

  // A CA that did not sign the server's certificate: the handshake fails, as a Status.
  auto other = auth::EnsurePki(dir_ + "/other", {});
  ASSERT_TRUE(other.ok());
  std::string untrusted = WriteFile("untrusted.kubeconfig",
                                    "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                                    "    server: " + url_ + "\n    certificate-authority: " +
                                    other->ca_cert + "\nusers:\n- name: u\n  user:\n    token: x\n"
                                    "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n"
                                    "current-context: x\n");
  auto untrusted_client = NewHttpsClient(untrusted);
  ASSERT_TRUE(untrusted_client.ok());
  auto refused = (*untrusted_client)->Get(kConfigMaps, "default", "x");
  EXPECT_EQ(refused.status().code(), StatusCode::kServiceUnavailable);
  EXPECT_NE(refused.status().message().find("TLS handshake"), std::string::npos);
}

TEST(KubeconfigTest, ParsesCurrentContext) {
  auto creds = ParseKubeconfig(
      "apiVersion: v1\nclusters:\n- name: a\n  cluster:\n    server: https://[::1]:6443/prefix/\n"
      "    certificate-authority-data: Q0E=\n- name: b\n  cluster:\n    server: https://b.example\n"
      "users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: one\n  context:\n    cluster: a\n"
      "    user: u\n    namespace: ns1\n- name: two\n  context:\n    cluster: b\n"
      "current-context: one\n",
      "/tmp");
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->host, "::1");
  EXPECT_EQ(creds->port, "6443");
  EXPECT_EQ(creds->path_prefix, "/prefix");
  EXPECT_EQ(creds->ca_pem, "CA");
  EXPECT_EQ(creds->token, "t");
  EXPECT_EQ(creds->ns, "ns1");

  EXPECT_FALSE(ParseKubeconfig("current-context: nope\n", "").ok());
  EXPECT_FALSE(ParseKubeconfig(
                   "clusters:\n- name: a\n  cluster:\n    server: http://x\ncontexts:\n- name: c\n"
                   "  context:\n    cluster: a\ncurrent-context: c\n", "")
                   .ok());
  EXPECT_FALSE(ParseKubeconfig(": : [", "").ok());
}

TEST(RestTest, PathsQueriesAndStatusDecoding) {
  EXPECT_EQ(ResourcePath({"", "v1", "pods"}, "ns1", "p1", "binding"),
            "/api/v1/namespaces/ns1/pods/p1/binding");
  EXPECT_EQ(ResourcePath({"", "v1", "nodes"}, "ignored", "n1"), "/api/v1/nodes/n1");
  EXPECT_EQ(ResourcePath({"resource.k8s.io", "v1", "resourceclaims"}, "", ""),
            "/apis/resource.k8s.io/v1/resourceclaims");
  ListOptions o;
  o.label_selector = "app in (a,b)";
  o.limit = 5;
  EXPECT_EQ(ListQuery(o), "?labelSelector=app%20in%20%28a%2Cb%29&limit=5");

  Status s = StatusFromResponse(
      410, R"J({"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410})J");
  EXPECT_EQ(s.code(), StatusCode::kExpired);
  EXPECT_EQ(s.message(), "too old resource version: 1 (5)");
  Status plain = StatusFromResponse(503, "upstream down\n");
  EXPECT_EQ(plain.code(), StatusCode::kServiceUnavailable);
  EXPECT_EQ(plain.message(), "upstream down");
  Status retry = StatusFromResponse(
      429, R"({"kind":"Status","reason":"TooManyRequests","message":"slow down","code":429,"details":{"retryAfterSeconds":3}})");
  EXPECT_EQ(retry.code(), StatusCode::kTooManyRequests);
  ASSERT_NE(retry.details(), nullptr);
  EXPECT_EQ(retry.details()->retry_after_seconds, 3);
}

}  // namespace
}  // namespace haru::client
