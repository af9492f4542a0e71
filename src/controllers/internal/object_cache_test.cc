#include "controllers/internal/object_cache.h"

#include <gtest/gtest.h>

namespace haru::controllers {
namespace {

Json ConfigMap(const std::string& name, const std::string& rv) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"resourceVersion", rv}}}};
}

// An object written and then forgotten before the controller looks leaves no change: handlers
// receive only changes with an object on at least one side.
TEST(ObjectCache, CreatedThenGoneBetweenPassesIsNoChange) {
  ObjectCache cache(nullptr, {"", "v1", "configmaps"});
  cache.Apply(ConfigMap("a", "5"));
  cache.Forget("default", "a");
  cache.Apply(ConfigMap("b", "6"));
  std::vector<ObjectCache::Change> changes = cache.TakeChanges();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].key, "default/b");
  EXPECT_EQ(changes[0].before, nullptr);
  ASSERT_NE(changes[0].after, nullptr);
  EXPECT_TRUE(cache.TakeChanges().empty());
}

}  // namespace
}  // namespace haru::controllers
