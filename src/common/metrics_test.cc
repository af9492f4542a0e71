#include "common/metrics.h"

#include <thread>

#include <gtest/gtest.h>

namespace haru::metrics {
namespace {

TEST(Metrics, RendersCounterWithLabels) {
  Registry r;
  CounterVec* total = r.NewCounterVec("apiserver_request_total", "Requests.", {"verb", "code"});
  total->WithLabels({"GET", "200"})->Inc();
  total->WithLabels({"GET", "200"})->Inc(2);
  total->WithLabels({"LIST", "500"})->Inc();
  EXPECT_EQ(r.RenderPrometheusText(),
            "# HELP apiserver_request_total Requests.\n"
            "# TYPE apiserver_request_total counter\n"
            "apiserver_request_total{verb=\"GET\",code=\"200\"} 3\n"
            "apiserver_request_total{verb=\"LIST\",code=\"500\"} 1\n");
}

TEST(Metrics, SameNameReturnsSameFamily) {
  Registry r;
  EXPECT_EQ(r.NewCounterVec("a", "h", {"x"}), r.NewCounterVec("a", "h", {"x"}));
  EXPECT_EQ(r.NewGaugeVec("a", "h", {"x"}), nullptr);  // another type
}

TEST(Metrics, RendersHistogramBuckets) {
  Registry r;
  Histogram* h = r.NewHistogram("lat_seconds", "Latency.", {0.1, 1});
  h->Observe(0.05);
  h->Observe(0.5);
  h->Observe(5);
  EXPECT_EQ(r.RenderPrometheusText(),
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{le=\"0.1\"} 1\n"
            "lat_seconds_bucket{le=\"1\"} 2\n"
            "lat_seconds_bucket{le=\"+Inf\"} 3\n"
            "lat_seconds_sum 5.55\n"
            "lat_seconds_count 3\n");
}

TEST(Metrics, GaugeCallbackAndEscaping) {
  Registry r;
  r.AddGaugeCallback("apiserver_storage_objects", "Objects.", {"resource"}, [] {
    return std::vector<GaugeSample>{{{"pods"}, 3}, {{"a\"b"}, 1}};
  });
  Gauge* g = r.NewGauge("open", "Open.");
  g->Inc();
  g->Inc();
  g->Dec();
  EXPECT_EQ(r.RenderPrometheusText(),
            "# HELP apiserver_storage_objects Objects.\n"
            "# TYPE apiserver_storage_objects gauge\n"
            "apiserver_storage_objects{resource=\"a\\\"b\"} 1\n"
            "apiserver_storage_objects{resource=\"pods\"} 3\n"
            "# HELP open Open.\n"
            "# TYPE open gauge\n"
            "open 1\n");
}

TEST(Metrics, ConcurrentUpdatesAreCounted) {
  Registry r;
  Counter* c = r.NewCounterVec("c", "h", {"l"})->WithLabels({"x"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([c] {
      for (int i = 0; i < 10000; ++i) c->Inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c->value(), 40000);
}

TEST(Metrics, ApiserverFamiliesAreInDefaultRegistry) {
  const ApiserverMetrics& m = Apiserver();
  m.request_total->WithLabels({"get", "pods", "200"})->Inc();
  m.request_duration_seconds->WithLabels({"get", "pods"})->Observe(0.01);
  m.longrunning_requests->WithLabels({"watch", "pods"})->Inc();
  m.storage_commit_duration_seconds->Observe(0.002);
  std::string text = DefaultRegistry().RenderPrometheusText();
  EXPECT_NE(text.find("apiserver_request_total{verb=\"get\",resource=\"pods\",code=\"200\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("apiserver_request_duration_seconds_bucket{verb=\"get\",resource=\"pods\","
                      "le=\"0.025\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("haru_storage_commit_duration_seconds_count 1"), std::string::npos);
}

}  // namespace
}  // namespace haru::metrics
