#include "node/sim/executor.h"

#include <algorithm>

namespace haru::node::sim {

Executor::Executor(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) workers_.emplace_back([this] { Work(); });
}

Executor::~Executor() { Stop(); }

void Executor::Post(Task task) {
  std::lock_guard lock(mu_);
  if (stopped_) return;
  ready_.push_back(std::move(task));
  cv_.notify_one();
}

void Executor::PostAfter(std::chrono::milliseconds delay, Task task) {
  if (delay.count() <= 0) {
    Post(std::move(task));
    return;
  }
  std::lock_guard lock(mu_);
  if (stopped_) return;
  timers_.push(Timed{Clock::now() + delay, seq_++, std::move(task)});
  // Wake everyone: a sleeping worker may be waiting for a later deadline.
  cv_.notify_all();
}

void Executor::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_ && workers_.empty()) return;
    stopped_ = true;
    ready_.clear();
    while (!timers_.empty()) timers_.pop();
    cv_.notify_all();
  }
  for (std::thread& t : workers_) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
  workers_.clear();
}

size_t Executor::Pending() const {
  std::lock_guard lock(mu_);
  return ready_.size() + timers_.size();
}

void Executor::Work() {
  std::unique_lock lock(mu_);
  while (true) {
    if (stopped_) return;
    Clock::time_point now = Clock::now();
    while (!timers_.empty() && timers_.top().at <= now) {
      // priority_queue::top is const; the task is moved out through a const_cast before pop,
      // which is safe because pop never reads the moved-from function.
      ready_.push_back(std::move(const_cast<Timed&>(timers_.top()).task));
      timers_.pop();
    }
    if (!ready_.empty()) {
      Task task = std::move(ready_.front());
      ready_.pop_front();
      if (!ready_.empty()) cv_.notify_one();
      lock.unlock();
      task();
      task = nullptr;  // destroy captures outside the lock
      lock.lock();
      continue;
    }
    if (timers_.empty()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, timers_.top().at);
    }
  }
}

}  // namespace haru::node::sim
