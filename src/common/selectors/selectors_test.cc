#include <gtest/gtest.h>

#include "common/selectors/field_selector.h"
#include "common/selectors/label_selector.h"

namespace haru {
namespace {

TEST(LabelSelector, MatchesUpstreamOperators) {
  Labels l{{"app", "web"}, {"tier", "front"}};
  auto m = [&](std::string_view s) {
    auto sel = LabelSelector::Parse(s);
    EXPECT_TRUE(sel.ok()) << s;
    return sel->Matches(l);
  };
  EXPECT_TRUE(m(""));
  EXPECT_TRUE(m("app=web"));
  EXPECT_TRUE(m("app==web,tier=front"));
  EXPECT_FALSE(m("app!=web"));
  EXPECT_TRUE(m("app in (api, web)"));
  EXPECT_FALSE(m("app notin (web)"));
  EXPECT_TRUE(m("tier"));
  EXPECT_TRUE(m("!missing"));
  EXPECT_FALSE(m("!app"));
}

TEST(LabelSelector, RejectsBadSyntax) {
  EXPECT_FALSE(LabelSelector::Parse("app in web").ok());
  EXPECT_FALSE(LabelSelector::Parse("a=b,,").ok());
}

TEST(FieldSelector, ParsesTerms) {
  auto sel = FieldSelector::Parse("spec.nodeName=n1,status.phase!=Running");
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel->requirements().size(), 2u);
  EXPECT_EQ(sel->requirements()[0].field, "spec.nodeName");
  EXPECT_TRUE(sel->requirements()[0].equals);
  EXPECT_FALSE(sel->requirements()[1].equals);
  EXPECT_FALSE(FieldSelector::Parse("justtext").ok());
}

}  // namespace
}  // namespace haru
