// End-to-end scheduling throughput for issue 5's Performance table (rows 1, 2 and 5): creates
// pods over HTTPS as fast as several threads can, and measures from the first create to the
// moment every pod has spec.nodeName, as seen by a watch. Started by bench/dra_run.sh against a
// running `haru server` with a `haru sim` fleet; it makes the DeviceClass and the
// ResourceClaimTemplate it needs, nothing else. Nothing here asserts a time.
//
//   dra_e2e --kubeconfig DIR/admin.kubeconfig --mode plain|mig1|mig2 --pods 4000 [--threads 16]
//           [--expect-nodes 500] [--timeout 600]
//
// mode plain: pods without claims. mig1: one claim per pod from a template, one 1g.10gb MIG
// partition. mig2: one claim per pod, two 1g.10gb partitions with matchAttribute
// gpu.haru.dev/parentUUID (both on the same GPU).
//
// Prints a human summary on stderr and one JSON object on stdout.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "common/json.h"

namespace {

using haru::Json;
using haru::client::Client;
using haru::client::ListOptions;
using haru::client::Resource;
using haru::client::WatchEvent;
using Clock = std::chrono::steady_clock;

const Resource kPods{"", "v1", "pods"};
const Resource kNodes{"", "v1", "nodes"};
const Resource kSlices{"resource.k8s.io", "v1", "resourceslices"};
const Resource kClasses{"resource.k8s.io", "v1", "deviceclasses"};
const Resource kTemplates{"resource.k8s.io", "v1", "resourceclaimtemplates"};
const Resource kClaims{"resource.k8s.io", "v1", "resourceclaims"};

struct Options {
  std::string kubeconfig;
  std::string mode = "mig1";
  std::string ns = "default";
  std::string run_id;
  int pods = 4000;
  int threads = 16;
  int expect_nodes = 0;
  double timeout_s = 600;
};

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "dra_e2e: " << what << "\n";
  std::exit(1);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--kubeconfig") o.kubeconfig = value();
    else if (a == "--mode") o.mode = value();
    else if (a == "--namespace") o.ns = value();
    else if (a == "--run-id") o.run_id = value();
    else if (a == "--pods") o.pods = std::stoi(value());
    else if (a == "--threads") o.threads = std::stoi(value());
    else if (a == "--expect-nodes") o.expect_nodes = std::stoi(value());
    else if (a == "--timeout") o.timeout_s = std::stod(value());
    else Die("unknown argument " + a);
  }
  if (o.kubeconfig.empty()) Die("--kubeconfig is required");
  if (o.mode != "plain" && o.mode != "mig1" && o.mode != "mig2") Die("--mode: plain, mig1 or mig2");
  if (o.run_id.empty()) o.run_id = o.mode;
  return o;
}

// Creates `object`, accepting AlreadyExists (a rerun against the same cluster).
void Ensure(Client& c, const Resource& r, const std::string& ns, const Json& object) {
  auto created = c.Create(r, ns, object);
  if (!created.ok() && created.status().code() != haru::StatusCode::kAlreadyExists) {
    Die("create " + r.plural + ": " + created.status().ToString());
  }
}

Json MigClass() {
  return Json::parse(R"({"apiVersion":"resource.k8s.io/v1","kind":"DeviceClass",
    "metadata":{"name":"mig.gpu.haru.dev"},
    "spec":{"selectors":[{"cel":{"expression":
      "device.driver == 'gpu.haru.dev' && device.attributes['gpu.haru.dev'].type == 'mig'"}}]}})");
}

Json Template(const std::string& name, int count, bool match_parent) {
  Json exactly = {{"deviceClassName", "mig.gpu.haru.dev"},
                  {"allocationMode", "ExactCount"},
                  {"count", count},
                  {"selectors", Json::array({{{"cel", {{"expression",
                                                         "device.attributes['gpu.haru.dev'].profile == '1g.10gb'"}}}}})}};
  Json devices = {{"requests", Json::array({{{"name", "gpu"}, {"exactly", exactly}}})}};
  if (match_parent) {
    devices["constraints"] = Json::array({{{"requests", Json::array({"gpu"})},
                                           {"matchAttribute", "gpu.haru.dev/parentUUID"}}});
  }
  return {{"apiVersion", "resource.k8s.io/v1"},
          {"kind", "ResourceClaimTemplate"},
          {"metadata", {{"name", name}}},
          {"spec", {{"spec", {{"devices", devices}}}}}};
}

std::string PodName(const Options& o, int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%06d", i);
  return "bench-" + o.run_id + "-" + buf;
}

Json Pod(const Options& o, int i, const std::string& template_name) {
  Json container = {{"name", "c"},
                    {"image", "registry.k8s.io/pause:3.10"},
                    {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "64Mi"}}}}}};
  Json spec = {{"containers", Json::array({container})}, {"terminationGracePeriodSeconds", 0}};
  if (!template_name.empty()) {
    spec["containers"][0]["resources"]["claims"] = Json::array({{{"name", "gpu"}}});
    spec["resourceClaims"] = Json::array({{{"name", "gpu"}, {"resourceClaimTemplateName", template_name}}});
  }
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", PodName(o, i)}, {"labels", {{"haru-bench", o.run_id}}}}},
          {"spec", spec}};
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[std::min(k, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  auto made = haru::client::NewHttpsClient(o.kubeconfig);
  if (!made.ok()) Die(o.kubeconfig + ": " + made.status().ToString());
  Client& c = **made;

  // The cluster as the run finds it.
  auto nodes = c.List(kNodes, "", {});
  if (!nodes.ok()) Die("list nodes: " + nodes.status().ToString());
  auto slices = c.List(kSlices, "", {});
  if (!slices.ok()) Die("list resourceslices: " + slices.status().ToString());
  size_t devices = 0;
  for (const Json& s : slices->items) devices += s["spec"].value("devices", Json::array()).size();
  std::cerr << "dra_e2e: " << nodes->items.size() << " nodes, " << slices->items.size() << " ResourceSlices, "
            << devices << " devices\n";
  if (o.expect_nodes > 0 && static_cast<int>(nodes->items.size()) != o.expect_nodes) {
    Die("expected " + std::to_string(o.expect_nodes) + " nodes, found " + std::to_string(nodes->items.size()));
  }

  std::string template_name;
  if (o.mode != "plain") {
    Ensure(c, kClasses, "", MigClass());
    template_name = o.mode == "mig1" ? "bench-mig1" : "bench-mig2";
    Ensure(c, kTemplates, o.ns, Template(template_name, o.mode == "mig1" ? 1 : 2, o.mode == "mig2"));
  }

  // Bound times, recorded by a watch on this run's pods.
  const int n = o.pods;
  std::vector<Clock::time_point> create_start(n), create_done(n), bound_at(n);
  std::vector<char> bound(n, 0);
  std::mutex mu;
  std::condition_variable cv;
  int bound_count = 0;
  int unschedulable_events = 0;
  std::string first_unschedulable;
  std::string last_rv;

  ListOptions lo;
  lo.label_selector = "haru-bench=" + o.run_id;
  auto initial = c.List(kPods, o.ns, lo);
  if (!initial.ok()) Die("list pods: " + initial.status().ToString());
  if (!initial->items.empty()) Die("pods of run " + o.run_id + " already exist; use another --run-id");
  last_rv = initial->resource_version;
  const std::string prefix = "bench-" + o.run_id + "-";

  auto on_event = [&](const WatchEvent& e) {
    if (e.type == haru::client::WatchEventType::kBookmark) return true;
    auto now = Clock::now();
    const Json& pod = e.object;
    std::string name = pod["metadata"].value("name", "");
    std::lock_guard lock(mu);
    last_rv = pod["metadata"].value("resourceVersion", last_rv);
    if (name.rfind(prefix, 0) != 0) return true;
    int i = std::atoi(name.c_str() + prefix.size());
    if (i < 0 || i >= n) return true;
    if (!bound[i] && !pod["spec"].value("nodeName", "").empty()) {
      bound[i] = 1;
      bound_at[i] = now;
      if (++bound_count == n) cv.notify_all();
      return true;
    }
    if (!bound[i] && pod.contains("status") && pod["status"].contains("conditions")) {
      for (const Json& cond : pod["status"]["conditions"]) {
        if (cond.value("type", "") == "PodScheduled" && cond.value("status", "") == "False") {
          ++unschedulable_events;
          if (first_unschedulable.empty()) first_unschedulable = cond.value("message", "");
        }
      }
    }
    return true;
  };
  std::atomic<bool> watch_closed{false};
  auto start_watch = [&]() {
    ListOptions wo = lo;
    {
      std::lock_guard lock(mu);
      wo.resource_version = last_rv;
    }
    auto w = c.Watch(kPods, o.ns, wo, on_event, [&](const haru::Status& s) {
      std::cerr << "dra_e2e: watch closed: " << s.ToString() << "\n";
      watch_closed = true;
      cv.notify_all();
    });
    if (!w.ok()) Die("watch pods: " + w.status().ToString());
    return std::move(w).value();
  };
  auto watch = start_watch();

  // Creates on `threads` threads; each pod's create start and end are recorded.
  std::atomic<int> next{0};
  std::atomic<int> create_errors{0};
  std::string first_error;
  std::mutex error_mu;
  std::vector<Json> bodies;
  bodies.reserve(n);
  for (int i = 0; i < n; ++i) bodies.push_back(Pod(o, i, template_name));
  Clock::time_point t0 = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < o.threads; ++t) {
    workers.emplace_back([&] {
      for (int i; (i = next.fetch_add(1)) < n;) {
        create_start[i] = Clock::now();
        auto r = c.Create(kPods, o.ns, bodies[i]);
        create_done[i] = Clock::now();
        if (!r.ok()) {
          ++create_errors;
          std::lock_guard lock(error_mu);
          if (first_error.empty()) first_error = r.status().ToString();
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  Clock::time_point t_created = Clock::now();
  if (create_errors > 0) std::cerr << "dra_e2e: " << create_errors << " create errors, first: " << first_error << "\n";

  // Wait for every pod to be bound; a watch that ends is restarted from the last revision.
  const auto deadline = t0 + std::chrono::milliseconds(static_cast<int64_t>(o.timeout_s * 1000));
  int last_reported = -1;
  auto last_report_time = Clock::now();
  for (;;) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(1), [&] { return bound_count == n || watch_closed.load(); });
    if (bound_count == n) break;
    if (Clock::now() >= deadline) break;
    if (watch_closed) {
      lock.unlock();
      watch.reset();
      watch_closed = false;
      watch = start_watch();
      continue;
    }
    if (Clock::now() - last_report_time >= std::chrono::seconds(10) && bound_count != last_reported) {
      std::cerr << "dra_e2e: " << bound_count << "/" << n << " bound after " << Ms(Clock::now() - t0) / 1000
                << " s\n";
      last_reported = bound_count;
      last_report_time = Clock::now();
    }
  }
  watch->Stop();

  Clock::time_point t_last = t0;
  std::vector<double> latency_ms, create_ms;
  for (int i = 0; i < n; ++i) {
    create_ms.push_back(Ms(create_done[i] - create_start[i]));
    if (!bound[i]) continue;
    t_last = std::max(t_last, bound_at[i]);
    latency_ms.push_back(Ms(bound_at[i] - create_start[i]));
  }
  double total_s = Ms(t_last - t0) / 1000;
  double create_s = Ms(t_created - t0) / 1000;
  int claims_count = -1;
  if (o.mode != "plain") {
    auto claims = c.List(kClaims, o.ns, {});
    if (claims.ok()) claims_count = static_cast<int>(claims->items.size());
  }

  Json out = {{"mode", o.mode},
              {"pods", n},
              {"bound", bound_count},
              {"nodes", nodes->items.size()},
              {"slices", slices->items.size()},
              {"devices", devices},
              {"threads", o.threads},
              {"create_errors", create_errors.load()},
              {"create_seconds", create_s},
              {"create_per_s", create_s > 0 ? n / create_s : 0},
              {"create_p50_ms", Percentile(create_ms, 0.50)},
              {"create_p99_ms", Percentile(create_ms, 0.99)},
              {"seconds", total_s},
              {"pods_per_s", total_s > 0 ? bound_count / total_s : 0},
              {"latency_p50_ms", Percentile(latency_ms, 0.50)},
              {"latency_p99_ms", Percentile(latency_ms, 0.99)},
              {"latency_max_ms", Percentile(latency_ms, 1.0)},
              {"unschedulable_events", unschedulable_events},
              {"first_unschedulable", first_unschedulable},
              {"claims", claims_count}};
  std::cerr << "dra_e2e: " << o.mode << ": " << bound_count << "/" << n << " pods bound in " << total_s << " s = "
            << out["pods_per_s"].get<double>() << " pods/s (creates took " << create_s << " s); create->bound p50 "
            << out["latency_p50_ms"].get<double>() << " ms, p99 " << out["latency_p99_ms"].get<double>() << " ms\n";
  std::cout << out.dump() << std::endl;
  return bound_count == n ? 0 : 2;
}
