#include "cel/checker/checker.h"

#include <gtest/gtest.h>

namespace haru::cel {
namespace {

std::string Check(std::string_view env, std::string_view expr) {
  CheckResult r = CheckExpression(env, expr);
  return r.ok() ? r.type : r.error_text;
}

TEST(CheckerTest, DraSelectors) {
  EXPECT_EQ(Check("dra",
                  "device.driver == 'gpu.example.com' && "
                  "device.attributes['gpu.example.com'].profile == '1g.10gb' && "
                  "device.capacity['gpu.example.com'].memory.compareTo(quantity('10Gi')) >= 0"),
            "bool");
  EXPECT_EQ(Check("dra", "devise.driver == 'x'"),
            "ERROR: <input>:1:1: undeclared reference to 'devise' (in container '')\n"
            " | devise.driver == 'x'\n"
            " | ^");
  EXPECT_EQ(Check("dra", "device.drivr == 'x'"),
            "ERROR: <input>:1:7: undefined field 'drivr'\n"
            " | device.drivr == 'x'\n"
            " | ......^");
  EXPECT_EQ(Check("dra", "device.driver"),
            "ERROR: <input>:1:7: must evaluate to bool or the unknown type, not string\n"
            " | device.driver\n"
            " | ......^");
  EXPECT_EQ(Check("dra", "device.capacity['a'].memory.isGreaterThan(quantity('1Gi'))"), "bool");
}

TEST(CheckerTest, Admission) {
  EXPECT_EQ(Check("admission",
                  "object.spec.containers.all(c, has(c.resources.limits) && "
                  "c.image.startsWith('registry.example.com/'))"),
            "bool");
  EXPECT_EQ(Check("admission", "request.operation"), "string");
  EXPECT_EQ(Check("admission", "[1, 2].map(x, x * 2)"), "list(int)");
  EXPECT_EQ(Check("admission", "{'a': 1}"), "map(string, int)");
  EXPECT_EQ(Check("admission", "1 + 1u").rfind("ERROR: <input>:1:3: found no matching overload for '_+_' "
                                               "applied to '(int, uint)'", 0), 0u);
  EXPECT_EQ(Check("admission", "nope(1)").rfind("ERROR: <input>:1:5: undeclared reference to 'nope'", 0), 0u);
  EXPECT_EQ(Check("admission", "'a'.size() + math.greatest(1, 2)"), "int");
}

}  // namespace
}  // namespace haru::cel
