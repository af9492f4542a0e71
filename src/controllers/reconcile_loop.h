#pragma once
// A controller thread: calls `reconcile` every `period` until stopped, and right away when
// poked. Small and shared by the controllers in this folder.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace haru::controllers {

class ReconcileLoop {
 public:
  ReconcileLoop(std::chrono::milliseconds period, std::function<void()> reconcile)
      : period_(period), reconcile_(std::move(reconcile)), thread_([this] { Run(); }) {}
  ~ReconcileLoop() { Stop(); }

  void Poke() {
    std::lock_guard lock(mu_);
    poked_ = true;
    cv_.notify_one();
  }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      stopped_ = true;
      cv_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (!stopped_) {
      cv_.wait_for(lock, period_, [this] { return stopped_ || poked_; });
      if (stopped_) break;
      poked_ = false;
      lock.unlock();
      reconcile_();
      lock.lock();
    }
  }

  std::chrono::milliseconds period_;
  std::function<void()> reconcile_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace haru::controllers
