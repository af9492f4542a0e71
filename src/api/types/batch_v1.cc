// batch/v1 Job.
// Format: see api/schema/declarations.h. Facts (names, types, proto numbers, list types,
// enums) follow k8s.io/api v0.36.0 batch/v1; descriptions are haru's own.

#include "api/types/builtin_types.h"

namespace haru::api::types {

std::string_view BatchV1Declarations() {
  return R"decl(
package io.k8s.api.batch.v1
use meta io.k8s.apimachinery.pkg.apis.meta.v1
use core io.k8s.api.core.v1

type Job gvk=batch/v1/Job "A Job runs pods until a given number of them succeed."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       JobSpec proto=2 "What the job runs and how often."
  status     JobStatus proto=3 "What the job controller observed. Written by the system."

type JobList gvk=batch/v1/JobList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Job proto=2 required

type JobSpec
  parallelism  int32 proto=1 "How many pods may run at once. Default 1."
  completions  int32 proto=2
      "How many pods must succeed. Default 1 when parallelism is also unset; unset means any one success finishes the job."
  activeDeadlineSeconds int64 proto=3 "How long the job may run before it is failed."
  podFailurePolicy PodFailurePolicy proto=11 "How pod failures count against backoffLimit."
  successPolicy SuccessPolicy proto=16 "When an Indexed job counts as succeeded early."
  backoffLimit int32 proto=7 "How many retries before the job fails. Default 6."
  backoffLimitPerIndex int32 proto=12 "Retries per index of an Indexed job."
  maxFailedIndexes int32 proto=13 "How many indexes may fail before the job fails."
  selector     meta.LabelSelector proto=4
      "The pods the job owns. Generated from the job's uid unless manualSelector is true."
  manualSelector bool proto=5 "When true, the selector is given by the user instead of generated."
  template     core.PodTemplateSpec proto=6 required
      "The pod each run creates. Its restartPolicy must be OnFailure or Never."
  ttlSecondsAfterFinished int32 proto=8 "Seconds after completion before the job is deleted."
  completionMode string proto=9 enum=NonIndexed|Indexed "NonIndexed (the default) or Indexed."
  suspend      bool proto=10 "When true, no pods are created. Default false."
  podReplacementPolicy string proto=14 enum=TerminatingOrFailed|Failed
      "When replacement pods are created."
  managedBy    string proto=15 "The controller that manages the job."

type PodFailurePolicy
  rules []PodFailurePolicyRule proto=1 required listType=atomic

type PodFailurePolicyRule
  action          string proto=1 required enum=FailJob|FailIndex|Ignore|Count
  onExitCodes     PodFailurePolicyOnExitCodesRequirement proto=2
  onPodConditions []PodFailurePolicyOnPodConditionsPattern proto=3 listType=atomic

type PodFailurePolicyOnExitCodesRequirement
  containerName string proto=1
  operator      string proto=2 required enum=In|NotIn
  values        []int32 proto=3 required listType=set

type PodFailurePolicyOnPodConditionsPattern
  type   string proto=1 required
  status string proto=2

type SuccessPolicy
  rules []SuccessPolicyRule proto=1 required listType=atomic

type SuccessPolicyRule
  succeededIndexes string proto=1
  succeededCount   int32 proto=2

type JobStatus
  conditions []JobCondition proto=1 listType=atomic merge=type strategy=merge
      "The job's conditions: Complete, Failed, Suspended, FailureTarget, SuccessCriteriaMet."
  startTime      time proto=2 "When the job controller started the job."
  completionTime time proto=3 "When the job completed."
  active         int32 proto=4 "Pods pending or running."
  succeeded      int32 proto=5 "Pods that succeeded."
  failed         int32 proto=6 "Pods that failed."
  terminating    int32 proto=11 "Pods terminating."
  completedIndexes string proto=7
  failedIndexes    string proto=10
  uncountedTerminatedPods UncountedTerminatedPods proto=8
  ready          int32 proto=9 "Active pods that are Ready."

type UncountedTerminatedPods
  succeeded []string proto=1 listType=set
  failed    []string proto=2 listType=set

type JobCondition
  type               string proto=1 required
  status             string proto=2 required
  lastProbeTime      time proto=3
  lastTransitionTime time proto=4
  reason             string proto=5
  message            string proto=6
)decl";
}

}  // namespace haru::api::types
