#include "common/quantity/quantity.h"

#include <gtest/gtest.h>

namespace haru {
namespace {

struct Case {
  const char* input;
  const char* canonical;
};

TEST(Quantity, CanonicalFormsMatchUpstream) {
  const Case cases[] = {
      {"0", "0"},           {"1000m", "1"},      {"1.5Gi", "1536Mi"}, {"100m", "100m"},
      {"0.5", "500m"},      {"1", "1"},          {"1Ki", "1Ki"},      {"1024Ki", "1Mi"},
      {"1536Ki", "1536Ki"}, {"1k", "1k"},        {"1000", "1k"},      {"1200", "1200"},
      {"1e3", "1e3"},       {"12e2", "1200"},    {"1E3", "1e3"},      {"1M", "1M"},
      {"5Gi", "5Gi"},       {"0.1Ki", "102400m"}, {"100Mi", "100Mi"}, {"-1", "-1"},
      {"-100m", "-100m"},   {"+5", "5"},         {"2.5", "2500m"},    {"1n", "1n"},
      {"1u", "1u"},         {"0.0000000001", "1n"}, {"1.", "1"},      {"10Gi", "10Gi"},
      {"512Mi", "512Mi"},   {"0.5Gi", "512Mi"},  {"1e-3", "1e-3"},    {"128974848", "128974848"},
      {"129e6", "129e6"},   {"123Mi", "123Mi"},  {"1000Ki", "1000Ki"}, {"1023", "1023"},
      {"1P", "1P"},         {"1E", "1E"},        {"1000E", "1000E"},  {"0Gi", "0"},
  };
  for (const Case& c : cases) {
    auto q = ParseQuantity(c.input);
    ASSERT_TRUE(q.ok()) << c.input << ": " << q.status().message();
    EXPECT_EQ(q->ToString(), c.canonical) << c.input;
  }
}

TEST(Quantity, RejectsMalformedInput) {
  for (const char* bad : {"", "abc", "1.5x", "1Kib", "1 Gi", "--1", "1e", "Mi1"}) {
    EXPECT_FALSE(ParseQuantity(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseQuantity("1 Gi").status().message(), kQuantityFormatError);
  EXPECT_EQ(ParseQuantity("1Kib").status().message(), kQuantityFormatError);
  EXPECT_EQ(ParseQuantity("1Mm").status().message(), "unable to parse quantity's suffix");
}

TEST(Quantity, ComparesAcrossFormats) {
  EXPECT_EQ(ParseQuantity("1Gi")->Cmp(*ParseQuantity("1024Mi")), 0);
  EXPECT_LT(*ParseQuantity("100m"), *ParseQuantity("1"));
  EXPECT_GT(*ParseQuantity("1G"), ParseQuantity("1000M").value().Sub(*ParseQuantity("1")));
  EXPECT_EQ(*ParseQuantity("1000m"), *ParseQuantity("1"));
  EXPECT_LT(*ParseQuantity("-1"), *ParseQuantity("0"));
}

TEST(Quantity, AddAndSubKeepTheReceiverFormat) {
  EXPECT_EQ(ParseQuantity("1Gi")->Add(*ParseQuantity("512Mi")).ToString(), "1536Mi");
  EXPECT_EQ(ParseQuantity("1")->Sub(*ParseQuantity("250m")).ToString(), "750m");
  EXPECT_EQ(ParseQuantity("100m")->Add(*ParseQuantity("900m")).ToString(), "1");
}

TEST(Quantity, ValueAndMilliValueRoundUp) {
  EXPECT_EQ(ParseQuantity("100m")->MilliValue(), 100);
  EXPECT_EQ(ParseQuantity("100m")->Value(), 1);
  EXPECT_EQ(ParseQuantity("1Ki")->Value(), 1024);
  EXPECT_EQ(ParseQuantity("1.5")->MilliValue(), 1500);
  EXPECT_EQ(ParseQuantity("1n")->MilliValue(), 1);
}

}  // namespace
}  // namespace haru
