#pragma once
// EventRecorder collects watch events for tests: Sink() feeds it, WaitFor() blocks until a
// number of events arrived (bounded by a generous deadline so a bug fails instead of hangs).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "storage/store.h"

namespace haru::storage {

class EventRecorder {
 public:
  EventSink Sink() {
    return [this](const std::shared_ptr<const Event>& e) {
      std::lock_guard<std::mutex> l(mu_);
      events_.push_back(e);
      cv_.notify_all();
      return true;
    };
  }

  // True when at least n events arrived.
  bool WaitFor(size_t n, std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
    std::unique_lock<std::mutex> l(mu_);
    return cv_.wait_for(l, deadline, [&] { return events_.size() >= n; });
  }

  std::vector<std::shared_ptr<const Event>> events() {
    std::lock_guard<std::mutex> l(mu_);
    return events_;
  }
  size_t size() {
    std::lock_guard<std::mutex> l(mu_);
    return events_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<const Event>> events_;
};

}  // namespace haru::storage
