#include "scheduler/queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace haru::scheduler {
namespace {

using namespace std::chrono_literals;

std::shared_ptr<PodInfo> P(const std::string& name, int32_t priority = 0) {
  auto p = std::make_shared<PodInfo>();
  p->ns = "ns";
  p->name = name;
  p->priority = priority;
  return p;
}

QueueOptions Fast() {
  QueueOptions o;
  o.initial_backoff = 20ms;
  o.max_backoff = 80ms;
  o.max_unschedulable = 10s;
  return o;
}

TEST(Queue, PriorityThenFifo) {
  SchedulingQueue q(Fast());
  q.AddOrUpdate(P("a"));
  q.AddOrUpdate(P("b", 10));
  q.AddOrUpdate(P("c"));
  SchedulingQueue::Popped x;
  ASSERT_TRUE(q.TryPop(&x));
  EXPECT_EQ(x.pod->name, "b");
  ASSERT_TRUE(q.TryPop(&x));
  EXPECT_EQ(x.pod->name, "a");
  ASSERT_TRUE(q.TryPop(&x));
  EXPECT_EQ(x.pod->name, "c");
  EXPECT_FALSE(q.TryPop(&x));
}

TEST(Queue, UnschedulableWaitsForAHelpfulEventThenBacksOff) {
  SchedulingQueue q(Fast());
  q.AddOrUpdate(P("a"));
  SchedulingQueue::Popped x;
  ASSERT_TRUE(q.TryPop(&x));
  q.AddUnschedulable(x, kHelpsDra);
  EXPECT_EQ(q.counts().unschedulable, 1u);
  q.OnClusterEvent(kHelpsResources);  // does not help
  EXPECT_EQ(q.counts().unschedulable, 1u);
  q.OnClusterEvent(kHelpsDra);
  EXPECT_EQ(q.counts().unschedulable, 0u);
  EXPECT_EQ(q.counts().backoff + q.counts().active, 1u);
  std::this_thread::sleep_for(30ms);
  ASSERT_TRUE(q.TryPop(&x));
  EXPECT_EQ(x.attempts, 1);
}

TEST(Queue, EventDuringTheAttemptSendsThePodToBackoff) {
  SchedulingQueue q(Fast());
  q.AddOrUpdate(P("a"));
  SchedulingQueue::Popped x;
  ASSERT_TRUE(q.TryPop(&x));
  q.OnClusterEvent(kHelpsNodes);  // while in flight
  q.AddUnschedulable(x, kHelpsNodes);
  EXPECT_EQ(q.counts().unschedulable, 0u);
  EXPECT_EQ(q.counts().backoff, 1u);
}

TEST(Queue, BackoffGrowsAndIsCapped) {
  SchedulingQueue q(Fast());
  q.AddOrUpdate(P("a"));
  SchedulingQueue::Popped x;
  for (int i = 0; i < 4; ++i) {
    auto start = std::chrono::steady_clock::now();
    while (!q.TryPop(&x)) std::this_thread::sleep_for(1ms);
    auto waited = std::chrono::steady_clock::now() - start;
    if (i >= 2) EXPECT_GE(waited, 30ms);  // 40ms then 80ms (cap)
    q.AddBackoff(x);
  }
  EXPECT_EQ(q.counts().backoff, 1u);
}

TEST(Queue, DeleteAndDoneAndUpdates) {
  SchedulingQueue q(Fast());
  q.AddOrUpdate(P("a"));
  q.Delete("ns/a");
  SchedulingQueue::Popped x;
  EXPECT_FALSE(q.TryPop(&x));
  q.AddOrUpdate(P("b"));
  ASSERT_TRUE(q.TryPop(&x));
  q.Delete("ns/b");  // in flight: dropped when the attempt ends
  q.AddUnschedulable(x, kHelpsAll);
  EXPECT_EQ(q.counts().unschedulable, 0u);
  q.AddOrUpdate(P("c"));
  ASSERT_TRUE(q.TryPop(&x));
  q.AddUnschedulable(x, kHelpsDra);
  q.AddOrUpdate(P("c"));  // the pod changed: retried after its backoff
  EXPECT_EQ(q.counts().unschedulable, 0u);
  q.AddOrUpdate(P("d"));
  ASSERT_TRUE(q.TryPop(&x));
  q.Done("ns/d");
  EXPECT_EQ(q.counts().in_flight, 0u);
}

TEST(Queue, PopBlocksUntilCloseOrWork) {
  SchedulingQueue q(Fast());
  std::thread t([&] {
    std::this_thread::sleep_for(20ms);
    q.AddOrUpdate(P("a"));
  });
  auto x = q.Pop();
  ASSERT_TRUE(x.pod);
  t.join();
  std::thread c([&] {
    std::this_thread::sleep_for(20ms);
    q.Close();
  });
  EXPECT_FALSE(q.Pop().pod);
  c.join();
}

}  // namespace
}  // namespace haru::scheduler
