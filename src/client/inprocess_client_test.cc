#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "client/client.h"
#include "client/test/test_registry.h"

namespace haru::client {
namespace {

using namespace std::chrono_literals;

const Resource kConfigMaps{"", "v1", "configmaps"};
const Resource kPods{"", "v1", "pods"};
const Resource kNodes{"", "v1", "nodes"};

// Collects watch events; Wait() until n events arrived.
class EventLog {
 public:
  WatchCallback Callback() {
    return [this](const WatchEvent& e) {
      std::lock_guard lock(mu_);
      events_.push_back(e);
      cv_.notify_all();
      return true;
    };
  }
  WatchClosed Closed() {
    return [this](const Status& s) {
      std::lock_guard lock(mu_);
      closed_ = s;
      was_closed_ = true;
      cv_.notify_all();
    };
  }
  bool Wait(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return events_.size() >= n; });
  }
  std::vector<WatchEvent> Events() {
    std::lock_guard lock(mu_);
    return events_;
  }
  // "ADDED c1" per event.
  std::vector<std::string> Summary() {
    std::vector<std::string> out;
    for (const WatchEvent& e : Events()) {
      const char* t = e.type == WatchEventType::kAdded      ? "ADDED"
                      : e.type == WatchEventType::kModified ? "MODIFIED"
                      : e.type == WatchEventType::kDeleted  ? "DELETED"
                                                            : "BOOKMARK";
      out.push_back(std::string(t) + " " + e.object["metadata"].value("name", ""));
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<WatchEvent> events_;
  Status closed_;
  bool was_closed_ = false;
};

class InProcessClientTest : public ::testing::Test {
 protected:
  InProcessClientTest() : env_(test::NewTestRegistry()) {
    client_ = NewInProcessClient(env_->registry(), "system:haru-test");
  }

  std::unique_ptr<test::TestRegistry> env_;
  std::unique_ptr<Client> client_;
};

TEST_F(InProcessClientTest, CreateGetListDelete) {
  auto created = client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {{"a", "1"}}));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)["metadata"]["namespace"], "ns1");
  EXPECT_FALSE((*created)["metadata"].value("resourceVersion", "").empty());
  EXPECT_EQ((*created)["metadata"]["managedFields"][0]["manager"], "haru-test");

  auto again = client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {}));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "configmaps \"c1\" already exists");

  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c2", {{"a", "2"}})).ok());
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns2", test::ConfigMap("c3", {})).ok());

  auto got = client_->Get(kConfigMaps, "ns1", "c1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["data"]["a"], "1");

  auto list = client_->List(kConfigMaps, "ns1", {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_FALSE(list->resource_version.empty());
  auto all = client_->List(kConfigMaps, "", {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 3u);

  ListOptions page;
  page.limit = 1;
  auto first = client_->List(kConfigMaps, "", page);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->items.size(), 1u);
  EXPECT_FALSE(first->continue_token.empty());

  ASSERT_TRUE(client_->Delete(kConfigMaps, "ns1", "c1").ok());
  auto gone = client_->Get(kConfigMaps, "ns1", "c1");
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(gone.status().message(), "configmaps \"c1\" not found");
  EXPECT_EQ(client_->Delete(kConfigMaps, "ns1", "c1").code(), StatusCode::kNotFound);
}

TEST_F(InProcessClientTest, UnknownResourceIsNotFound) {
  auto got = client_->Get({"", "v1", "widgets"}, "ns1", "x");
  EXPECT_EQ(got.status().code(), StatusCode::kNotFound);
}

TEST_F(InProcessClientTest, LabelSelectorFiltersList) {
  Json a = test::ConfigMap("a", {});
  a["metadata"]["labels"] = {{"app", "web"}};
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", a).ok());
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("b", {})).ok());
  ListOptions o;
  o.label_selector = "app=web";
  auto list = client_->List(kConfigMaps, "ns1", o);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0]["metadata"]["name"], "a");
  o.label_selector = "app in (";
  EXPECT_EQ(client_->List(kConfigMaps, "ns1", o).status().code(), StatusCode::kBadRequest);
}

TEST_F(InProcessClientTest, StaleUpdateConflicts) {
  auto v1 = client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {{"a", "1"}}));
  ASSERT_TRUE(v1.ok());
  Json v2 = *v1;
  v2["data"]["a"] = "2";
  auto updated = client_->Update(kConfigMaps, "ns1", v2);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)["data"]["a"], "2");
  Json stale = *v1;
  stale["data"]["a"] = "3";
  auto conflict = client_->Update(kConfigMaps, "ns1", stale);
  EXPECT_EQ(conflict.status().code(), StatusCode::kConflict);
  EXPECT_EQ(conflict.status().http_code(), 409);
  EXPECT_NE(conflict.status().message().find("the object has been modified"), std::string::npos);
}

TEST_F(InProcessClientTest, InvalidObjectKeepsCauses) {
  Json pod = test::Pod("p");
  pod["spec"]["containers"][0].erase("image");
  auto created = client_->Create(kPods, "ns1", pod);
  ASSERT_EQ(created.status().code(), StatusCode::kInvalid);
  ASSERT_NE(created.status().details(), nullptr);
  bool found = false;
  for (const auto& c : created.status().details()->causes) found |= c.field == "spec.containers[0].image";
  EXPECT_TRUE(found) << created.status().message();
}

TEST_F(InProcessClientTest, StatusUpdateChangesOnlyStatus) {
  auto pod = client_->Create(kPods, "ns1", test::Pod("p1"));
  ASSERT_TRUE(pod.ok()) << pod.status().ToString();
  Json next = *pod;
  next["status"]["phase"] = "Running";
  next["spec"]["containers"][0]["image"] = "other";  // ignored by the status subresource
  auto updated = client_->Update(kPods, "ns1", next, "status");
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)["status"]["phase"], "Running");
  EXPECT_EQ((*updated)["spec"]["containers"][0]["image"], "busybox");

  Json spec_only = *updated;
  spec_only["status"]["phase"] = "Failed";  // ignored by the main resource
  spec_only["metadata"]["labels"] = {{"x", "y"}};
  auto main = client_->Update(kPods, "ns1", spec_only);
  ASSERT_TRUE(main.ok()) << main.status().ToString();
  EXPECT_EQ((*main)["status"]["phase"], "Running");
  EXPECT_EQ((*main)["metadata"]["labels"]["x"], "y");

  EXPECT_EQ(client_->Update(kConfigMaps, "ns1", test::ConfigMap("c", {}), "status").status().code(),
            StatusCode::kNotFound);
}

TEST_F(InProcessClientTest, Patches) {
  ASSERT_TRUE(client_->Create(kPods, "ns1", test::Pod("p1")).ok());
  auto merged = client_->Patch(kPods, "ns1", "p1", PatchType::kMerge,
                               R"({"metadata":{"labels":{"a":"1"}}})");
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ((*merged)["metadata"]["labels"]["a"], "1");

  auto strategic = client_->Patch(
      kPods, "ns1", "p1", PatchType::kStrategicMerge,
      R"({"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})", "status");
  ASSERT_TRUE(strategic.ok()) << strategic.status().ToString();
  EXPECT_EQ((*strategic)["status"]["phase"], "Running");
  auto strategic2 = client_->Patch(
      kPods, "ns1", "p1", PatchType::kStrategicMerge,
      R"({"status":{"conditions":[{"type":"PodScheduled","status":"True"}]}})", "status");
  ASSERT_TRUE(strategic2.ok()) << strategic2.status().ToString();
  EXPECT_EQ((*strategic2)["status"]["conditions"].size(), 2u);  // merged by type

  auto json = client_->Patch(kPods, "ns1", "p1", PatchType::kJson,
                             R"([{"op":"replace","path":"/metadata/labels/a","value":"2"}])");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ((*json)["metadata"]["labels"]["a"], "2");

  auto failed = client_->Patch(kPods, "ns1", "p1", PatchType::kJson,
                               R"([{"op":"test","path":"/metadata/labels/a","value":"9"}])");
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(client_->Patch(kPods, "ns1", "p1", PatchType::kMerge, "{").status().code(),
            StatusCode::kBadRequest);
  EXPECT_EQ(client_->Patch(kPods, "ns1", "nope", PatchType::kMerge, "{}").status().code(),
            StatusCode::kNotFound);
}

TEST_F(InProcessClientTest, BindingSetsNodeNameOnce) {
  ASSERT_TRUE(client_->Create(kPods, "ns1", test::Pod("p1")).ok());
  Json binding = {{"apiVersion", "v1"}, {"kind", "Binding"},
                  {"metadata", {{"name", "p1"}}}, {"target", {{"kind", "Node"}, {"name", "node-1"}}}};
  auto bound = client_->CreateSubresource(kPods, "ns1", "p1", "binding", binding);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  auto pod = client_->Get(kPods, "ns1", "p1");
  ASSERT_TRUE(pod.ok());
  EXPECT_EQ((*pod)["spec"]["nodeName"], "node-1");

  auto again = client_->CreateSubresource(kPods, "ns1", "p1", "binding", binding);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
  EXPECT_NE(again.status().message().find("already assigned to node \"node-1\""), std::string::npos);

  Json no_target = {{"metadata", {{"name", "p1"}}}};
  EXPECT_EQ(client_->CreateSubresource(kPods, "ns1", "p1", "binding", no_target).status().code(),
            StatusCode::kInvalid);
  EXPECT_EQ(client_->CreateSubresource(kPods, "ns1", "nope", "binding", binding).status().code(),
            StatusCode::kNotFound);
}

TEST_F(InProcessClientTest, ClusterScopedIgnoresNamespace) {
  Json node = {{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", {{"name", "node-1"}}}};
  auto created = client_->Create(kNodes, "", node);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE((*created)["metadata"].contains("namespace"));
  EXPECT_TRUE(client_->Get(kNodes, "", "node-1").ok());
}

TEST_F(InProcessClientTest, WatchFromZeroSendsInitialEventsThenChanges) {
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {})).ok());
  EventLog log;
  auto watch = client_->Watch(kConfigMaps, "ns1", {}, log.Callback(), log.Closed());
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  ASSERT_TRUE(log.Wait(1));
  auto c2 = client_->Create(kConfigMaps, "ns1", test::ConfigMap("c2", {}));
  ASSERT_TRUE(c2.ok());
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns2", test::ConfigMap("other", {})).ok());
  ASSERT_TRUE(client_->Patch(kConfigMaps, "ns1", "c2", PatchType::kMerge, R"({"data":{"k":"v"}})").ok());
  ASSERT_TRUE(client_->Delete(kConfigMaps, "ns1", "c1").ok());
  ASSERT_TRUE(log.Wait(4));
  (*watch)->Stop();
  EXPECT_EQ(log.Summary(),
            (std::vector<std::string>{"ADDED c1", "ADDED c2", "MODIFIED c2", "DELETED c1"}));
  EXPECT_EQ(log.Events()[2].object["data"]["k"], "v");
}

TEST_F(InProcessClientTest, WatchFromResourceVersionSkipsOlderEvents) {
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {})).ok());
  auto list = client_->List(kConfigMaps, "ns1", {});
  ASSERT_TRUE(list.ok());
  EventLog log;
  ListOptions o;
  o.resource_version = list->resource_version;
  auto watch = client_->Watch(kConfigMaps, "ns1", o, log.Callback());
  ASSERT_TRUE(watch.ok());
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c2", {})).ok());
  ASSERT_TRUE(log.Wait(1));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(log.Summary(), (std::vector<std::string>{"ADDED c2"}));
}

TEST_F(InProcessClientTest, WatchSelectorsTurnLeavingIntoDeleted) {
  EventLog log;
  ListOptions o;
  o.label_selector = "app=web";
  auto watch = client_->Watch(kConfigMaps, "", o, log.Callback());
  ASSERT_TRUE(watch.ok());
  auto c = client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {}));  // not selected
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(client_->Patch(kConfigMaps, "ns1", "c1", PatchType::kMerge,
                             R"({"metadata":{"labels":{"app":"web"}}})").ok());
  ASSERT_TRUE(client_->Patch(kConfigMaps, "ns1", "c1", PatchType::kMerge, R"({"data":{"a":"b"}})").ok());
  ASSERT_TRUE(client_->Patch(kConfigMaps, "ns1", "c1", PatchType::kMerge,
                             R"({"metadata":{"labels":{"app":"db"}}})").ok());
  ASSERT_TRUE(log.Wait(3));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(log.Summary(), (std::vector<std::string>{"ADDED c1", "MODIFIED c1", "DELETED c1"}));
}

TEST_F(InProcessClientTest, WatchFieldSelectorOnNodeName) {
  EventLog log;
  ListOptions o;
  o.field_selector = "spec.nodeName=node-1";
  auto watch = client_->Watch(kPods, "", o, log.Callback());
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  ASSERT_TRUE(client_->Create(kPods, "ns1", test::Pod("p1")).ok());
  ASSERT_TRUE(client_->Create(kPods, "ns1", test::Pod("p2")).ok());
  Json binding = {{"target", {{"name", "node-1"}}}};
  ASSERT_TRUE(client_->CreateSubresource(kPods, "ns1", "p2", "binding", binding).ok());
  ASSERT_TRUE(log.Wait(1));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(log.Summary(), (std::vector<std::string>{"ADDED p2"}));

  ListOptions bad;
  bad.field_selector = "spec.unknown=x";
  auto rejected = client_->Watch(kPods, "", bad, log.Callback());
  EXPECT_EQ(rejected.status().code(), StatusCode::kBadRequest);
}

TEST_F(InProcessClientTest, WatchersShareOneParsedObjectPerEvent) {
  EventLog copies, shared, shared2;
  auto w1 = client_->Watch(kConfigMaps, "ns1", {}, copies.Callback());
  ListOptions only_shared;
  only_shared.shared_objects_only = true;
  auto w2 = client_->Watch(kConfigMaps, "ns1", only_shared, shared.Callback());
  auto w3 = client_->Watch(kConfigMaps, "ns1", only_shared, shared2.Callback());
  ASSERT_TRUE(w3.ok());
  ASSERT_TRUE(w1.ok());
  ASSERT_TRUE(w2.ok());
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {{"a", "1"}})).ok());
  ASSERT_TRUE(copies.Wait(1));
  ASSERT_TRUE(shared.Wait(1));
  ASSERT_TRUE(shared2.Wait(1));
  EXPECT_EQ(shared.Events()[0].shared_object, shared2.Events()[0].shared_object);  // parsed once
  WatchEvent a = copies.Events()[0];
  WatchEvent b = shared.Events()[0];
  EXPECT_EQ(a.shared_object, nullptr);  // a plain watch is unchanged: its own parsed `object`
  EXPECT_EQ(a.object["data"]["a"], "1");
  ASSERT_NE(b.shared_object, nullptr);
  EXPECT_TRUE(b.object.is_null());
  EXPECT_EQ(b.Object(), a.object);
}

TEST_F(InProcessClientTest, WritesWithoutResult) {
  ASSERT_TRUE(client_->CreateNoResult(kConfigMaps, "ns1", test::ConfigMap("c1", {{"a", "1"}})).ok());
  EXPECT_EQ(client_->CreateNoResult(kConfigMaps, "ns1", test::ConfigMap("c1", {})).code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(client_->PatchNoResult(kConfigMaps, "ns1", "c1", PatchType::kMerge, R"({"data":{"b":"2"}})").ok());
  auto got = client_->Get(kConfigMaps, "ns1", "c1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["data"]["b"], "2");
  (*got)["data"]["c"] = "3";
  ASSERT_TRUE(client_->UpdateNoResult(kConfigMaps, "ns1", *got).ok());
  EXPECT_EQ(client_->UpdateNoResult(kConfigMaps, "ns1", *got).code(), StatusCode::kConflict);  // stale version
  auto after = client_->Get(kConfigMaps, "ns1", "c1");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)["data"]["c"], "3");
}

TEST_F(InProcessClientTest, WatchCallbackMayStopAndClientMayWriteFromIt) {
  std::mutex mu;
  std::condition_variable cv;
  int seen = 0;
  auto watch = client_->Watch(kConfigMaps, "ns1", {}, [&](const WatchEvent& e) {
    // Writing back through the client from the callback must not deadlock the store.
    if (e.type == WatchEventType::kAdded && e.object["metadata"]["name"] == "c1") {
      EXPECT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c2", {})).ok());
    }
    std::lock_guard lock(mu);
    ++seen;
    cv.notify_all();
    return seen < 2;  // ends the watch after the second event
  });
  ASSERT_TRUE(watch.ok());
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {})).ok());
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return seen >= 2; }));
  }
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c3", {})).ok());
  std::this_thread::sleep_for(50ms);
  (*watch)->Stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, 2);
}

TEST_F(InProcessClientTest, WatchHandleStopFromCallbackDoesNotDeadlock) {
  std::unique_ptr<WatchHandle> handle;
  std::mutex mu;
  std::condition_variable cv;
  bool stopped = false;
  auto watch = client_->Watch(kConfigMaps, "ns1", {}, [&](const WatchEvent&) {
    std::lock_guard lock(mu);
    handle->Stop();
    stopped = true;
    cv.notify_all();
    return true;
  });
  ASSERT_TRUE(watch.ok());
  {
    std::lock_guard lock(mu);
    handle = std::move(watch).value();
  }
  ASSERT_TRUE(client_->Create(kConfigMaps, "ns1", test::ConfigMap("c1", {})).ok());
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return stopped; }));
  lock.unlock();
  handle.reset();
}

TEST(InProcessClientWindowTest, WatchFromRevisionOutsideTheWindowIsExpired) {
  auto env = test::NewTestRegistry(/*event_window=*/2);
  auto client = NewInProcessClient(env->registry(), "test");
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(client->Create(kConfigMaps, "ns1", test::ConfigMap("c" + std::to_string(i), {})).ok());
  }
  EventLog log;
  ListOptions o;
  o.resource_version = "1";
  auto watch = client->Watch(kConfigMaps, "ns1", o, log.Callback());
  ASSERT_FALSE(watch.ok());
  EXPECT_EQ(watch.status().http_code(), 410);
}

TEST_F(InProcessClientTest, ConcurrentWritersAndBinds) {
  constexpr int kThreads = 4, kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string name = "p-" + std::to_string(t) + "-" + std::to_string(i);
        ASSERT_TRUE(client_->Create(kPods, "ns1", test::Pod(name)).ok());
        Json binding = {{"target", {{"name", "node-" + std::to_string(t)}}}};
        ASSERT_TRUE(client_->CreateSubresource(kPods, "ns1", name, "binding", binding).ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  ListOptions o;
  o.field_selector = "spec.nodeName=node-2";
  auto list = client_->List(kPods, "ns1", o);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->items.size(), static_cast<size_t>(kPerThread));
}

}  // namespace
}  // namespace haru::client
