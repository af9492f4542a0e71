// The scheduler end to end over the in-process client: a Registry on the memory store, nodes,
// plain and DRA pods (claims on MIG-like partitions), bindings, claim allocations, the
// PodScheduled condition and events. Throughput is logged, never asserted.

#include "scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <thread>

#include "api/meta/object.h"
#include "client/test/test_registry.h"

namespace haru::scheduler {
namespace {

using namespace std::chrono_literals;
using api::GetString;

const client::Resource kPods{"", "v1", "pods"};
const client::Resource kNodes{"", "v1", "nodes"};
const client::Resource kEvents{"", "v1", "events"};
const client::Resource kClaims{"resource.k8s.io", "v1", "resourceclaims"};
const client::Resource kSlices{"resource.k8s.io", "v1", "resourceslices"};
const client::Resource kClasses{"resource.k8s.io", "v1", "deviceclasses"};

Json NodeJson(const std::string& name, const std::string& cpu = "4", Json taints = Json::array(),
              Json extra_alloc = Json::object()) {
  Json alloc = {{"cpu", cpu}, {"memory", "16Gi"}, {"pods", "110"}};
  for (auto it = extra_alloc.begin(); it != extra_alloc.end(); ++it) alloc[it.key()] = *it;
  Json n = {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata", {{"name", name}, {"labels", {{"kubernetes.io/hostname", name}}}}},
            {"status", {{"capacity", alloc}, {"allocatable", alloc}}}};
  if (!taints.empty()) n["spec"] = {{"taints", taints}};
  return n;
}

Json PodJson(const std::string& name, Json requests = Json::object()) {
  Json c = {{"name", "c"}, {"image", "busybox"}};
  if (!requests.empty()) c["resources"] = {{"requests", requests}, {"limits", requests}};
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}}},
          {"spec", {{"containers", Json::array({c})}}}};
}

// A node's MIG-like GPUs: per GPU a counter set of 8 memory slices, a full-GPU device, seven
// 1g devices and two 3g devices. Devices are published 4 GPUs per slice.
std::vector<Json> GpuSlices(const std::string& node, int gpus) {
  Json sets = Json::array();
  std::vector<Json> device_chunks;
  Json devices = Json::array();
  auto consume = [](int from, int count) {
    Json c = Json::object();
    for (int s = from; s < from + count; ++s) c["memory-slice-" + std::to_string(s)] = {{"value", "1"}};
    return c;
  };
  for (int g = 0; g < gpus; ++g) {
    std::string set = "gpu-" + std::to_string(g);
    sets.push_back({{"name", set}, {"counters", consume(0, 8)}});
    auto dev = [&](const std::string& name, const std::string& profile, int from, int count) {
      devices.push_back({{"name", name},
                         {"attributes", {{"profile", {{"string", profile}}}, {"gpu", {{"int", g}}}}},
                         {"consumesCounters", Json::array({{{"counterSet", set}, {"counters", consume(from, count)}}})}});
    };
    dev(set, "7g.80gb", 0, 8);
    for (int s = 0; s < 7; ++s) dev(set + "-1g-" + std::to_string(s), "1g.10gb", s, 1);
    dev(set + "-3g-0", "3g.40gb", 0, 4);
    dev(set + "-3g-4", "3g.40gb", 4, 4);
    if (g % 4 == 3 || g == gpus - 1) {
      device_chunks.push_back(devices);
      devices = Json::array();
    }
  }
  int64_t count = 1 + static_cast<int64_t>(device_chunks.size());
  auto slice = [&](const std::string& name) {
    return Json{{"apiVersion", "resource.k8s.io/v1"},
                {"kind", "ResourceSlice"},
                {"metadata", {{"name", name}}},
                {"spec",
                 {{"driver", "gpu.haru.dev"},
                  {"nodeName", node},
                  {"pool", {{"name", node}, {"generation", 1}, {"resourceSliceCount", count}}}}}};
  };
  std::vector<Json> out;
  Json counters = slice(node + "-counters");
  counters["spec"]["sharedCounters"] = sets;
  out.push_back(counters);
  for (size_t i = 0; i < device_chunks.size(); ++i) {
    Json s = slice(node + "-devices-" + std::to_string(i));
    s["spec"]["devices"] = device_chunks[i];
    out.push_back(s);
  }
  return out;
}

Json GpuClass() {
  return {{"apiVersion", "resource.k8s.io/v1"},
          {"kind", "DeviceClass"},
          {"metadata", {{"name", "mig.gpu.haru.dev"}}},
          {"spec", {{"selectors", Json::array({{{"cel", {{"expression", "device.driver == \"gpu.haru.dev\""}}}}})}}}};
}

Json ClaimSpec(const std::string& profile) {
  return {{"devices",
           {{"requests",
             Json::array({{{"name", "gpu"},
                           {"exactly",
                            {{"deviceClassName", "mig.gpu.haru.dev"},
                             {"selectors", Json::array({{{"cel",
                                                          {{"expression", "device.attributes[\"gpu.haru.dev\"].profile == \"" +
                                                                              profile + "\""}}}}})}}}}})}}}};
}

Json ClaimJson(const std::string& name, const std::string& profile) {
  return {{"apiVersion", "resource.k8s.io/v1"},
          {"kind", "ResourceClaim"},
          {"metadata", {{"name", name}}},
          {"spec", ClaimSpec(profile)}};
}

Json ClaimPod(const std::string& name, const std::string& claim, bool from_template = false) {
  Json p = PodJson(name);
  Json ref = {{"name", "gpu"}};
  ref[from_template ? "resourceClaimTemplateName" : "resourceClaimName"] = claim;
  p["spec"]["resourceClaims"] = Json::array({ref});
  p["spec"]["containers"][0]["resources"] = {{"claims", Json::array({{{"name", "gpu"}}})}};
  return p;
}

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() : env_(client::test::NewTestRegistry()) {
    client_ = client::NewInProcessClient(env_->registry(), "system:kube-scheduler");
  }
  ~SchedulerTest() override {
    if (scheduler_) scheduler_->Stop();
  }

  void Start(SchedulerOptions options = {}) {
    options.queue.initial_backoff = 50ms;
    options.queue.max_backoff = 200ms;
    if (options.parallelism == 16) options.parallelism = 2;
    if (options.bind_workers == 16) options.bind_workers = 4;
    scheduler_ = StartScheduler(client_.get(), options);
  }

  void Create(const client::Resource& r, const Json& obj, const std::string& ns = "default") {
    auto c = client_->Create(r, ns, obj);
    ASSERT_TRUE(c.ok()) << c.status().message() << "\n" << obj.dump();
  }

  Json Get(const client::Resource& r, const std::string& name, const std::string& ns = "default") {
    auto g = client_->Get(r, ns, name);
    return g.ok() ? *g : Json();
  }

  bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 20s) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (pred()) return true;
      std::this_thread::sleep_for(5ms);
    }
    return pred();
  }

  std::string NodeOf(const std::string& pod) { return GetString(Get(kPods, pod), {"spec", "nodeName"}); }

  std::string ScheduledMessage(const std::string& pod) {
    Json p = Get(kPods, pod);
    const Json* conds = api::FindPath(p, {"status", "conditions"});
    if (!conds || !conds->is_array()) return "";
    for (const Json& c : *conds) {
      if (GetString(c, {"type"}) == "PodScheduled" && GetString(c, {"status"}) == "False") {
        return GetString(c, {"reason"}) + ": " + GetString(c, {"message"});
      }
    }
    return "";
  }

  std::vector<Json> EventsFor(const std::string& pod) {
    std::vector<Json> out;
    auto list = client_->List(kEvents, "default", {});
    if (!list.ok()) return out;
    for (const Json& e : list->items) {
      if (GetString(e, {"involvedObject", "name"}) == pod) out.push_back(e);
    }
    return out;
  }

  int CountBound(const std::string& prefix) {
    auto list = client_->List(kPods, "default", {});
    int n = 0;
    if (!list.ok()) return 0;
    for (const Json& p : list->items) {
      if (GetString(p, {"metadata", "name"}).rfind(prefix, 0) == 0 && !GetString(p, {"spec", "nodeName"}).empty()) ++n;
    }
    return n;
  }

  std::unique_ptr<client::test::TestRegistry> env_;
  std::unique_ptr<client::Client> client_;
  std::unique_ptr<Scheduler> scheduler_;
};

TEST_F(SchedulerTest, BindsPlainPodsAndExplainsHopelessOnes) {
  Create(kNodes, NodeJson("n1"), "");
  Create(kNodes, NodeJson("n2"), "");
  Create(kNodes, NodeJson("gpu", "4", Json::array({{{"key", "gpu"}, {"value", "true"}, {"effect", "NoSchedule"}}})), "");
  Start();
  Create(kPods, PodJson("huge", {{"cpu", "100"}}));
  for (int i = 0; i < 6; ++i) Create(kPods, PodJson("p" + std::to_string(i), {{"cpu", "1"}}));
  ASSERT_TRUE(WaitFor([&] { return CountBound("p") == 6; }));
  for (int i = 0; i < 6; ++i) EXPECT_NE(NodeOf("p" + std::to_string(i)), "gpu");
  // LeastAllocated spreads: three per schedulable node.
  int on_n1 = 0;
  for (int i = 0; i < 6; ++i) on_n1 += NodeOf("p" + std::to_string(i)) == "n1";
  EXPECT_EQ(on_n1, 3);

  const std::string want =
      "Unschedulable: 0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new "
      "claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  ASSERT_TRUE(WaitFor([&] { return ScheduledMessage("huge") == want; })) << ScheduledMessage("huge");
  ASSERT_TRUE(WaitFor([&] {
    for (const Json& e : EventsFor("huge")) {
      if (GetString(e, {"reason"}) == "FailedScheduling") return true;
    }
    return false;
  }));
  Json failed;
  for (const Json& e : EventsFor("huge")) {
    if (GetString(e, {"reason"}) == "FailedScheduling") failed = e;
  }
  EXPECT_EQ(GetString(failed, {"type"}), "Warning");
  EXPECT_EQ(GetString(failed, {"source", "component"}), "default-scheduler");
  EXPECT_EQ(GetString(failed, {"involvedObject", "kind"}), "Pod");
  EXPECT_EQ("Unschedulable: " + GetString(failed, {"message"}), want);
  bool scheduled_event = false;
  for (const Json& e : EventsFor("p0")) {
    scheduled_event = scheduled_event || (GetString(e, {"reason"}) == "Scheduled" &&
                                          GetString(e, {"message"}) == "Successfully assigned default/p0 to " + NodeOf("p0"));
  }
  EXPECT_TRUE(scheduled_event);

  // A big node joins: the waiting pod is retried and lands there.
  Create(kNodes, NodeJson("big", "128"), "");
  ASSERT_TRUE(WaitFor([&] { return NodeOf("huge") == "big"; }));
}

TEST_F(SchedulerTest, NodeSelectorAffinityAndTolerations) {
  Json a = NodeJson("a");
  a["metadata"]["labels"]["zone"] = "east";
  Create(kNodes, a, "");
  Create(kNodes, NodeJson("t", "4", Json::array({{{"key", "dedicated"}, {"value", "ml"}, {"effect", "NoExecute"}}})), "");
  Create(kNodes, NodeJson("c"), "");
  Start();
  Json sel = PodJson("sel");
  sel["spec"]["nodeSelector"] = {{"zone", "east"}};
  Create(kPods, sel);
  Json tol = PodJson("tol");
  tol["spec"]["tolerations"] = Json::array({{{"key", "dedicated"}, {"operator", "Equal"}, {"value", "ml"}}});
  tol["spec"]["affinity"] = {{"nodeAffinity",
                              {{"requiredDuringSchedulingIgnoredDuringExecution",
                                {{"nodeSelectorTerms",
                                  Json::array({{{"matchFields", Json::array({{{"key", "metadata.name"},
                                                                               {"operator", "In"},
                                                                               {"values", {"t"}}}})}}})}}}}}};
  Create(kPods, tol);
  Json nowhere = PodJson("nowhere");
  nowhere["spec"]["nodeSelector"] = {{"zone", "west"}};
  Create(kPods, nowhere);
  ASSERT_TRUE(WaitFor([&] { return NodeOf("sel") == "a" && NodeOf("tol") == "t"; }));
  ASSERT_TRUE(WaitFor([&] { return !ScheduledMessage("nowhere").empty(); }));
  EXPECT_EQ(ScheduledMessage("nowhere"),
            "Unschedulable: 0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match "
            "Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 3 "
            "Preemption is not helpful for scheduling.");
}

TEST_F(SchedulerTest, AllocatesMigPartitionsAndWritesClaims) {
  Create(kNodes, NodeJson("g1"), "");
  Create(kNodes, NodeJson("g2"), "");
  Create(kNodes, NodeJson("cpu-only"), "");
  for (const char* n : {"g1", "g2"}) {
    for (const Json& s : GpuSlices(n, 1)) Create(kSlices, s, "");
  }
  Create(kClasses, GpuClass(), "");
  Start();
  // Each node has one GPU: two 3g placements. Five 3g claims: four fit.
  for (int i = 0; i < 5; ++i) {
    std::string n = std::to_string(i);
    Create(kClaims, ClaimJson("c" + n, "3g.40gb"));
    Create(kPods, ClaimPod("gp" + n, "c" + n));
  }
  ASSERT_TRUE(WaitFor([&] { return CountBound("gp") == 4; }));
  std::map<std::string, int> per_node;
  std::string pending;
  for (int i = 0; i < 5; ++i) {
    std::string n = std::to_string(i);
    std::string node = NodeOf("gp" + n);
    if (node.empty()) {
      pending = "gp" + n;
      continue;
    }
    per_node[node]++;
    Json claim = Get(kClaims, "c" + n);
    const Json& results = claim["status"]["allocation"]["devices"]["results"];
    ASSERT_EQ(results.size(), 1u) << claim.dump();
    EXPECT_EQ(results[0]["driver"], "gpu.haru.dev");
    EXPECT_EQ(results[0]["pool"], node);
    EXPECT_NE(results[0]["device"].get<std::string>().find("-3g-"), std::string::npos);
    EXPECT_EQ(claim["status"]["reservedFor"][0]["name"], "gp" + n);
    EXPECT_EQ(claim["metadata"]["finalizers"][0], "resource.kubernetes.io/delete-protection");
    EXPECT_EQ(claim["status"]["allocation"]["nodeSelector"]["nodeSelectorTerms"][0]["matchFields"][0]["values"][0],
              node);
  }
  EXPECT_EQ(per_node["g1"], 2);
  EXPECT_EQ(per_node["g2"], 2);
  ASSERT_FALSE(pending.empty());
  // (An earlier attempt may have run before the claim reached the cache: "not found".)
  const std::string want =
      "Unschedulable: 0/3 nodes are available: 3 cannot allocate all claims. still not schedulable, preemption: "
      "0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  ASSERT_TRUE(WaitFor([&] { return ScheduledMessage(pending) == want; })) << ScheduledMessage(pending);

  // Freeing one pod and its claim lets the waiting pod in.
  std::string victim = pending == "gp0" ? "gp1" : "gp0";
  ASSERT_TRUE(client_->Delete(kPods, "default", victim).ok());
  Json claim = Get(kClaims, "c" + victim.substr(2));
  claim["status"].erase("reservedFor");
  claim["status"].erase("allocation");
  ASSERT_TRUE(client_->Update(kClaims, "default", claim, "status").ok());
  ASSERT_TRUE(WaitFor([&] { return !NodeOf(pending).empty(); })) << ScheduledMessage(pending) << "\n"
                                                                 << Get(kClaims, "c" + victim.substr(2)).dump();
}

TEST_F(SchedulerTest, ClaimProblemsAreReportedAndTemplatesWaitForTheController) {
  Create(kNodes, NodeJson("g1"), "");
  for (const Json& s : GpuSlices("g1", 1)) Create(kSlices, s, "");
  Create(kClasses, GpuClass(), "");
  Start();
  Create(kPods, ClaimPod("missing", "nope"));
  Create(kPods, ClaimPod("templated", "tmpl", /*from_template=*/true));
  Json bad = ClaimJson("badclass", "1g.10gb");
  bad["spec"]["devices"]["requests"][0]["exactly"]["deviceClassName"] = "no-such-class";
  Create(kClaims, bad);
  Create(kPods, ClaimPod("badclass-pod", "badclass"));
  Create(kPods, PodJson("plain"));
  ASSERT_TRUE(WaitFor([&] { return NodeOf("plain") == "g1"; }));  // nothing blocks it
  ASSERT_TRUE(WaitFor([&] { return !ScheduledMessage("missing").empty(); }));
  EXPECT_EQ(ScheduledMessage("missing"),
            "Unschedulable: 0/1 nodes are available: resourceclaim.resource.k8s.io \"nope\" not found. no new claims "
            "to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.");
  ASSERT_TRUE(WaitFor([&] { return !ScheduledMessage("badclass-pod").empty(); }));
  // A pod whose claim from a template does not exist yet is held back, as upstream's
  // PreEnqueue does: no PodScheduled condition, no event, until the controller creates it.
  EXPECT_EQ(ScheduledMessage("templated"), "");
  EXPECT_NE(ScheduledMessage("badclass-pod").find("no-such-class"), std::string::npos) << ScheduledMessage("badclass-pod");

  // Play the resourceclaim controller: create the claim owned by the pod, then point the pod at it.
  Json pod = Get(kPods, "templated");
  Json claim = ClaimJson("templated-gpu-x7k2p", "1g.10gb");
  claim["metadata"]["ownerReferences"] = Json::array({{{"apiVersion", "v1"},
                                                       {"kind", "Pod"},
                                                       {"name", "templated"},
                                                       {"uid", pod["metadata"]["uid"]},
                                                       {"controller", true},
                                                       {"blockOwnerDeletion", true}}});
  Create(kClaims, claim);
  pod["status"]["resourceClaimStatuses"] = Json::array({{{"name", "gpu"}, {"resourceClaimName", "templated-gpu-x7k2p"}}});
  auto updated = client_->Update(kPods, "default", pod, "status");
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  ASSERT_TRUE(WaitFor([&] { return NodeOf("templated") == "g1"; })) << ScheduledMessage("templated");
  Json allocated = Get(kClaims, "templated-gpu-x7k2p");
  EXPECT_NE(allocated["status"]["allocation"]["devices"]["results"][0]["device"].get<std::string>().find("-1g-"),
            std::string::npos);
}

TEST_F(SchedulerTest, ThroughputPlainPods) {
  const int kNodesN = 100, kPodsN = 2000;
  for (int i = 0; i < kNodesN; ++i) Create(kNodes, NodeJson("n" + std::to_string(i), "64"), "");
  SchedulerOptions o;
  o.record_events = true;
  Start(o);
  ASSERT_TRUE(WaitFor([&] { return scheduler_->HasSynced(); }));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kPodsN; ++i) Create(kPods, PodJson("t" + std::to_string(i), {{"cpu", "100m"}, {"memory", "64Mi"}}));
  auto created = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return scheduler_->stats().bound == kPodsN; }, 120s)) << scheduler_->stats().bound;
  auto done = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(done - start).count();
  std::cout << "[throughput] " << kNodesN << " nodes, " << kPodsN << " plain pods: created in "
            << std::chrono::duration<double>(created - start).count() << " s, all bound after " << secs << " s = "
            << kPodsN / secs << " pods/s (creation included)\n";
  EXPECT_EQ(CountBound("t"), kPodsN);
}

TEST_F(SchedulerTest, ThroughputClaimPods) {
  const int kNodesN = 50, kGpus = 8, kPodsN = 400;
  for (int i = 0; i < kNodesN; ++i) {
    std::string n = "g" + std::to_string(i);
    Create(kNodes, NodeJson(n, "64"), "");
    for (const Json& s : GpuSlices(n, kGpus)) Create(kSlices, s, "");
  }
  Create(kClasses, GpuClass(), "");
  for (int i = 0; i < kPodsN; ++i) Create(kClaims, ClaimJson("tc" + std::to_string(i), "1g.10gb"));
  Start();
  ASSERT_TRUE(WaitFor([&] { return scheduler_->HasSynced(); }));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kPodsN; ++i) Create(kPods, ClaimPod("tp" + std::to_string(i), "tc" + std::to_string(i)));
  ASSERT_TRUE(WaitFor([&] { return scheduler_->stats().bound == kPodsN; }, 120s)) << scheduler_->stats().bound;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[throughput] " << kNodesN << " nodes x " << kGpus << " GPUs, " << kPodsN
            << " pods with a 1g claim each: all bound after " << secs << " s = " << kPodsN / secs
            << " pods/s (creation included)\n";
  // No device is handed out twice.
  std::set<std::string> devices;
  auto claims = client_->List(kClaims, "default", {});
  ASSERT_TRUE(claims.ok());
  for (const Json& c : claims->items) {
    for (const Json& r : c["status"]["allocation"]["devices"]["results"]) {
      EXPECT_TRUE(devices.insert(r["pool"].get<std::string>() + "/" + r["device"].get<std::string>()).second);
    }
  }
  EXPECT_EQ(devices.size(), static_cast<size_t>(kPodsN));
}

}  // namespace
}  // namespace haru::scheduler
