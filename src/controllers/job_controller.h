#pragma once
// The Job controller (batch/v1, upstream pkg/controller/job), over the Client.
//
// Pods are created from spec.template (generateName "<job>-", or "<job>-<index>-" for an
// Indexed Job) up to parallelism while fewer than completions succeeded, each owned by the
// Job and carrying the batch.kubernetes.io/job-tracking finalizer. A finished pod is first
// recorded in status.uncountedTerminatedPods, then loses the finalizer, then moves into the
// succeeded/failed counters, so no pod is counted twice or lost, as upstream.
//
// Conditions as upstream with the JobManagedBy/JobPodReplacementPolicy behaviour of 1.36:
// SuccessCriteriaMet then Complete (reason CompletionsReached) and completionTime;
// FailureTarget then Failed (BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy) once no
// pod is terminating; Suspended (JobSuspended / JobResumed). podFailurePolicy rules FailJob,
// Ignore and Count on exit codes and pod conditions (FailIndex counts like Count: per-index
// backoff is not implemented). Pod re-creation after failures backs off 10s·2^(n-1), at most
// 10 minutes. Events: SuccessfulCreate, FailedCreate, SuccessfulDelete, Completed, the failure
// reason, Suspended, Resumed.
//
// Not done: adopting orphan pods that match the selector, backoffLimitPerIndex /
// maxFailedIndexes, successPolicy, ttlSecondsAfterFinished, managedBy.
//
// Work follows changes: a pass syncs only the Jobs whose object or owned pods changed (pods
// indexed by their controlling Job's uid), and looks for orphans only among changed pods that
// hold the tracking finalizer; with no Jobs a pod change costs a lookup. Every resync pass
// looks at everything again.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "client/client.h"
#include "controllers/internal/cache_controller.h"
#include "controllers/internal/event_recorder.h"
#include "controllers/internal/work_queue.h"

namespace haru::controllers {

struct JobControllerOptions {
  int64_t backoff_base_seconds = 10;
  int64_t backoff_max_seconds = 600;
};

class JobController : public CacheController {
 public:
  explicit JobController(client::Client* client, NowFn now = nullptr, JobControllerOptions options = {});
  ~JobController() override { Stop(); }
  void Sync() override;

 private:
  struct Backoff {
    int64_t failures = 0;
    int64_t last_failure = 0;
  };
  // Returns false when a write failed and the Job should be synced again.
  bool SyncJob(const Json& job, const std::vector<ObjectPtr>& pods);
  // Removes the tracking finalizer from pods whose Job is gone or finished; returns the keys
  // of the pods to look at again (a write or a read failed).
  std::set<std::string> ReleaseOrphans(const std::vector<ObjectPtr>& pods);
  // Syncs the Job being synced again at `unix_seconds`.
  void RequeueAt(int64_t unix_seconds);
  void OnPod(const ObjectPtr& before, const ObjectPtr& after);
  bool RemoveTrackingFinalizer(const Json& pod);
  bool DeletePod(const Json& job, const Json& pod, bool remove_finalizer_first);

  JobControllerOptions options_;
  ObjectCache* jobs_;
  ObjectCache* pods_;
  EventRecorder events_;
  std::map<std::string, Backoff> backoff_;  // by Job uid
  // Pods ("ns/name") by the uid of their controlling Job.
  std::unordered_map<std::string, std::set<std::string>> pods_by_job_;
  WorkQueue job_queue_;
  std::set<std::string> orphan_candidates_;  // pods ("ns/name") holding the tracking finalizer
  std::string syncing_;                      // the Job SyncJob is working on
};

}  // namespace haru::controllers
