#pragma once
// Two small thread helpers private to the scheduler: a task pool (binding and status writes)
// and a parallel-for over node indexes (filtering).

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace haru::scheduler::internal {

// A fixed set of threads running submitted tasks in order of submission.
class TaskPool {
 public:
  explicit TaskPool(int threads);
  ~TaskPool();
  void Submit(std::function<void()> task);
  // Runs what is queued, then joins the threads; later Submits run inline.
  void Stop();
  size_t pending() const;

 private:
  void Run();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

// Runs fn(i) for i in [0, n) on `threads` threads (the caller is one of them).
class Parallelizer {
 public:
  explicit Parallelizer(int threads);
  ~Parallelizer();
  void For(int n, const std::function<void(int)>& fn);

 private:
  struct Job {
    const std::function<void(int)>* fn = nullptr;
    int n = 0;
    int chunk = 1;
    std::atomic<int> next{0};
    std::atomic<int> active{0};
  };
  void Work(Job* job);
  void Run();

  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  Job* job_ = nullptr;
  int64_t generation_ = 0;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace haru::scheduler::internal
