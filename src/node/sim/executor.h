#pragma once
// Executor: a few worker threads running posted tasks, now or after a delay. The simulated
// fleet runs every node's timers (lease renewals, heartbeats, pod completions, retries) on one
// of these, so thousands of nodes cost heap entries, not threads.
//
// Thread-safe: Post/PostAfter may be called from any thread, tasks included. After Stop()
// returns no task runs again; tasks still queued are dropped.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace haru::node::sim {

class Executor {
 public:
  using Task = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  // REQUIRES: threads >= 1.
  explicit Executor(int threads);
  ~Executor();  // Stop()

  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  void Post(Task task);
  void PostAfter(std::chrono::milliseconds delay, Task task);
  // Waits for running tasks to finish and joins the workers. Idempotent.
  void Stop();
  // Tasks waiting to run (ready or timed).
  size_t Pending() const;

 private:
  struct Timed {
    Clock::time_point at;
    uint64_t seq;  // FIFO among equal deadlines
    Task task;
    bool operator>(const Timed& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  void Work();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> ready_;                                                      // GUARDED_BY(mu_)
  std::priority_queue<Timed, std::vector<Timed>, std::greater<Timed>> timers_;  // GUARDED_BY(mu_)
  uint64_t seq_ = 0;                                                            // GUARDED_BY(mu_)
  bool stopped_ = false;                                                        // GUARDED_BY(mu_)
  std::vector<std::thread> workers_;
};

}  // namespace haru::node::sim
