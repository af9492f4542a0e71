#include "common/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace haru::metrics {

enum EntryType { kCounter = 0, kGauge = 1, kHistogram = 2, kCallbackGauge = 3 };

struct Registry::Entry {
  std::string name;
  std::string help;
  int type;
  std::unique_ptr<CounterVec> counters;
  std::unique_ptr<GaugeVec> gauges;
  std::unique_ptr<HistogramVec> histograms;
  std::vector<std::string> callback_labels;
  std::function<std::vector<GaugeSample>()> callback;
};

namespace {

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, end);
  }
}

void AppendEscaped(std::string& out, std::string_view s, bool quote) {
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
}

// {a="x",b="y"} plus an optional extra label (le for buckets); nothing when empty.
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out.push_back('{');
  bool first = true;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (!first) out.push_back(',');
    first = false;
    out += names[i];
    out += "=\"";
    AppendEscaped(out, values[i], true);
    out.push_back('"');
  }
  if (!extra_name.empty()) {
    if (!first) out.push_back(',');
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out.push_back('"');
  }
  out.push_back('}');
}

void AppendHeader(std::string& out, const std::string& name, const std::string& help,
                  std::string_view type) {
  out += "# HELP ";
  out += name;
  out.push_back(' ');
  AppendEscaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out.push_back(' ');
  out += type;
  out.push_back('\n');
}

template <typename M>
std::vector<std::pair<std::vector<std::string>, const M*>> Snapshot(
    const std::map<std::vector<std::string>, std::unique_ptr<M>>& metrics) {
  std::vector<std::pair<std::vector<std::string>, const M*>> out;
  out.reserve(metrics.size());
  for (const auto& [labels, m] : metrics) out.emplace_back(labels, m.get());
  return out;
}

}  // namespace

Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds->size() + 1]) {
  for (size_t i = 0; i <= bounds_->size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double v) {
  size_t i = static_cast<size_t>(std::lower_bound(bounds_->begin(), bounds_->end(), v) -
                                 bounds_->begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_->size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_->size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

template <typename M>
M* Family<M>::WithLabels(const std::vector<std::string>& values) {
  std::lock_guard lock(mu_);
  auto it = metrics_.find(values);
  if (it != metrics_.end()) return it->second.get();
  std::unique_ptr<M> m;
  if constexpr (std::is_same_v<M, Histogram>) {
    m = std::make_unique<Histogram>(&bounds_);
  } else {
    m = std::make_unique<M>();
  }
  M* raw = m.get();
  metrics_.emplace(values, std::move(m));
  return raw;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry* Registry::FindOrAdd(const std::string& name, const std::string& help, int type) {
  std::lock_guard lock(mu_);
  auto& slot = entries_[name];
  if (!slot) {
    slot = std::make_unique<Entry>();
    slot->name = name;
    slot->help = help;
    slot->type = type;
  }
  return slot->type == type ? slot.get() : nullptr;
}

CounterVec* Registry::NewCounterVec(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  Entry* e = FindOrAdd(name, help, kCounter);
  if (e == nullptr) return nullptr;  // registered with another type
  std::lock_guard lock(mu_);
  if (!e->counters) e->counters.reset(new CounterVec(std::move(label_names)));
  return e->counters.get();
}

GaugeVec* Registry::NewGaugeVec(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names) {
  Entry* e = FindOrAdd(name, help, kGauge);
  if (e == nullptr) return nullptr;
  std::lock_guard lock(mu_);
  if (!e->gauges) e->gauges.reset(new GaugeVec(std::move(label_names)));
  return e->gauges.get();
}

HistogramVec* Registry::NewHistogramVec(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bounds) {
  Entry* e = FindOrAdd(name, help, kHistogram);
  if (e == nullptr) return nullptr;
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::erase_if(bounds, [](double b) { return std::isinf(b) || std::isnan(b); });
  std::lock_guard lock(mu_);
  if (!e->histograms) {
    e->histograms.reset(new HistogramVec(std::move(label_names), std::move(bounds)));
  }
  return e->histograms.get();
}

Counter* Registry::NewCounter(const std::string& name, const std::string& help) {
  CounterVec* v = NewCounterVec(name, help, {});
  return v ? v->WithLabels(std::vector<std::string>{}) : nullptr;
}

Gauge* Registry::NewGauge(const std::string& name, const std::string& help) {
  GaugeVec* v = NewGaugeVec(name, help, {});
  return v ? v->WithLabels(std::vector<std::string>{}) : nullptr;
}

Histogram* Registry::NewHistogram(const std::string& name, const std::string& help,
                                  std::vector<double> bounds) {
  HistogramVec* v = NewHistogramVec(name, help, {}, std::move(bounds));
  return v ? v->WithLabels(std::vector<std::string>{}) : nullptr;
}

void Registry::AddGaugeCallback(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names,
                                std::function<std::vector<GaugeSample>()> callback) {
  Entry* e = FindOrAdd(name, help, kCallbackGauge);
  if (e == nullptr) return;
  std::lock_guard lock(mu_);
  e->callback_labels = std::move(label_names);
  e->callback = std::move(callback);
}

std::string Registry::RenderPrometheusText() const {
  // Copy what is needed under the lock; run callbacks and format outside it.
  struct Item {
    const Entry* entry;
    const CounterVec* counters;
    const GaugeVec* gauges;
    const HistogramVec* histograms;
    std::function<std::vector<GaugeSample>()> callback;
    std::vector<std::string> callback_labels;
  };
  std::vector<Item> items;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, e] : entries_) {
      items.push_back({e.get(), e->counters.get(), e->gauges.get(), e->histograms.get(),
                       e->callback, e->callback_labels});
    }
  }
  std::string out;
  for (const auto& item : items) {
    const Entry& e = *item.entry;
    switch (e.type) {
      case kCounter:
      case kGauge: {
        AppendHeader(out, e.name, e.help, e.type == kCounter ? "counter" : "gauge");
        auto emit = [&](const auto& family) {
          if (!family) return;
          std::lock_guard lock(family->mu_);
          for (const auto& [labels, m] : family->metrics_) {
            out += e.name;
            AppendLabels(out, family->label_names_, labels);
            out.push_back(' ');
            AppendNumber(out, m->value());
            out.push_back('\n');
          }
        };
        if (e.type == kCounter) {
          emit(item.counters);
        } else {
          emit(item.gauges);
        }
        break;
      }
      case kHistogram: {
        AppendHeader(out, e.name, e.help, "histogram");
        if (item.histograms == nullptr) break;
        const HistogramVec& family = *item.histograms;
        std::lock_guard lock(family.mu_);
        for (const auto& [labels, h] : family.metrics_) {
          std::vector<uint64_t> counts = h->CumulativeCounts();
          for (size_t i = 0; i < counts.size(); ++i) {
            std::string le;
            if (i < family.bounds_.size()) {
              AppendNumber(le, family.bounds_[i]);
            } else {
              le = "+Inf";
            }
            out += e.name;
            out += "_bucket";
            AppendLabels(out, family.label_names_, labels, "le", le);
            out.push_back(' ');
            out += std::to_string(counts[i]);
            out.push_back('\n');
          }
          out += e.name;
          out += "_sum";
          AppendLabels(out, family.label_names_, labels);
          out.push_back(' ');
          AppendNumber(out, h->sum());
          out.push_back('\n');
          out += e.name;
          out += "_count";
          AppendLabels(out, family.label_names_, labels);
          out.push_back(' ');
          out += std::to_string(counts.back());
          out.push_back('\n');
        }
        break;
      }
      case kCallbackGauge: {
        AppendHeader(out, e.name, e.help, "gauge");
        if (!item.callback) break;
        std::vector<GaugeSample> samples = item.callback();
        std::sort(samples.begin(), samples.end());
        for (const auto& [labels, value] : samples) {
          out += e.name;
          AppendLabels(out, item.callback_labels, labels);
          out.push_back(' ');
          AppendNumber(out, value);
          out.push_back('\n');
        }
        break;
      }
    }
  }
  return out;
}

Registry& DefaultRegistry() {
  static Registry* registry = new Registry();  // never destroyed: used until exit
  return *registry;
}

std::vector<double> DefaultBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
  std::vector<double> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(start);
    start *= factor;
  }
  return out;
}

const ApiserverMetrics& Apiserver() {
  static const ApiserverMetrics* metrics = [] {
    Registry& r = DefaultRegistry();
    auto* m = new ApiserverMetrics{
        r.NewCounterVec("apiserver_request_total",
                        "Counter of apiserver requests broken out for each verb, resource and "
                        "HTTP response code.",
                        {"verb", "resource", "code"}),
        // Upstream's buckets for this histogram.
        r.NewHistogramVec("apiserver_request_duration_seconds",
                          "Response latency distribution in seconds for each verb and resource.",
                          {"verb", "resource"},
                          {0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4,
                           5, 6, 8, 10, 15, 20, 30, 45, 60}),
        r.NewGaugeVec("apiserver_longrunning_requests",
                      "Gauge of all active long-running apiserver requests (watches) broken out "
                      "by verb and resource.",
                      {"verb", "resource"}),
        r.NewHistogram("haru_storage_commit_duration_seconds",
                       "Latency of storage commits (one group commit, fsync included) in seconds.",
                       ExponentialBuckets(0.0001, 2, 16)),
    };
    return m;
  }();
  return *metrics;
}

}  // namespace haru::metrics
