#include "scheduler/fit_error.h"

#include <gtest/gtest.h>

namespace haru::scheduler {
namespace {

TEST(FitError, UpstreamShape) {
  Diagnosis d;
  d.num_all_nodes = 4;
  d.reasons = {{"node(s) had untolerated taint(s)", 1}, {"Insufficient nvidia.com/gpu", 3}};
  d.unresolvable_nodes = 1;
  d.resolvable_nodes = 3;
  EXPECT_EQ(FitErrorMessage(d),
            "0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient nvidia.com/gpu. "
            "no new claims to deallocate, preemption: 0/4 nodes are available: 1 Preemption is not helpful for "
            "scheduling, 3 No preemption victims found for incoming pod.");
}

TEST(FitError, PreFilterMessageReplacesTheHistogram) {
  Diagnosis d;
  d.num_all_nodes = 2;
  d.prefilter_message = "resourceclaim.resource.k8s.io \"c\" not found";
  EXPECT_EQ(FitErrorMessage(d),
            "0/2 nodes are available: resourceclaim.resource.k8s.io \"c\" not found. no new claims to deallocate, "
            "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
  d.prefilter_message.clear();
  d.pod_has_claims = true;
  d.reasons = {{"cannot allocate all claims", 2}};
  d.unresolvable_nodes = 2;
  EXPECT_EQ(FitErrorMessage(d),
            "0/2 nodes are available: 2 cannot allocate all claims. still not schedulable, preemption: 0/2 nodes are "
            "available: 2 Preemption is not helpful for scheduling.");
}

TEST(FitError, DraReasonsSortAsUpstreamsHistogram) {
  Diagnosis d;
  d.num_all_nodes = 8;
  d.pod_has_claims = true;
  d.reasons = {{"invalid resource pools were encountered", 1}, {"cannot allocate all claims", 7}};
  d.unresolvable_nodes = 8;
  EXPECT_EQ(FitErrorMessage(d),
            "0/8 nodes are available: 1 invalid resource pools were encountered, 7 cannot allocate all claims. still "
            "not schedulable, preemption: 0/8 nodes are available: 8 Preemption is not helpful for scheduling.");
}

TEST(FitError, MissingDeviceClassIsAPreFilterMessage) {
  Diagnosis d;
  d.num_all_nodes = 2;
  d.prefilter_message = "request gpu: device class no-such-class does not exist";
  EXPECT_EQ(FitErrorMessage(d),
            "0/2 nodes are available: request gpu: device class no-such-class does not exist. no new claims to "
            "deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
}

}  // namespace
}  // namespace haru::scheduler
