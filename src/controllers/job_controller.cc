#include "controllers/job_controller.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "controllers/internal/job_util.h"

namespace haru::controllers {

namespace {

// Bounds on the work one pass does for one Job (upstream's MaxPodCreateDeletePerSync and
// MaxUncountedPods), so a huge Job neither starves others nor grows its status unboundedly.
constexpr int64_t kMaxPodCreateDeletePerSync = 500;
constexpr size_t kMaxUncountedPods = 500;

struct Finish {
  std::string type;  // "" while the Job is not finished
  std::string reason;
  std::string message;
};

bool IsJobFinished(const Json& job) {
  return IsConditionTrue(job, "Complete") || IsConditionTrue(job, "Failed");
}

Json NewCondition(std::string_view type, std::string_view status, std::string_view reason,
                  std::string_view message, int64_t now) {
  std::string t = FormatTime(now);
  return {{"type", type},         {"status", status},   {"lastProbeTime", t},
          {"lastTransitionTime", t}, {"reason", reason}, {"message", message}};
}

// Upstream's ensureJobConditionStatus: sets the condition when it differs; a missing condition
// is only added when its status is not False. Returns whether anything changed.
bool EnsureCondition(Json& status, std::string_view type, std::string_view cstatus,
                     std::string_view reason, std::string_view message, int64_t now) {
  if (!status.contains("conditions") || !status["conditions"].is_array()) status["conditions"] = Json::array();
  for (Json& c : status["conditions"]) {
    if (Str(c, "type") != type) continue;
    if (Str(c, "status") == cstatus && Str(c, "reason") == reason && Str(c, "message") == message) return false;
    c = NewCondition(type, cstatus, reason, message, now);
    return true;
  }
  if (cstatus == "False") return false;
  status["conditions"].push_back(NewCondition(type, cstatus, reason, message, now));
  return true;
}

int64_t IntOr(const Json& obj, std::string_view key, int64_t fallback) {
  const Json& v = Field(obj, key);
  return v.is_number_integer() ? v.get<int64_t>() : fallback;
}

// restartPolicy OnFailure: the containers' restarts of running pods against backoffLimit.
bool PastBackoffLimitOnFailure(const Json& job, const std::vector<ObjectPtr>& pods, int64_t limit) {
  if (Str(Field(Field(Field(job, "spec"), "template"), "spec"), "restartPolicy") != "OnFailure") return false;
  int64_t restarts = 0;
  for (const ObjectPtr& p : pods) {
    std::string phase = PodPhase(*p);
    if (phase != "Running" && phase != "Pending") continue;
    for (const char* list : {"initContainerStatuses", "containerStatuses"}) {
      for (const Json& cs : Arr(Field(*p, "status"), list)) restarts += IntOr(cs, "restartCount", 0);
    }
  }
  return limit == 0 ? restarts > 0 : restarts >= limit;
}

// Which active pods go first when there are too many: unscheduled, then not ready, then the
// youngest (upstream's ActivePods ordering, simplified).
bool RemoveBefore(const Json* a, const Json* b) {
  bool sa = !Str(Field(*a, "spec"), "nodeName").empty();
  bool sb = !Str(Field(*b, "spec"), "nodeName").empty();
  if (sa != sb) return !sa;
  bool ra = IsPodReady(*a), rb = IsPodReady(*b);
  if (ra != rb) return !ra;
  return Str(Field(*a, "metadata"), "creationTimestamp") > Str(Field(*b, "metadata"), "creationTimestamp");
}

}  // namespace

JobController::JobController(client::Client* client, NowFn now, JobControllerOptions options)
    : CacheController(client, std::move(now)), options_(options), events_(client, "job-controller") {
  jobs_ = AddCache(kJobs);
  pods_ = AddCache(kPods);
}

namespace {

// The uid and key ("ns/name") of the Job controlling a pod; empty when none.
std::pair<std::string, std::string> OwningJob(const ObjectPtr& pod) {
  if (!pod) return {};
  const Json& ref = ControllerRef(*pod);
  if (Str(ref, "kind") != "Job" || Str(ref, "apiVersion") != "batch/v1") return {};
  return {Str(ref, "uid"), ObjectCache::KeyOf(Namespace(*pod), Str(ref, "name"))};
}

}  // namespace

void JobController::OnPod(const ObjectPtr& before, const ObjectPtr& after) {
  const std::string key = ObjectCache::KeyOf(after ? *after : *before);
  auto [old_uid, old_job] = OwningJob(before);
  auto [new_uid, new_job] = OwningJob(after);
  if (old_uid != new_uid && !old_uid.empty()) {
    if (auto it = pods_by_job_.find(old_uid); it != pods_by_job_.end()) {
      it->second.erase(key);
      if (it->second.empty()) pods_by_job_.erase(it);
    }
  }
  if (!new_uid.empty()) {
    if (after) {
      pods_by_job_[new_uid].insert(key);
    } else if (auto it = pods_by_job_.find(new_uid); it != pods_by_job_.end()) {
      it->second.erase(key);
      if (it->second.empty()) pods_by_job_.erase(it);
    }
  }
  if (!old_job.empty()) job_queue_.Add(old_job);
  if (!new_job.empty()) job_queue_.Add(new_job);
  if (after && HasFinalizer(*after, kJobTrackingFinalizer)) orphan_candidates_.insert(key);
}

void JobController::Sync() {
  const int64_t now = Now();
  std::vector<ObjectCache::Change> pod_changes = pods_->TakeChanges();
  std::vector<ObjectCache::Change> job_changes = jobs_->TakeChanges();
  if (TakeFullResync()) {
    pods_by_job_.clear();
    for (const ObjectPtr& p : pods_->List()) OnPod(nullptr, p);
    for (const ObjectPtr& j : jobs_->List()) job_queue_.Add(ObjectCache::KeyOf(*j));
  } else {
    for (const ObjectCache::Change& c : pod_changes) OnPod(c.before, c.after);
    for (const ObjectCache::Change& c : job_changes) {
      if (c.after) job_queue_.Add(c.key);
      // A Job finished or gone lets its pods go.
      for (const ObjectPtr& j : {c.before, c.after}) {
        if (!j) continue;
        auto it = pods_by_job_.find(Uid(*j));
        if (it != pods_by_job_.end()) orphan_candidates_.insert(it->second.begin(), it->second.end());
      }
    }
  }
  for (const std::string& key : job_queue_.Take(now)) {
    ObjectPtr job = jobs_->GetKey(key);
    if (!job) {
      job_queue_.Done(key);
      continue;
    }
    std::vector<ObjectPtr> pods;
    if (auto it = pods_by_job_.find(Uid(*job)); it != pods_by_job_.end()) {
      for (const std::string& pod_key : it->second) {
        if (ObjectPtr p = pods_->GetKey(pod_key)) pods.push_back(std::move(p));
      }
    }
    syncing_ = key;
    if (SyncJob(*job, pods)) {
      job_queue_.Done(key);
    } else {
      job_queue_.Retry(key, now);
    }
  }
  syncing_.clear();
  std::vector<ObjectPtr> candidates;
  for (const std::string& key : orphan_candidates_) {
    if (ObjectPtr p = pods_->GetKey(key)) candidates.push_back(std::move(p));
  }
  orphan_candidates_ = ReleaseOrphans(candidates);
  if (!orphan_candidates_.empty()) WakeAt(now + 1);
  if (int64_t wake = job_queue_.NextWake(); wake != INT64_MAX) WakeAt(wake);
}

void JobController::RequeueAt(int64_t unix_seconds) {
  if (!syncing_.empty()) job_queue_.AddAt(syncing_, unix_seconds);
  WakeAt(unix_seconds);
}

bool JobController::RemoveTrackingFinalizer(const Json& pod) {
  StatusOr<Json> updated = UpdateWithRetry(*client_, kPods, pod, "", [](Json& p) {
    return RemoveFinalizer(p, kJobTrackingFinalizer);
  });
  if (updated.ok()) {
    pods_->Apply(*updated);
    return true;
  }
  return updated.status().Is(StatusCode::kNotFound);
}

bool JobController::DeletePod(const Json& job, const Json& pod, bool remove_finalizer_first) {
  if (remove_finalizer_first && !RemoveTrackingFinalizer(pod)) return false;
  client::DeleteOptions options;
  options.precondition_uid = Uid(pod);
  Status s = client_->Delete(kPods, Namespace(pod), Name(pod), options);
  if (!s.ok() && !s.Is(StatusCode::kNotFound)) {
    events_.Record(job, "Warning", "FailedDelete", "Error deleting: " + s.message());
    return false;
  }
  events_.Record(job, "Normal", "SuccessfulDelete", "Deleted pod: " + Name(pod));
  return true;
}

std::set<std::string> JobController::ReleaseOrphans(const std::vector<ObjectPtr>& pods) {
  std::set<std::string> again;
  for (const ObjectPtr& p : pods) {
    if (!HasFinalizer(*p, kJobTrackingFinalizer)) continue;
    const Json& ref = ControllerRef(*p);
    if (!ref.is_null()) {
      if (Str(ref, "kind") != "Job" || Str(ref, "apiVersion") != "batch/v1") continue;
      ObjectPtr job = jobs_->Get(Namespace(*p), Str(ref, "name"));
      if (job && Uid(*job) == Str(ref, "uid")) {
        if (!IsJobFinished(*job)) continue;
      } else {
        // The cache may lag behind a Job just created; ask before letting its pod go.
        StatusOr<Json> fresh = client_->Get(kJobs, Namespace(*p), Str(ref, "name"));
        if (!fresh.ok() && !fresh.status().Is(StatusCode::kNotFound)) {
          again.insert(ObjectCache::KeyOf(*p));
          continue;
        }
        if (fresh.ok() && Uid(*fresh) == Str(ref, "uid") && !IsJobFinished(*fresh)) {
          jobs_->Apply(*fresh);
          continue;
        }
      }
    }
    if (!RemoveTrackingFinalizer(*p)) again.insert(ObjectCache::KeyOf(*p));
  }
  return again;
}

bool JobController::SyncJob(const Json& job_in, const std::vector<ObjectPtr>& pods) {
  const std::string uid = Uid(job_in);
  if (IsJobFinished(job_in)) {
    backoff_.erase(uid);
    return true;
  }
  const Json& spec = Field(job_in, "spec");
  const std::string mode = Str(spec, "completionMode");
  if (!mode.empty() && mode != "NonIndexed" && mode != "Indexed") {
    events_.Record(job_in, "Warning", "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
    return true;
  }
  const int64_t now = Now();
  const bool indexed = mode == "Indexed";
  const bool suspended = Field(spec, "suspend").is_boolean() && Field(spec, "suspend").get<bool>();
  const bool has_completions = Field(spec, "completions").is_number_integer();
  const int64_t completions = IntOr(spec, "completions", 0);
  const int64_t parallelism = IntOr(spec, "parallelism", 1);
  const int64_t backoff_limit = IntOr(spec, "backoffLimit", 6);
  const bool only_replace_failed = Str(spec, "podReplacementPolicy") == "Failed";
  const bool job_deleting = IsDeleting(job_in);
  bool create_failed = false;

  Json status = Field(job_in, "status").is_object() ? Field(job_in, "status") : Json::object();
  std::set<std::string> unc_succeeded, unc_failed;
  for (const Json& u : Arr(Field(status, "uncountedTerminatedPods"), "succeeded")) {
    if (u.is_string()) unc_succeeded.insert(u.get<std::string>());
  }
  for (const Json& u : Arr(Field(status, "uncountedTerminatedPods"), "failed")) {
    if (u.is_string()) unc_failed.insert(u.get<std::string>());
  }
  auto is_failed = [&](const Json& p) {
    std::string phase = PodPhase(p);
    if (phase == "Failed") return true;
    if (only_replace_failed) return false;
    // A pod deleted before it finished counts as failed (it may never reach Failed).
    return IsDeleting(p) && phase != "Succeeded";
  };

  std::vector<const Json*> active;
  int64_t ready = 0, terminating = 0;
  std::vector<const Json*> new_succeeded, new_failed;
  for (const ObjectPtr& p : pods) {
    const bool terminal = IsPodTerminal(*p);
    if (!terminal && !IsDeleting(*p)) {
      active.push_back(p.get());
      if (IsPodReady(*p)) ++ready;
    }
    if (IsDeleting(*p) && !terminal) ++terminating;
    if (!HasFinalizer(*p, kJobTrackingFinalizer)) continue;
    if (PodPhase(*p) == "Succeeded") {
      if (!unc_succeeded.count(Uid(*p))) new_succeeded.push_back(p.get());
    } else if (is_failed(*p) && !unc_failed.count(Uid(*p))) {
      new_failed.push_back(p.get());
    }
  }
  int64_t succeeded = IntOr(status, "succeeded", 0) + static_cast<int64_t>(new_succeeded.size() + unc_succeeded.size());
  int64_t failed = IntOr(status, "failed", 0) + static_cast<int64_t>(unc_failed.size());
  for (const Json* p : new_failed) failed += MatchPodFailurePolicy(job_in, *p).counts ? 1 : 0;

  if (!status.contains("startTime") && !suspended) status["startTime"] = FormatTime(now);
  Backoff& backoff = backoff_[uid];
  if (!new_succeeded.empty()) backoff.failures = 0;
  if (!new_failed.empty()) {
    backoff.failures += static_cast<int64_t>(new_failed.size());
    backoff.last_failure = now;
  }

  // Is the Job finished, and how?
  Finish finish;
  if (const Json& c = FindCondition(job_in, "SuccessCriteriaMet"); Str(c, "status") == "True") {
    finish = {"SuccessCriteriaMet", Str(c, "reason"), Str(c, "message")};
  } else if (const Json& f = FindCondition(job_in, "FailureTarget"); Str(f, "status") == "True") {
    finish = {"Failed", Str(f, "reason"), Str(f, "message")};
  } else if (Field(spec, "podFailurePolicy").is_object()) {
    for (const ObjectPtr& p : pods) {
      if (!is_failed(*p)) continue;
      PolicyMatch m = MatchPodFailurePolicy(job_in, *p);
      if (!m.fail_job_message.empty()) {
        finish = {"FailureTarget", "PodFailurePolicy", m.fail_job_message};
        break;
      }
    }
  }
  if (finish.type.empty()) {
    const int64_t start = ParseTime(Str(status, "startTime"));
    const Json& deadline = Field(spec, "activeDeadlineSeconds");
    if (failed > backoff_limit || PastBackoffLimitOnFailure(job_in, pods, backoff_limit)) {
      finish = {"FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"};
    } else if (deadline.is_number_integer() && start >= 0 && !suspended) {
      if (now - start >= deadline.get<int64_t>()) {
        finish = {"FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"};
      } else {
        RequeueAt(start + deadline.get<int64_t>());
      }
    }
  }
  std::set<int64_t> indexes;
  if (indexed) {
    indexes = ParseIndexes(Str(status, "completedIndexes"));
    for (const ObjectPtr& p : pods) {
      int64_t ix = CompletionIndex(*p);
      if (PodPhase(*p) == "Succeeded" && ix >= 0 && ix < completions) indexes.insert(ix);
    }
    succeeded = static_cast<int64_t>(indexes.size());
  }

  int64_t active_count = static_cast<int64_t>(active.size());
  auto remove_pods = [&](const std::vector<const Json*>& victims, bool release_first) {
    for (const Json* p : victims) {
      if (!DeletePod(job_in, *p, release_first)) continue;
      --active_count;
      ++terminating;
      if (IsPodReady(*p)) --ready;
    }
  };
  if (!finish.type.empty()) {
    const int64_t before = active_count;
    remove_pods(active, false);
    if (before - active_count != before) finish = {};  // some pods could not be deleted yet
  } else if (finish.type.empty()) {
    bool managed = false;
    if (!job_deleting) {
      managed = true;
      if (suspended) {
        remove_pods(active, true);
      } else {
        int64_t want = 0;
        if (!has_completions) {
          want = succeeded > 0 ? active_count : parallelism;
        } else {
          want = std::clamp<int64_t>(completions - succeeded, 0, parallelism);
        }
        // Pods to remove: for an Indexed Job, those without a usable or with a done or repeated
        // index; then the surplus.
        std::vector<const Json*> victims, keep;
        std::set<int64_t> held;
        for (const Json* p : active) {
          int64_t ix = CompletionIndex(*p);
          if (indexed && (ix < 0 || ix >= completions || indexes.count(ix) || !held.insert(ix).second)) {
            victims.push_back(p);
          } else {
            keep.push_back(p);
          }
        }
        int64_t surplus = static_cast<int64_t>(keep.size()) - want;
        if (surplus > 0) {
          std::sort(keep.begin(), keep.end(), RemoveBefore);
          victims.insert(victims.end(), keep.begin(), keep.begin() + surplus);
        }
        if (static_cast<int64_t>(victims.size()) > kMaxPodCreateDeletePerSync) victims.resize(kMaxPodCreateDeletePerSync);
        if (!victims.empty()) {
          remove_pods(victims, true);
        } else if (int64_t diff = want - (only_replace_failed ? terminating : 0) - active_count; diff > 0) {
          int64_t wait = 0;
          if (backoff.failures > 0) {
            int64_t delay = options_.backoff_base_seconds;
            for (int64_t i = 1; i < backoff.failures && delay < options_.backoff_max_seconds; ++i) delay *= 2;
            delay = std::min(delay, options_.backoff_max_seconds);
            wait = backoff.last_failure + delay - now;
          }
          if (wait > 0) {
            RequeueAt(now + wait);
          } else {
            diff = std::min(diff, kMaxPodCreateDeletePerSync);
            std::vector<int64_t> to_add;
            if (indexed) {
              for (int64_t i = 0; i < completions && static_cast<int64_t>(to_add.size()) < diff; ++i) {
                if (!indexes.count(i) && !held.count(i)) to_add.push_back(i);
              }
              diff = static_cast<int64_t>(to_add.size());
            }
            for (int64_t k = 0; k < diff; ++k) {
              Json pod = NewJobPod(job_in, indexed ? to_add[k] : -1);
              StatusOr<Json> created = client_->Create(kPods, Namespace(job_in), pod);
              if (!created.ok()) {
                events_.Record(job_in, "Warning", "FailedCreate", "Error creating: " + created.status().message());
                create_failed = true;
                break;  // the rest would most likely fail the same way
              }
              pods_->Apply(*created);
              events_.Record(job_in, "Normal", "SuccessfulCreate", "Created pod: " + Name(*created));
              ++active_count;
            }
          }
        }
      }
    }
    bool complete = has_completions ? (succeeded >= completions && active_count == 0)
                                    : (succeeded > 0 && active_count == 0);
    if (complete) {
      finish = {"SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"};
    } else if (managed) {
      if (suspended) {
        if (EnsureCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", now)) {
          events_.Record(job_in, "Normal", "Suspended", "Job suspended");
        }
      } else if (EnsureCondition(status, "Suspended", "False", "JobResumed", "Job resumed", now)) {
        events_.Record(job_in, "Normal", "Resumed", "Job resumed");
        // activeDeadlineSeconds counts continuous activity: it restarts on resume.
        status["startTime"] = FormatTime(now);
      }
    }
  }
  status["active"] = active_count;
  status["ready"] = std::max<int64_t>(ready, 0);
  status["terminating"] = terminating;

  // Count finished pods: uncountedTerminatedPods first, then the finalizers go, then counters.
  std::set<std::string> with_finalizer;
  for (const ObjectPtr& p : pods) {
    if (HasFinalizer(*p, kJobTrackingFinalizer)) with_finalizer.insert(Uid(*p));
  }
  std::vector<std::string> unc_s(unc_succeeded.begin(), unc_succeeded.end());
  std::vector<std::string> unc_f(unc_failed.begin(), unc_failed.end());
  std::vector<const Json*> release;
  bool reached_max = false;
  for (const ObjectPtr& p : pods) {
    if (!HasFinalizer(*p, kJobTrackingFinalizer)) continue;
    const bool considered_failed = is_failed(*p);
    const bool pod_succeeded = PodPhase(*p) == "Succeeded";
    if (!(job_deleting || !finish.type.empty() || pod_succeeded || considered_failed)) continue;
    release.push_back(p.get());
    const std::string pod_uid = Uid(*p);
    if (pod_succeeded && !unc_failed.count(pod_uid)) {
      if (!indexed && !unc_succeeded.count(pod_uid)) unc_s.push_back(pod_uid);
    } else if (considered_failed || (!finish.type.empty() && finish.type != "SuccessCriteriaMet")) {
      int64_t ix = CompletionIndex(*p);
      if (!unc_failed.count(pod_uid) && (!indexed || (ix >= 0 && ix < completions)) &&
          MatchPodFailurePolicy(job_in, *p).counts) {
        unc_f.push_back(pod_uid);
      }
    }
    if (unc_s.size() + unc_f.size() >= kMaxUncountedPods) {
      reached_max = true;
      break;
    }
  }
  auto write_uncounted = [&] {
    Json u = Json::object();
    if (!unc_s.empty()) u["succeeded"] = unc_s;
    if (!unc_f.empty()) u["failed"] = unc_f;
    status["uncountedTerminatedPods"] = std::move(u);
  };
  // Moves uncounted pods that no longer hold a finalizer into the counters.
  auto settle = [&] {
    auto move = [&](std::vector<std::string>& list, const char* counter) {
      std::vector<std::string> kept;
      for (std::string& u : list) {
        if (with_finalizer.count(u)) kept.push_back(std::move(u));
      }
      status[counter] = IntOr(status, counter, 0) + static_cast<int64_t>(list.size() - kept.size());
      list = std::move(kept);
    };
    move(unc_s, "succeeded");
    move(unc_f, "failed");
    write_uncounted();
  };
  settle();
  if (indexed) {
    status["completedIndexes"] = FormatIndexes(indexes);
    status["succeeded"] = static_cast<int64_t>(indexes.size());
  }
  if (finish.type == "FailureTarget") {
    if (!IsConditionTrue(job_in, "FailureTarget")) {
      if (!status["conditions"].is_array()) status["conditions"] = Json::array();
      status["conditions"].push_back(NewCondition("FailureTarget", "True", finish.reason, finish.message, now));
    }
    finish.type = "Failed";
  } else if (finish.type == "SuccessCriteriaMet") {
    if (!IsConditionTrue(job_in, "SuccessCriteriaMet")) {
      if (!status["conditions"].is_array()) status["conditions"] = Json::array();
      status["conditions"].push_back(NewCondition("SuccessCriteriaMet", "True", finish.reason, finish.message, now));
    }
    finish.type = "Complete";
  }

  Json job = job_in;
  auto flush = [&]() -> bool {
    if (Field(job, "status") == status) return true;
    job["status"] = status;
    StatusOr<Json> written = client_->Update(kJobs, Namespace(job), job, "status");
    if (!written.ok()) return false;  // recomputed from fresh state on the next pass
    jobs_->Apply(*written);
    job = std::move(*written);
    return true;
  };
  // The uncounted pods must be on record before their finalizers go.
  if (!flush()) return false;
  bool released_all = true;
  for (const Json* p : release) {
    if (RemoveTrackingFinalizer(*p)) {
      with_finalizer.erase(Uid(*p));
    } else {
      released_all = false;
    }
  }
  settle();
  bool finished = false;
  if (!finish.type.empty() && !reached_max && released_all && unc_s.empty() && unc_f.empty() &&
      terminating == 0) {
    EnsureCondition(status, finish.type, "True", finish.reason, finish.message, now);
    if (finish.type == "Complete") status["completionTime"] = FormatTime(now);
    finished = true;
  }
  if (!flush()) return false;
  if (finished) {
    backoff_.erase(uid);
    if (finish.type == "Complete") {
      if (has_completions && IntOr(status, "succeeded", 0) > completions) {
        events_.Record(job, "Warning", "TooManySucceededPods",
                       "Too many succeeded pods running after completion count reached");
      }
      events_.Record(job, "Normal", "Completed", "Job completed");
    } else {
      events_.Record(job, "Warning", finish.reason, finish.message);
    }
  }
  return released_all && !create_failed;
}

}  // namespace haru::controllers
