#include <gtest/gtest.h>

#include "api/batch/batch.h"
#include "api/kinds.h"

namespace haru::api::batch {
namespace {

std::string Messages(const FieldErrors& errs) {
  std::string out;
  for (const auto& e : errs) out += (out.empty() ? "" : "\n") + e.Message();
  return out;
}

// A job as the registry would hold it after create: uid set, prepared and defaulted.
Json CreatedJob(Json spec_overrides = Json::object()) {
  Json job = {{"metadata", {{"name", "pi"}, {"namespace", "default"}, {"uid", "0a1b2c3d-0000-4000-8000-000000000001"}}},
              {"spec",
               {{"template",
                 {{"spec",
                   {{"restartPolicy", "Never"},
                    {"containers", Json::array({{{"name", "pi"}, {"image", "perl:5.34"}}})}}}}}}}};
  for (auto it = spec_overrides.begin(); it != spec_overrides.end(); ++it) job["spec"][it.key()] = *it;
  PrepareJobForCreate(job);
  DefaultJob(job);
  return job;
}

TEST(Job, DefaultsAsUpstream) {
  Json job = CreatedJob();
  const Json& spec = job["spec"];
  EXPECT_EQ(spec["parallelism"], 1);
  EXPECT_EQ(spec["completions"], 1);
  EXPECT_EQ(spec["backoffLimit"], 6);
  EXPECT_EQ(spec["completionMode"], "NonIndexed");
  EXPECT_EQ(spec["suspend"], false);
  EXPECT_EQ(spec["manualSelector"], false);
  EXPECT_EQ(spec["podReplacementPolicy"], "TerminatingOrFailed");
  EXPECT_EQ(spec["template"]["spec"]["dnsPolicy"], "ClusterFirst");
  Json parallel = CreatedJob({{"parallelism", 4}});
  EXPECT_FALSE(parallel["spec"].contains("completions"));
  EXPECT_EQ(Messages(ValidateJob(job)), "");
}

TEST(Job, GeneratesSelectorAndTemplateLabels) {
  Json job = CreatedJob();
  const std::string uid = job["metadata"]["uid"];
  const Json& labels = job["spec"]["template"]["metadata"]["labels"];
  EXPECT_EQ(labels["job-name"], "pi");
  EXPECT_EQ(labels["batch.kubernetes.io/job-name"], "pi");
  EXPECT_EQ(labels["controller-uid"], uid);
  EXPECT_EQ(labels["batch.kubernetes.io/controller-uid"], uid);
  EXPECT_EQ(job["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"], uid);
  // The job's own labels come from the user's template labels, not the generated ones.
  EXPECT_FALSE(job["metadata"].contains("labels"));
  EXPECT_EQ(FormatLabelSelector(&job["spec"]["selector"]), "batch.kubernetes.io/controller-uid=" + uid);
}

TEST(Job, RestartPolicyMustBeOnFailureOrNever) {
  Json job = CreatedJob();
  job["spec"]["template"]["spec"]["restartPolicy"] = "Always";
  EXPECT_EQ(Messages(ValidateJob(job)),
            "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: "
            "\"OnFailure\", \"Never\"");
}

TEST(Job, ManualSelectorMustMatchTemplate) {
  Json job = CreatedJob({{"manualSelector", true}, {"selector", {{"matchLabels", {{"app", "x"}}}}}});
  EXPECT_EQ(Messages(ValidateJob(job)),
            "spec.template.metadata.labels: Invalid value: null: `selector` does not match "
            "template `labels`");
}

TEST(Job, NegativeCountsAndPodErrorsUnderTemplate) {
  Json job = CreatedJob({{"parallelism", -1}, {"completions", 2}});
  job["spec"]["template"]["spec"]["containers"][0].erase("image");
  EXPECT_EQ(Messages(ValidateJob(job)),
            "spec.parallelism: Invalid value: -1: must be greater than or equal to 0\n"
            "spec.template.spec.containers[0].image: Required value");
}

TEST(Job, SelectorAndTemplateImmutable) {
  Json old = CreatedJob();
  old["metadata"]["resourceVersion"] = "1";
  Json next = old;
  next["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:5.36";
  FieldErrors errs = ValidateJobUpdate(next, old);
  ASSERT_EQ(errs.size(), 1u) << Messages(errs);
  EXPECT_EQ(errs[0].field, "spec.template");
  EXPECT_EQ(errs[0].detail, "field is immutable");
  Json parallel = old;
  parallel["spec"]["parallelism"] = 3;
  EXPECT_EQ(Messages(ValidateJobUpdate(parallel, old)), "");
}

TEST(Job, SuspendedJobMayChangeNodeSelector) {
  Json old = CreatedJob({{"suspend", true}});
  old["metadata"]["resourceVersion"] = "1";
  Json next = old;
  next["spec"]["template"]["spec"]["nodeSelector"] = {{"gpu", "a100"}};
  EXPECT_EQ(Messages(ValidateJobUpdate(next, old)), "");
}

TEST(Job, Columns) {
  Json job = CreatedJob({{"parallelism", 4}});
  job["spec"].erase("completions");
  job["status"] = {{"succeeded", 2}};
  EXPECT_EQ(JobCompletionsCell(job), "2/1 of 4");
  EXPECT_EQ(JobStatusCell(job), "Running");
  job["status"]["conditions"] = Json::array({{{"type", "Complete"}, {"status", "True"}}});
  EXPECT_EQ(JobStatusCell(job), "Complete");
  const KindSpec* kind = FindKindByResource("batch", "v1", "jobs");
  ASSERT_NE(kind, nullptr);
  ASSERT_EQ(kind->columns.size(), 8u);
  EXPECT_EQ(kind->columns[1].name, "Status");
  EXPECT_EQ(kind->columns[5].priority, 1);
  EXPECT_EQ(kind->columns[6].cell(job), "perl:5.34");
}

}  // namespace
}  // namespace haru::api::batch
