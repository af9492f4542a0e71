#include "scheduler/internal/workers.h"

#include <algorithm>

namespace haru::scheduler::internal {

TaskPool::TaskPool(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Run(); });
}

TaskPool::~TaskPool() { Stop(); }

void TaskPool::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      tasks_.push_back(std::move(task));
      cv_.notify_one();
      return;
    }
  }
  task();
}

void TaskPool::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    cv_.notify_all();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

size_t TaskPool::pending() const {
  std::lock_guard lock(mu_);
  return tasks_.size();
}

void TaskPool::Run() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopped_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopped and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

Parallelizer::Parallelizer(int threads) {
  for (int i = 1; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

Parallelizer::~Parallelizer() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }
  for (auto& t : threads_) t.join();
}

void Parallelizer::Work(Job* job) {
  while (true) {
    int start = job->next.fetch_add(job->chunk);
    if (start >= job->n) break;
    int end = std::min(job->n, start + job->chunk);
    for (int i = start; i < end; ++i) (*job->fn)(i);
  }
}

void Parallelizer::Run() {
  int64_t seen = 0;
  while (true) {
    Job* job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopped_ || (job_ && generation_ != seen); });
      if (stopped_) return;
      seen = generation_;
      job = job_;
      job->active.fetch_add(1);
    }
    Work(job);
    if (job->active.fetch_sub(1) == 1) {
      std::lock_guard lock(mu_);
      done_cv_.notify_all();
    }
  }
}

void Parallelizer::For(int n, const std::function<void(int)>& fn) {
  if (n <= 0) return;
  if (threads_.empty() || n < 64) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  Job job;
  job.fn = &fn;
  job.n = n;
  job.chunk = std::max(1, n / (static_cast<int>(threads_.size() + 1) * 4));
  job.active = 1;  // the caller
  {
    std::lock_guard lock(mu_);
    job_ = &job;
    ++generation_;
    cv_.notify_all();
  }
  Work(&job);
  std::unique_lock lock(mu_);
  job.active.fetch_sub(1);
  job_ = nullptr;  // no new helper joins after this point
  done_cv_.wait(lock, [&] { return job.active.load() == 0; });
}

}  // namespace haru::scheduler::internal
