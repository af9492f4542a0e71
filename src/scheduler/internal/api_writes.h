#pragma once
// The scheduler's writes to the API (private to the scheduler): claim allocation and
// reservation, pods/binding, the PodScheduled condition, and events. Each retries on Conflict
// with a fresh read and returns the final Status. Thread-safe (the client is).

#include <mutex>
#include <string>
#include <unordered_map>

#include "client/client.h"
#include "common/json.h"

namespace haru::scheduler::internal {

inline constexpr char kDeleteProtectionFinalizer[] = "resource.kubernetes.io/delete-protection";

struct PodRef {
  std::string ns, name, uid;
};

// Writes `allocation` (null: the claim is already allocated) and adds the pod to
// status.reservedFor. `cached` is the claim as the scheduler last saw it (first attempt).
// Conflict when somebody else allocated the claim differently.
Status AllocateAndReserveClaim(client::Client* client, const Json& cached, const Json& allocation, const PodRef& pod);

// Best effort: removes the pod from the claim's reservedFor (after a failed binding).
void UnreserveClaim(client::Client* client, const std::string& ns, const std::string& name, const PodRef& pod);

// POST pods/<name>/binding.
Status BindPod(client::Client* client, const PodRef& pod, const std::string& node);

// Sets PodScheduled=False with `reason` and `message` unless it already says so, or the pod is
// gone or bound.
Status SetUnschedulableCondition(client::Client* client, const PodRef& pod, const std::string& reason,
                                 const std::string& message);

// core/v1 Events from `component`. Repeats of the same (pod, reason, message) bump the first
// event's count instead of creating new ones, like upstream's event correlator.
class EventRecorder {
 public:
  EventRecorder(client::Client* client, std::string component);
  void Record(const PodRef& pod, const std::string& type, const std::string& reason, const std::string& message);
  // Forgets what was recorded for the pod (it was bound or deleted).
  void Forget(const std::string& pod_key);

 private:
  struct Last {
    std::string reason, message, event_name;
    int64_t count = 0;
  };
  client::Client* client_;
  std::string component_;
  std::mutex mu_;
  std::unordered_map<std::string, Last> last_;
};

std::string NowRfc3339();

}  // namespace haru::scheduler::internal
