#include "controllers/job_controller.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "controllers/garbage_collector.h"
#include "controllers/internal/controller_test_env.h"
#include "controllers/internal/job_util.h"

namespace haru::controllers {
namespace {

class JobControllerTest : public ::testing::Test {
 protected:
  JobControllerTest() : controller_(env_.client(), env_.clock(), JobControllerOptions{0, 0}) {}

  void Sync() {
    ASSERT_TRUE(controller_.RefreshCaches().ok());
    controller_.Sync();
  }
  Json NewJob(const std::string& name, Json spec_extra) {
    Json spec = {{"template",
                  {{"spec",
                    {{"restartPolicy", "Never"},
                     {"containers", Json::array({{{"name", "c"}, {"image", "busybox"}}})}}}}}};
    for (auto it = spec_extra.begin(); it != spec_extra.end(); ++it) spec[it.key()] = it.value();
    return env_.Create(kJobs, "default",
                       {{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", {{"name", name}}}, {"spec", spec}});
  }
  // The Job's pods that are not being deleted.
  std::vector<Json> LivePods(const Json& job) {
    std::vector<Json> out;
    for (Json& p : env_.List(kPods, "default")) {
      if (Str(ControllerRef(p), "uid") == Uid(job) && !IsDeleting(p)) out.push_back(std::move(p));
    }
    return out;
  }
  void Finish(const Json& pod, const std::string& phase, int exit_code = 0) {
    Json status = {{"phase", phase}};
    if (phase == "Failed") {
      status["containerStatuses"] = Json::array(
          {{{"name", "c"}, {"image", "busybox"}, {"imageID", ""}, {"ready", false}, {"restartCount", 0},
            {"state", {{"terminated", {{"exitCode", exit_code}, {"reason", "Error"}}}}}}});
    }
    env_.MergeStatus(kPods, "default", Name(pod), status);
  }
  Json Status(const std::string& job) { return env_.Get(kJobs, "default", job)["status"]; }

  testing::ControllerTestEnv env_;
  JobController controller_;
};

TEST_F(JobControllerTest, CreatesPodsUpToParallelism) {
  Json job = NewJob("work", {{"parallelism", 2}, {"completions", 5}});
  Sync();
  std::vector<Json> pods = LivePods(job);
  ASSERT_EQ(pods.size(), 2u);
  for (const Json& p : pods) {
    EXPECT_EQ(p["metadata"]["generateName"], "work-");
    EXPECT_TRUE(HasFinalizer(p, kJobTrackingFinalizer));
    EXPECT_EQ(p["metadata"]["labels"]["batch.kubernetes.io/job-name"], "work");
    EXPECT_EQ(p["metadata"]["labels"]["batch.kubernetes.io/controller-uid"], Uid(job));
    const Json& owner = ControllerRef(p);
    EXPECT_EQ(owner["kind"], "Job");
    EXPECT_EQ(owner["blockOwnerDeletion"], true);
  }
  Json status = Status("work");
  EXPECT_EQ(status["active"], 2);
  EXPECT_TRUE(status["startTime"].is_string());
  EXPECT_EQ(env_.Events("default", "work", "SuccessfulCreate").size(), 2u);

  Sync();  // nothing more while both run
  EXPECT_EQ(LivePods(job).size(), 2u);
}

TEST_F(JobControllerTest, CompletesAfterCompletionsSucceed) {
  Json job = NewJob("work", {{"parallelism", 2}, {"completions", 3}});
  Sync();
  for (const Json& p : LivePods(job)) Finish(p, "Succeeded");
  Sync();
  Json status = Status("work");
  EXPECT_EQ(status["succeeded"], 2) << status.dump();
  std::vector<Json> pods = LivePods(job);
  int running = 0;
  for (const Json& p : pods) {
    if (PodPhase(p) == "Succeeded") {
      EXPECT_FALSE(HasFinalizer(p, kJobTrackingFinalizer));
    } else {
      ++running;
    }
  }
  EXPECT_EQ(running, 1);
  for (const Json& p : pods) {
    if (PodPhase(p) != "Succeeded") Finish(p, "Succeeded");
  }
  Sync();
  status = Status("work");
  EXPECT_EQ(status["succeeded"], 3);
  EXPECT_EQ(status["active"], 0);
  Json done = env_.Get(kJobs, "default", "work");
  EXPECT_TRUE(IsConditionTrue(done, "SuccessCriteriaMet"));
  EXPECT_TRUE(IsConditionTrue(done, "Complete")) << status.dump();
  EXPECT_EQ(FindCondition(done, "Complete")["reason"], "CompletionsReached");
  EXPECT_TRUE(status["completionTime"].is_string());
  EXPECT_EQ(env_.Events("default", "work", "Completed").size(), 1u);
}

TEST_F(JobControllerTest, FailsWhenBackoffLimitIsExceeded) {
  Json job = NewJob("flaky", {{"backoffLimit", 1}});
  for (int attempt = 0; attempt < 2; ++attempt) {
    Sync();
    std::vector<Json> running;
    for (Json& p : LivePods(job)) {
      if (!IsPodTerminal(p)) running.push_back(std::move(p));
    }
    ASSERT_EQ(running.size(), 1u) << "attempt " << attempt;
    Finish(running[0], "Failed", 1);
  }
  Sync();
  Json failing = env_.Get(kJobs, "default", "flaky");
  EXPECT_EQ(FindCondition(failing, "FailureTarget")["reason"], "BackoffLimitExceeded") << failing["status"].dump();
  Sync();
  Json failed = env_.Get(kJobs, "default", "flaky");
  const Json& cond = FindCondition(failed, "Failed");
  EXPECT_EQ(cond["status"], "True") << failed["status"].dump();
  EXPECT_EQ(cond["reason"], "BackoffLimitExceeded");
  EXPECT_EQ(cond["message"], "Job has reached the specified backoff limit");
  EXPECT_EQ(failed["status"]["failed"], 2);
  EXPECT_EQ(env_.Events("default", "flaky", "BackoffLimitExceeded").size(), 1u);
}

TEST_F(JobControllerTest, BackoffDelaysReplacements) {
  JobController slow(env_.client(), env_.clock(), JobControllerOptions{10, 600});
  Json job = NewJob("flaky", {{"backoffLimit", 6}});
  ASSERT_TRUE(slow.RefreshCaches().ok());
  slow.Sync();
  ASSERT_EQ(LivePods(job).size(), 1u);
  Finish(LivePods(job)[0], "Failed", 1);
  ASSERT_TRUE(slow.RefreshCaches().ok());
  slow.Sync();
  EXPECT_EQ(Status("flaky")["active"], 0);
  env_.Advance(10);
  ASSERT_TRUE(slow.RefreshCaches().ok());
  slow.Sync();
  EXPECT_EQ(Status("flaky")["active"], 1);
}

TEST_F(JobControllerTest, PodFailurePolicyFailJobOnExitCode) {
  Json job = NewJob("strict", {{"backoffLimit", 6},
                               {"podFailurePolicy",
                                {{"rules", Json::array({{{"action", "FailJob"},
                                                         {"onExitCodes", {{"operator", "In"}, {"values", {42}}}}}})}}}});
  Sync();
  std::vector<Json> pods = LivePods(job);
  ASSERT_EQ(pods.size(), 1u);
  Finish(pods[0], "Failed", 42);
  Sync();
  Sync();
  Json failed = env_.Get(kJobs, "default", "strict");
  const Json& cond = FindCondition(failed, "Failed");
  EXPECT_EQ(cond["status"], "True") << failed["status"].dump();
  EXPECT_EQ(cond["reason"], "PodFailurePolicy");
  EXPECT_EQ(cond["message"], "Container c for pod default/" + Name(pods[0]) +
                                 " failed with exit code 42 matching FailJob rule at index 0");
}

TEST_F(JobControllerTest, PodFailurePolicyIgnoreDoesNotCount) {
  Json job = NewJob("lenient", {{"backoffLimit", 0},
                                {"podFailurePolicy",
                                 {{"rules", Json::array({{{"action", "Ignore"},
                                                          {"onExitCodes", {{"operator", "In"}, {"values", {137}}}}}})}}}});
  Sync();
  Finish(LivePods(job)[0], "Failed", 137);
  Sync();
  Sync();
  Json j = env_.Get(kJobs, "default", "lenient");
  EXPECT_FALSE(IsConditionTrue(j, "Failed")) << j["status"].dump();
  EXPECT_EQ(Field(j["status"], "failed").is_null() ? 0 : j["status"]["failed"].get<int>(), 0);
  EXPECT_EQ(j["status"]["active"], 1);
}

TEST_F(JobControllerTest, SuspendRemovesPodsAndResumeRecreates) {
  Json job = NewJob("later", {{"suspend", true}, {"parallelism", 2}, {"completions", 2}});
  Sync();
  EXPECT_TRUE(LivePods(job).empty());
  Json suspended = env_.Get(kJobs, "default", "later");
  EXPECT_EQ(FindCondition(suspended, "Suspended")["reason"], "JobSuspended");
  EXPECT_FALSE(suspended["status"].contains("startTime"));

  Json resume = suspended;
  resume["spec"]["suspend"] = false;
  ASSERT_TRUE(env_.client()->Update(kJobs, "default", resume).ok());
  Sync();
  EXPECT_EQ(LivePods(job).size(), 2u);
  Json resumed = env_.Get(kJobs, "default", "later");
  const Json& cond = FindCondition(resumed, "Suspended");
  EXPECT_EQ(cond["status"], "False");
  EXPECT_EQ(cond["reason"], "JobResumed");
  EXPECT_EQ(env_.Events("default", "later", "Resumed").size(), 1u);

  Json again = resumed;
  again["spec"]["suspend"] = true;
  ASSERT_TRUE(env_.client()->Update(kJobs, "default", again).ok());
  Sync();
  EXPECT_TRUE(LivePods(job).empty());
  EXPECT_EQ(Status("later")["failed"].is_null() ? 0 : Status("later")["failed"].get<int>(), 0);
}

TEST_F(JobControllerTest, IndexedJobGivesEachPodItsIndex) {
  Json job = NewJob("idx", {{"completionMode", "Indexed"}, {"completions", 3}, {"parallelism", 3}});
  Sync();
  std::vector<Json> pods = LivePods(job);
  ASSERT_EQ(pods.size(), 3u);
  std::set<int64_t> seen;
  for (const Json& p : pods) {
    int64_t ix = CompletionIndex(p);
    seen.insert(ix);
    EXPECT_EQ(Str(p["metadata"], "generateName"), "idx-" + std::to_string(ix) + "-");
    EXPECT_EQ(p["spec"]["hostname"], "idx-" + std::to_string(ix));
  }
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 2}));
  for (const Json& p : pods) {
    if (CompletionIndex(p) == 1) Finish(p, "Succeeded");
  }
  Sync();
  EXPECT_EQ(Status("idx")["completedIndexes"], "1");
  EXPECT_EQ(Status("idx")["succeeded"], 1);
}

TEST_F(JobControllerTest, BackgroundDeletionRemovesPods) {
  Json job = NewJob("gone", {{"parallelism", 2}, {"completions", 2}});
  Sync();
  ASSERT_EQ(LivePods(job).size(), 2u);
  client::DeleteOptions background;
  background.propagation_policy = "Background";
  ASSERT_TRUE(env_.client()->Delete(kJobs, "default", "gone", background).ok());
  CollectGarbage(*env_.registry());  // pods get deletionTimestamp; the tracking finalizer holds them
  Sync();                            // the controller lets go of pods whose Job is gone
  CollectGarbage(*env_.registry());
  EXPECT_TRUE(env_.List(kPods, "default").empty()) << env_.List(kPods, "default").size();
}

TEST_F(JobControllerTest, ForegroundDeletionRemovesPodsThenTheJob) {
  Json job = NewJob("fg", {{"parallelism", 2}, {"completions", 2}});
  Sync();
  client::DeleteOptions foreground;
  foreground.propagation_policy = "Foreground";
  ASSERT_TRUE(env_.client()->Delete(kJobs, "default", "fg", foreground).ok());
  for (int i = 0; i < 3; ++i) {
    CollectGarbage(*env_.registry());
    Sync();
  }
  CollectGarbage(*env_.registry());
  EXPECT_TRUE(env_.List(kPods, "default").empty());
  EXPECT_TRUE(env_.Get(kJobs, "default", "fg").is_null());
}

TEST_F(JobControllerTest, ActiveDeadlineFailsTheJob) {
  NewJob("timed", {{"activeDeadlineSeconds", 30}});
  Sync();
  env_.Advance(30);
  Sync();
  Sync();
  Json j = env_.Get(kJobs, "default", "timed");
  EXPECT_EQ(FindCondition(j, "Failed")["reason"], "DeadlineExceeded") << j["status"].dump();
  EXPECT_EQ(FindCondition(j, "Failed")["message"], "Job was active longer than specified deadline");
}

}  // namespace
}  // namespace haru::controllers

namespace haru::controllers {
namespace {

// The controller's own threads: caches list and watch, and the loop reacts to a new Job.
TEST(JobControllerRunning, ReactsToWatchEvents) {
  testing::ControllerTestEnv env;
  JobController controller(env.client(), nullptr);
  controller.Start(std::chrono::milliseconds(50));
  env.Create(kJobs, "default",
             {{"apiVersion", "batch/v1"},
              {"kind", "Job"},
              {"metadata", {{"name", "live"}}},
              {"spec",
               {{"template",
                 {{"spec",
                   {{"restartPolicy", "Never"},
                    {"containers", Json::array({{{"name", "c"}, {"image", "busybox"}}})}}}}}}}});
  size_t pods = 0;
  for (int i = 0; i < 200 && pods == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    pods = env.List(kPods, "default").size();
  }
  controller.Stop();
  EXPECT_EQ(pods, 1u);
}

}  // namespace
}  // namespace haru::controllers
