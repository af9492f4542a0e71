#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the
// text exposition format (version 0.0.4). Thread-safe. Updating a metric is a few relaxed
// atomics: look the label set up once with WithLabels() and keep the returned pointer (it
// stays valid as long as the registry). Registering a name twice returns the same family.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace haru::metrics {

class Counter {
 public:
  void Inc(double v = 1) { value_.fetch_add(v, std::memory_order_relaxed); }  // REQUIRES: v >= 0
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Inc() { Add(1); }
  void Dec() { Add(-1); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds);
  void Observe(double v);
  // Cumulative counts per bound (then +Inf), sum, count.
  std::vector<uint64_t> CumulativeCounts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  const std::vector<double>* bounds_;  // owned by the family
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_->size() + 1 (+Inf)
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// A metric family: one metric per label-value tuple.
template <typename M>
class Family {
 public:
  // The metric for these label values (in label-name order); created on first use.
  // REQUIRES: values.size() == number of label names.
  M* WithLabels(const std::vector<std::string>& values);
  M* WithLabels(std::initializer_list<std::string> values) {
    return WithLabels(std::vector<std::string>(values));
  }

 private:
  friend class Registry;
  Family(std::vector<std::string> label_names, std::vector<double> bounds = {})
      : label_names_(std::move(label_names)), bounds_(std::move(bounds)) {}

  std::vector<std::string> label_names_;
  std::vector<double> bounds_;  // histograms only
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<M>> metrics_;
};

using CounterVec = Family<Counter>;
using GaugeVec = Family<Gauge>;
using HistogramVec = Family<Histogram>;

// One sample of a callback gauge: label values and value.
using GaugeSample = std::pair<std::vector<std::string>, double>;

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  CounterVec* NewCounterVec(const std::string& name, const std::string& help,
                            std::vector<std::string> label_names);
  GaugeVec* NewGaugeVec(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names);
  HistogramVec* NewHistogramVec(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names, std::vector<double> bounds);
  Counter* NewCounter(const std::string& name, const std::string& help);
  Gauge* NewGauge(const std::string& name, const std::string& help);
  Histogram* NewHistogram(const std::string& name, const std::string& help,
                          std::vector<double> bounds);
  // A gauge computed at scrape time (e.g. apiserver_storage_objects). The callback runs
  // during RenderPrometheusText, without registry locks held. Replaces an earlier one.
  void AddGaugeCallback(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names,
                        std::function<std::vector<GaugeSample>()> callback);

  // Families sorted by name, label sets sorted, in the Prometheus text format.
  std::string RenderPrometheusText() const;

 private:
  struct Entry;
  Entry* FindOrAdd(const std::string& name, const std::string& help, int type);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
};

// The process-wide registry served at /metrics.
Registry& DefaultRegistry();

// Upstream's default buckets (prometheus DefBuckets) and exponential buckets.
std::vector<double> DefaultBuckets();
std::vector<double> ExponentialBuckets(double start, double factor, int count);

// The families the API server reports, registered in DefaultRegistry() on first use.
// apiserver_storage_objects{resource} is a callback gauge: register it with AddGaugeCallback.
struct ApiserverMetrics {
  CounterVec* request_total;                 // apiserver_request_total{verb,resource,code}
  HistogramVec* request_duration_seconds;    // apiserver_request_duration_seconds{verb,resource}
  GaugeVec* longrunning_requests;            // apiserver_longrunning_requests{verb,resource}
  Histogram* storage_commit_duration_seconds;  // haru_storage_commit_duration_seconds
};
const ApiserverMetrics& Apiserver();

}  // namespace haru::metrics
