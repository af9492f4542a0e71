#pragma once
// Pieces of the Job controller that are plain functions of objects: the pod failure policy,
// completion indexes, and the pod made from a Job's template.

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "common/json.h"

namespace haru::controllers {

inline constexpr char kJobTrackingFinalizer[] = "batch.kubernetes.io/job-tracking";
inline constexpr char kJobCompletionIndex[] = "batch.kubernetes.io/job-completion-index";

// What spec.podFailurePolicy says about a failed pod (upstream matchPodFailurePolicy).
struct PolicyMatch {
  std::string action;            // "" when no rule matched, else FailJob/FailIndex/Ignore/Count
  std::string fail_job_message;  // for FailJob
  bool counts = true;            // whether the failure counts towards backoffLimit
};
PolicyMatch MatchPodFailurePolicy(const Json& job, const Json& pod);

// The pod's completion index (annotation, else label); -1 when missing or malformed.
int64_t CompletionIndex(const Json& pod);
// "1,3-5,7" <-> {1,3,4,5,7}; malformed parts are skipped.
std::set<int64_t> ParseIndexes(const std::string& text);
std::string FormatIndexes(const std::set<int64_t>& indexes);

// The pod the Job creates: its template with the tracking finalizer, the Job as controlling
// owner, and for an Indexed Job the index annotation, label, hostname and JOB_COMPLETION_INDEX.
Json NewJobPod(const Json& job, int64_t index /* -1 when NonIndexed */);

}  // namespace haru::controllers
