#include "scheduler/queue.h"

#include <algorithm>

namespace haru::scheduler {

SchedulingQueue::SchedulingQueue(QueueOptions options) : options_(options) {}

SchedulingQueue::Clock::time_point SchedulingQueue::BackoffExpiry(const Entry& e) const {
  if (e.attempts <= 0) return e.last_failure;
  auto d = options_.initial_backoff;
  for (int i = 1; i < e.attempts && d < options_.max_backoff; ++i) d *= 2;
  return e.last_failure + std::min(d, options_.max_backoff);
}

void SchedulingQueue::Unlink(const std::string& key, Entry& e) {
  switch (e.where) {
    case Where::kActive:
      active_.erase({-e.pod->priority, e.seq, key});
      break;
    case Where::kBackoff:
      backoff_.erase({BackoffExpiry(e), key});
      break;
    case Where::kUnschedulable:
      unschedulable_.erase(key);
      break;
    case Where::kInFlight:
      --in_flight_;
      break;
  }
}

void SchedulingQueue::ToActive(const std::string& key, Entry& e) {
  e.where = Where::kActive;
  e.seq = ++seq_;
  active_.insert({-e.pod->priority, e.seq, key});
  cv_.notify_one();
}

void SchedulingQueue::ToBackoffOrActive(const std::string& key, Entry& e, Clock::time_point now) {
  auto expiry = BackoffExpiry(e);
  if (expiry <= now) {
    ToActive(key, e);
  } else {
    e.where = Where::kBackoff;
    backoff_.insert({expiry, key});
    cv_.notify_one();  // the popper may need to wait less
  }
}

void SchedulingQueue::AddOrUpdate(std::shared_ptr<PodInfo> pod) {
  std::lock_guard lock(mu_);
  if (closed_) return;
  std::string key = pod->Key();
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    Entry& e = entries_[key];
    e.pod = std::move(pod);
    ToActive(key, e);
    return;
  }
  Entry& e = it->second;
  switch (e.where) {
    case Where::kInFlight:
      e.pod = std::move(pod);
      e.updated_in_flight = true;
      break;
    case Where::kActive:
      Unlink(key, e);
      e.pod = std::move(pod);
      active_.insert({-e.pod->priority, e.seq, key});
      break;
    case Where::kBackoff:
      e.pod = std::move(pod);  // the backoff key does not depend on the pod
      break;
    case Where::kUnschedulable:
      Unlink(key, e);
      e.pod = std::move(pod);
      ToBackoffOrActive(key, e, Clock::now());
      break;
  }
}

void SchedulingQueue::Delete(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (it->second.where == Where::kInFlight) {
    it->second.deleted_in_flight = true;
    return;
  }
  Unlink(key, it->second);
  entries_.erase(it);
}

void SchedulingQueue::FlushLocked(Clock::time_point now) {
  while (!backoff_.empty() && backoff_.begin()->first <= now) {
    std::string key = backoff_.begin()->second;
    backoff_.erase(backoff_.begin());
    auto it = entries_.find(key);
    if (it != entries_.end()) ToActive(key, it->second);
  }
  if (now - last_unschedulable_flush_ < std::chrono::seconds(1)) return;
  last_unschedulable_flush_ = now;
  for (auto it = unschedulable_.begin(); it != unschedulable_.end();) {
    auto e = entries_.find(*it);
    if (e != entries_.end() && now - e->second.unschedulable_since >= options_.max_unschedulable) {
      std::string key = *it;
      it = unschedulable_.erase(it);
      ToBackoffOrActive(key, e->second, now);
    } else {
      ++it;
    }
  }
}

bool SchedulingQueue::PopLocked(Popped* out) {
  FlushLocked(Clock::now());
  if (active_.empty()) return false;
  auto first = active_.begin();
  std::string key = std::get<2>(*first);
  active_.erase(first);
  Entry& e = entries_[key];
  e.where = Where::kInFlight;
  e.updated_in_flight = false;
  ++in_flight_;
  out->pod = e.pod;
  out->attempts = e.attempts;
  out->cycle = ++cycle_;
  return true;
}

SchedulingQueue::Popped SchedulingQueue::Pop() {
  std::unique_lock lock(mu_);
  Popped out;
  while (!closed_) {
    if (PopLocked(&out)) return out;
    auto wake = Clock::now() + std::chrono::seconds(1);
    if (!backoff_.empty()) wake = std::min(wake, backoff_.begin()->first);
    cv_.wait_until(lock, wake);
  }
  return out;
}

bool SchedulingQueue::TryPop(Popped* out) {
  std::lock_guard lock(mu_);
  return !closed_ && PopLocked(out);
}

void SchedulingQueue::Done(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.where != Where::kInFlight) return;
  Unlink(key, it->second);
  entries_.erase(it);
}

SchedulingQueue::Entry* SchedulingQueue::ReturnFromFlight(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.where != Where::kInFlight) return nullptr;
  Unlink(key, it->second);
  if (it->second.deleted_in_flight || closed_) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

void SchedulingQueue::AddUnschedulable(const Popped& popped, uint32_t mask) {
  std::lock_guard lock(mu_);
  std::string key = popped.pod->Key();
  Entry* entry = ReturnFromFlight(key);
  if (entry == nullptr) return;
  Entry& e = *entry;
  auto now = Clock::now();
  e.attempts = popped.attempts + 1;
  e.last_failure = now;
  e.mask = mask;
  if (e.updated_in_flight || move_request_cycle_ >= popped.cycle) {
    ToBackoffOrActive(key, e, now);
  } else {
    e.where = Where::kUnschedulable;
    e.unschedulable_since = now;
    unschedulable_.insert(key);
  }
}

void SchedulingQueue::AddBackoff(const Popped& popped) {
  std::lock_guard lock(mu_);
  std::string key = popped.pod->Key();
  Entry* entry = ReturnFromFlight(key);
  if (entry == nullptr) return;
  Entry& e = *entry;
  e.attempts = popped.attempts + 1;
  e.last_failure = Clock::now();
  ToBackoffOrActive(key, e, e.last_failure);
}

void SchedulingQueue::OnClusterEvent(uint32_t mask) {
  std::lock_guard lock(mu_);
  move_request_cycle_ = cycle_;
  auto now = Clock::now();
  for (auto it = unschedulable_.begin(); it != unschedulable_.end();) {
    auto e = entries_.find(*it);
    if (e == entries_.end()) {
      it = unschedulable_.erase(it);
    } else if (e->second.mask & mask) {
      std::string key = *it;
      it = unschedulable_.erase(it);
      ToBackoffOrActive(key, e->second, now);
    } else {
      ++it;
    }
  }
}

void SchedulingQueue::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

SchedulingQueue::Counts SchedulingQueue::counts() const {
  std::lock_guard lock(mu_);
  return {active_.size(), backoff_.size(), unschedulable_.size(), in_flight_};
}

}  // namespace haru::scheduler
