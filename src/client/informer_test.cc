#include "client/informer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "client/test/test_registry.h"

namespace haru::client {
namespace {

using namespace std::chrono_literals;

const Resource kConfigMaps{"", "v1", "configmaps"};

// Delegates to a real client; lists can be made to fail and open watches closed from the test.
class FaultyClient : public Client {
 public:
  explicit FaultyClient(Client* inner) : inner_(inner) {}

  std::atomic<bool> fail_lists{false};
  std::atomic<int> watches_opened{0};

  // Waits until at least n watches were opened.
  bool WaitForWatches(int n) {
    for (int i = 0; i < 500 && watches_opened < n; ++i) std::this_thread::sleep_for(10ms);
    return watches_opened >= n;
  }

  // Ends every open watch as the server would, with status s.
  void CloseWatches(const Status& s) {
    std::vector<WatchClosed> closers;
    {
      std::lock_guard lock(mu_);
      closers.swap(closers_);
    }
    for (auto& c : closers) {
      if (c) c(s);
    }
  }

  StatusOr<Json> Get(const Resource& r, std::string_view ns, std::string_view name) override {
    return inner_->Get(r, ns, name);
  }
  StatusOr<ObjectList> List(const Resource& r, std::string_view ns, const ListOptions& o) override {
    if (fail_lists) return Status::ServiceUnavailable("injected");
    return inner_->List(r, ns, o);
  }
  StatusOr<Json> Create(const Resource& r, std::string_view ns, const Json& object) override {
    return inner_->Create(r, ns, object);
  }
  StatusOr<Json> Update(const Resource& r, std::string_view ns, const Json& object,
                        std::string_view sub) override {
    return inner_->Update(r, ns, object, sub);
  }
  StatusOr<Json> Patch(const Resource& r, std::string_view ns, std::string_view name, PatchType t,
                       std::string_view patch, std::string_view sub) override {
    return inner_->Patch(r, ns, name, t, patch, sub);
  }
  Status Delete(const Resource& r, std::string_view ns, std::string_view name,
                const DeleteOptions& o) override {
    return inner_->Delete(r, ns, name, o);
  }
  StatusOr<Json> CreateSubresource(const Resource& r, std::string_view ns, std::string_view name,
                                   std::string_view sub, const Json& body) override {
    return inner_->CreateSubresource(r, ns, name, sub, body);
  }
  StatusOr<std::unique_ptr<WatchHandle>> Watch(const Resource& r, std::string_view ns,
                                               const ListOptions& o, WatchCallback on_event,
                                               WatchClosed on_closed) override {
    std::lock_guard lock(mu_);
    closers_.push_back(on_closed);
    auto w = inner_->Watch(r, ns, o, std::move(on_event), std::move(on_closed));
    ++watches_opened;
    return w;
  }

 private:
  Client* inner_;
  std::mutex mu_;
  std::vector<WatchClosed> closers_;
};

// Records handler calls as "add c1", "update c1", "delete c1".
struct Recorder {
  std::mutex mu;
  std::vector<std::string> calls;
  InformerHandlers Handlers() {
    InformerHandlers h;
    h.on_add = [this](const ObjectPtr& o) { Record("add", *o); };
    h.on_update = [this](const ObjectPtr&, const ObjectPtr& o) { Record("update", *o); };
    h.on_delete = [this](const ObjectPtr& o) { Record("delete", *o); };
    return h;
  }
  void Record(const char* what, const Json& o) {
    std::lock_guard lock(mu);
    calls.push_back(std::string(what) + " " + o["metadata"].value("name", ""));
  }
  std::vector<std::string> Calls() {
    std::lock_guard lock(mu);
    return calls;
  }
  bool WaitFor(size_t n) {
    for (int i = 0; i < 500; ++i) {
      if (Calls().size() >= n) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
};

class InformerTest : public ::testing::Test {
 protected:
  InformerTest() : env_(test::NewTestRegistry()) {
    inner_ = NewInProcessClient(env_->registry(), "haru-test");
    client_ = std::make_unique<FaultyClient>(inner_.get());
  }

  std::unique_ptr<test::TestRegistry> env_;
  std::unique_ptr<Client> inner_;
  std::unique_ptr<FaultyClient> client_;
};

TEST_F(InformerTest, SyncsThenFollowsChanges) {
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {})).ok());
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns2", test::ConfigMap("c2", {})).ok());
  InformerOptions o;
  o.resource = kConfigMaps;
  Informer informer(client_.get(), o);
  Recorder rec;
  informer.AddHandlers(rec.Handlers());
  EXPECT_FALSE(informer.HasSynced());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(5s));
  EXPECT_EQ(informer.Size(), 2u);
  EXPECT_EQ(rec.Calls(), (std::vector<std::string>{"add c1", "add c2"}));
  ASSERT_NE(informer.Get("ns1", "c1"), nullptr);
  EXPECT_EQ(informer.List("ns2").size(), 1u);

  ASSERT_TRUE(inner_->Patch(kConfigMaps, "ns1", "c1", PatchType::kMerge, R"({"data":{"a":"1"}})").ok());
  ASSERT_TRUE(inner_->Delete(kConfigMaps, "ns2", "c2").ok());
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c3", {})).ok());
  ASSERT_TRUE(rec.WaitFor(5));
  EXPECT_EQ(rec.Calls(), (std::vector<std::string>{"add c1", "add c2", "update c1", "delete c2", "add c3"}));
  EXPECT_EQ((*informer.Get("ns1", "c1"))["data"]["a"], "1");
  EXPECT_EQ(informer.Get("ns2", "c2"), nullptr);
  EXPECT_EQ(informer.Size(), 2u);
  informer.Stop();
}

TEST_F(InformerTest, RelistsAfterGoneAndReportsTheDifference) {
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {})).ok());
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c2", {})).ok());
  InformerOptions o;
  o.resource = kConfigMaps;
  o.ns = "ns1";
  o.initial_backoff = 10ms;
  o.max_backoff = 20ms;
  Informer informer(client_.get(), o);
  Recorder rec;
  informer.AddHandlers(rec.Handlers());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(5s));
  ASSERT_TRUE(rec.WaitFor(2));
  EXPECT_EQ(informer.ListCount(), 1);
  ASSERT_TRUE(client_->WaitForWatches(1));

  // The watch ends with 410; lists fail for a while; meanwhile the world changes.
  client_->fail_lists = true;
  client_->CloseWatches(Status::Expired("too old resource version"));
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(inner_->Delete(kConfigMaps, "ns1", "c1").ok());
  ASSERT_TRUE(inner_->Patch(kConfigMaps, "ns1", "c2", PatchType::kMerge, R"({"data":{"x":"y"}})").ok());
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c3", {})).ok());
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(rec.Calls().size(), 2u);  // not watching while lists fail
  client_->fail_lists = false;

  ASSERT_TRUE(rec.WaitFor(5));
  auto calls = rec.Calls();
  std::vector<std::string> after(calls.begin() + 2, calls.end());
  std::sort(after.begin(), after.end());
  EXPECT_EQ(after, (std::vector<std::string>{"add c3", "delete c1", "update c2"}));
  EXPECT_EQ(informer.ListCount(), 2);
  EXPECT_EQ(informer.Size(), 2u);

  // And it watches again afterwards.
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c4", {})).ok());
  ASSERT_TRUE(rec.WaitFor(6));
  EXPECT_EQ(rec.Calls().back(), "add c4");
}

TEST_F(InformerTest, RewatchesFromLastVersionAfterADroppedConnection) {
  InformerOptions o;
  o.resource = kConfigMaps;
  o.initial_backoff = 10ms;
  Informer informer(client_.get(), o);
  Recorder rec;
  informer.AddHandlers(rec.Handlers());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(5s));
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {})).ok());
  ASSERT_TRUE(rec.WaitFor(1));
  ASSERT_TRUE(client_->WaitForWatches(1));
  client_->CloseWatches(Status::ServiceUnavailable("connection lost"));
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("c2", {})).ok());
  ASSERT_TRUE(rec.WaitFor(2));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(rec.Calls(), (std::vector<std::string>{"add c1", "add c2"}));
  EXPECT_EQ(informer.ListCount(), 1);  // no relist needed
}

TEST_F(InformerTest, LabelSelectorLimitsTheCache) {
  Json web = test::ConfigMap("web", {});
  web["metadata"]["labels"] = {{"app", "web"}};
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", web).ok());
  ASSERT_TRUE(inner_->Create(kConfigMaps, "ns1", test::ConfigMap("db", {})).ok());
  InformerOptions o;
  o.resource = kConfigMaps;
  o.label_selector = "app=web";
  o.page_size = 1;
  Informer informer(client_.get(), o);
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(5s));
  EXPECT_EQ(informer.Size(), 1u);
  EXPECT_NE(informer.Get("ns1", "web"), nullptr);
}

TEST_F(InformerTest, StopBeforeSyncReturns) {
  client_->fail_lists = true;
  InformerOptions o;
  o.resource = kConfigMaps;
  Informer informer(client_.get(), o);
  informer.Start();
  EXPECT_FALSE(informer.WaitForSync(50ms));
  informer.Stop();
  EXPECT_FALSE(informer.HasSynced());
}

}  // namespace
}  // namespace haru::client
