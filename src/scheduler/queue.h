#pragma once
// The scheduling queue (upstream's PriorityQueue, simplified): pods waiting to be scheduled sit
// in one of three places.
//   active:        ready now; popped by priority, then first in first out
//   backoff:       failed recently; wait min(initial * 2^(attempts-1), max) since the failure
//   unschedulable: rejected; wait for a cluster event that could help (a node added or
//                  changed, a pod deleted, a claim/slice/class change), or at most
//                  `max_unschedulable` before being retried anyway
// A pod being scheduled is "in flight"; if a helpful event arrives meanwhile and the pod is
// then rejected, it goes to backoff instead of unschedulable, so no event is lost.
//
// Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "scheduler/framework/types.h"

namespace haru::scheduler {

// Which filters rejected a pod, and which a cluster event may help.
enum EventMask : uint32_t {
  kHelpsNone = 0,
  kHelpsNodes = 1,      // node added or changed: every filter
  kHelpsResources = 2,  // a pod left a node
  kHelpsDra = 4,        // a claim, slice, class or taint rule changed
  kHelpsAll = 0xffffffff,
};

struct QueueOptions {
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{10000};
  std::chrono::milliseconds max_unschedulable{5 * 60 * 1000};
};

class SchedulingQueue {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SchedulingQueue(QueueOptions options = {});

  // A pending pod appeared or changed. New pods go to active; a pod waiting in
  // unschedulable or backoff moves to active (if its backoff is over) or backoff.
  void AddOrUpdate(std::shared_ptr<PodInfo> pod);
  // The pod is gone, bound elsewhere, or no longer ours.
  void Delete(const std::string& key);

  struct Popped {
    std::shared_ptr<PodInfo> pod;
    int attempts = 0;
    int64_t cycle = 0;
  };
  // Blocks until a pod is ready or Close(); returns no pod after Close().
  Popped Pop();
  // Non-blocking variant (tests).
  bool TryPop(Popped* out);

  // After a scheduling attempt that found a node: the pod leaves the queue.
  void Done(const std::string& key);
  // After a rejection: `mask` says which events could help.
  void AddUnschedulable(const Popped& popped, uint32_t mask);
  // After an error (API failure, conflict): retry after backoff.
  void AddBackoff(const Popped& popped);

  // A cluster event: unschedulable pods it may help move to backoff or active.
  void OnClusterEvent(uint32_t mask);

  void Close();

  struct Counts {
    size_t active = 0, backoff = 0, unschedulable = 0, in_flight = 0;
  };
  Counts counts() const;

 private:
  enum class Where { kActive, kBackoff, kUnschedulable, kInFlight };
  struct Entry {
    std::shared_ptr<PodInfo> pod;
    Where where = Where::kActive;
    int attempts = 0;
    Clock::time_point last_failure{};
    Clock::time_point unschedulable_since{};
    uint32_t mask = 0;
    int64_t seq = 0;
    bool deleted_in_flight = false;
    bool updated_in_flight = false;
  };
  using ActiveKey = std::tuple<int32_t, int64_t, std::string>;  // -priority, seq, key

  Clock::time_point BackoffExpiry(const Entry& e) const;
  void ToActive(const std::string& key, Entry& e);
  void ToBackoffOrActive(const std::string& key, Entry& e, Clock::time_point now);
  void Unlink(const std::string& key, Entry& e);
  // The in-flight entry of a pod coming back from a scheduling attempt, unlinked; null when it
  // is not in flight, or was deleted meanwhile or the queue closed (then it is erased).
  // REQUIRES: mu_ held.
  Entry* ReturnFromFlight(const std::string& key);
  void FlushLocked(Clock::time_point now);
  bool PopLocked(Popped* out);

  QueueOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool closed_ = false;
  int64_t seq_ = 0;
  int64_t cycle_ = 0;
  int64_t move_request_cycle_ = -1;
  std::unordered_map<std::string, Entry> entries_;
  std::set<ActiveKey> active_;
  std::set<std::pair<Clock::time_point, std::string>> backoff_;
  std::set<std::string> unschedulable_;
  size_t in_flight_ = 0;
  Clock::time_point last_unschedulable_flush_{};
};

}  // namespace haru::scheduler
