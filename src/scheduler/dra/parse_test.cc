// Parsing the v1 objects: field paths in errors, and no crash on wrong shapes.

#include <gtest/gtest.h>

#include "scheduler/dra/types.h"

namespace haru::scheduler::dra {
namespace {

TEST(DraParse, ErrorsNameTheFieldPath) {
  auto s = ParseResourceSlice(Json::parse(
      R"({"metadata":{"name":"s"},"spec":{"driver":"d","pool":{"name":"p"},"devices":[{"name":"a"},{"name":"b","consumesCounters":[{"counters":{}}]}]}})"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "spec.devices[1].consumesCounters[0].counterSet: Required value");
  auto q = ParseResourceSlice(Json::parse(
      R"({"metadata":{"name":"s"},"spec":{"driver":"d","pool":{"name":"p"},"devices":[{"name":"a","capacity":{"memory":{"value":"12xyz"}}}]}})"));
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("spec.devices[0].capacity[memory].value: Invalid value"), std::string::npos);
  auto c = ParseResourceClaim(Json::parse(R"({"metadata":{"name":"c"},"spec":{"devices":{"requests":[{"name":"r","exactly":{"count":"two"}}]}}})"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "spec.devices.requests[0].exactly.count: Invalid value: must be an integer");
}

TEST(DraParse, WrongShapesNeverCrash) {
  for (const char* text : {"null", "[]", "1", R"({"spec":[]})", R"({"spec":{"devices":7}})", R"({"metadata":5})",
                           R"({"spec":{"driver":"d","pool":{"name":"p"},"devices":[7]}})",
                           R"({"spec":{"devices":{"requests":[{"name":"r","firstAvailable":[null]}]}}})",
                           R"({"spec":{"taint":{"key":1}}})"}) {
    Json j = Json::parse(text);
    EXPECT_FALSE(ParseResourceSlice(j).ok()) << text;
    (void)ParseDeviceClass(j);
    (void)ParseResourceClaim(j);
    (void)ParseDeviceTaintRule(j);
  }
}

TEST(DraParse, ToleratesTaintRules) {
  DeviceTaint t{"k", "v", "NoSchedule", {}};
  EXPECT_TRUE(ToleratesTaint({"k", "Exists", "", "", {}}, t));
  EXPECT_TRUE(ToleratesTaint({"", "Exists", "", "", {}}, t));
  EXPECT_TRUE(ToleratesTaint({"k", "Equal", "v", "NoSchedule", {}}, t));
  EXPECT_FALSE(ToleratesTaint({"k", "Equal", "w", "", {}}, t));
  EXPECT_FALSE(ToleratesTaint({"k", "Exists", "", "NoExecute", {}}, t));
}

}  // namespace
}  // namespace haru::scheduler::dra
