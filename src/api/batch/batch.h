#pragma once
// batch/v1 kinds: Job. Each function returns the kind's immutable, process-wide spec.
// Hooks are exposed for tests and for the Job controller.

#include <string>
#include <vector>

#include "api/kind_spec.h"

namespace haru::api::batch {

// Labels the server puts on a Job's pod template when it generates the selector.
inline constexpr char kLegacyJobNameLabel[] = "job-name";
inline constexpr char kJobNameLabel[] = "batch.kubernetes.io/job-name";
inline constexpr char kLegacyControllerUidLabel[] = "controller-uid";
inline constexpr char kControllerUidLabel[] = "batch.kubernetes.io/controller-uid";

const KindSpec& JobKind();
void RegisterBatchKinds(std::vector<const KindSpec*>& out);

// SetDefaults_Job plus the pod template's pod defaults.
void DefaultJob(Json& job);
// PrepareForCreate: clears status, copies template labels to an unlabelled job, and
// generates the selector and template labels unless spec.manualSelector is true.
void PrepareJobForCreate(Json& job);
FieldErrors ValidateJob(const Json& job);
FieldErrors ValidateJobUpdate(const Json& job, const Json& old);
FieldErrors ValidateJobStatusUpdate(const Json& job, const Json& old);
// The STATUS cell of `kubectl get jobs`: Complete, Failed, Terminating, Suspended,
// FailureTarget or Running.
std::string JobStatusCell(const Json& job);
// The COMPLETIONS cell: "1/3", or "0/1 of 4" for a job without completions.
std::string JobCompletionsCell(const Json& job);
// metav1.FormatLabelSelector: "a=b,k in (x,y)", "<none>" when empty or unset.
std::string FormatLabelSelector(const Json* selector);

}  // namespace haru::api::batch
