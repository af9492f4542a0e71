#include "cel/runtime/program.h"

#include <gtest/gtest.h>

#include "cel/common/containers.h"

namespace haru::cel {
namespace {

Value Eval(const std::string& expr, std::vector<std::pair<std::string, Value>> vars = {}) {
  std::vector<std::string> names;
  for (auto& [n, v] : vars) names.push_back(n);
  CompileResult r = Compile(Env::Standard(names), expr);
  EXPECT_TRUE(r.ok()) << r.ErrorText();
  if (!r.ok()) return Value::Error("compile");
  Activation act(*r.program);
  for (auto& [n, v] : vars) act.Bind(n, v);
  StatusOr<Value> v = r.program->Evaluate(act);
  EXPECT_TRUE(v.ok()) << v.status().message();
  // Results may borrow the program's constants (see Program::Evaluate): keep programs alive.
  static std::vector<std::unique_ptr<Program>> kept_programs;
  kept_programs.push_back(std::move(r.program));
  return v.ok() ? *v : Value::Error("aborted");
}

std::string Show(const std::string& expr, std::vector<std::pair<std::string, Value>> vars = {}) {
  return Eval(expr, std::move(vars)).DebugString();
}

TEST(ProgramTest, Arithmetic) {
  EXPECT_EQ(Show("1 + 2 * 3"), "7");
  EXPECT_EQ(Show("7 / 2"), "3");
  EXPECT_EQ(Show("-7 % 3"), "-1");
  EXPECT_EQ(Show("3u - 1u"), "2u");
  EXPECT_EQ(Show("1.5 * 2.0"), "3");
  EXPECT_EQ(Show("9223372036854775807 + 1"), "error: integer overflow");
  EXPECT_EQ(Show("1 / 0"), "error: division by zero");
  EXPECT_EQ(Show("0u - 1u"), "error: integer overflow");
  EXPECT_EQ(Show("1 + 1u"), "error: no matching overload for '_+_' applied to '(int, uint)'");
  EXPECT_EQ(Show("'ab' + 'c'"), "\"abc\"");
  EXPECT_EQ(Show("[1] + [2]"), "[1, 2]");
}

TEST(ProgramTest, HeterogeneousEqualityAndOrdering) {
  EXPECT_EQ(Show("1 == 1u && 1u == 1.0 && 2 > 1.5 && 1u < 2"), "true");
  EXPECT_EQ(Show("[1, 'a'] == [1, 'a']"), "true");
  EXPECT_EQ(Show("{'a': 1} == {'a': 1.0}"), "true");
  EXPECT_EQ(Show("1 == 'a'"), "false");
  EXPECT_EQ(Show("1 < 'a'"), "error: no matching overload for '_<_' applied to '(int, string)'");
  EXPECT_EQ(Show("2 in [1, 2u]"), "true");
  EXPECT_EQ(Show("'k' in {'k': 1}"), "true");
}

TEST(ProgramTest, LogicAbsorbsErrors) {
  EXPECT_EQ(Show("1/0 > 1 && false"), "false");
  EXPECT_EQ(Show("false && 1/0 > 1"), "false");
  EXPECT_EQ(Show("1/0 > 1 || true"), "true");
  EXPECT_EQ(Show("1/0 > 1 && true"), "error: division by zero");
  EXPECT_EQ(Show("true ? 1 : 1/0"), "1");
  EXPECT_EQ(Show("undeclared_fn(1) || true"), "true");
}

TEST(ProgramTest, MapsListsAndErrorsAsValues) {
  Value device = Eval("{'driver': 'gpu.example.com', 'attributes': {'gpu.example.com': {'model': 'a100'}}}");
  EXPECT_EQ(Show("device.attributes['gpu.example.com'].model", {{"device", device}}), "\"a100\"");
  EXPECT_EQ(Show("device.attributes['gpu.example.com'].profile", {{"device", device}}),
            "error: no such key: profile");
  EXPECT_EQ(Show("has(device.driver) && !has(device.capacity)", {{"device", device}}), "true");
  EXPECT_EQ(Show("[1, 2, 3][3]"), "error: index out of bounds: 3");
  EXPECT_EQ(Show("size([1, 2]) + size('héllo') + size({1: 2})"), "8");
  EXPECT_EQ(Show("{1: 'a', 1u: 'b'}").rfind("error: Failed with repeated key", 0), 0u);
}

TEST(ProgramTest, Macros) {
  EXPECT_EQ(Show("[1, 2, 3].all(x, x > 0)"), "true");
  EXPECT_EQ(Show("[1, 2, 3].exists(x, x == 2)"), "true");
  EXPECT_EQ(Show("[1, 2, 3].exists_one(x, x > 1)"), "false");
  EXPECT_EQ(Show("[1, 2, 3].map(x, x * 2)"), "[2, 4, 6]");
  EXPECT_EQ(Show("[1, 2, 3].map(x, x > 1, x * 2)"), "[4, 6]");
  EXPECT_EQ(Show("[1, 2, 3].filter(x, x != 2)"), "[1, 3]");
  EXPECT_EQ(Show("{'a': 1, 'b': 2}.all(k, v, v > 0)"), "true");
  EXPECT_EQ(Show("[0, -1].all(x, 1 / x > 0)"), "false");  // the false absorbs the error
  EXPECT_EQ(Show("[0, 1].all(x, 1 / x > 0)"), "error: division by zero");
  EXPECT_EQ(Show("cel.bind(x, 'ab', x + x)"), "\"abab\"");
  EXPECT_EQ(Show("[1, 2].transformList(i, v, i + v)"), "[1, 3]");
  EXPECT_EQ(Show("[1, 2].transformMap(i, v, v * 10)"), "{0: 10, 1: 20}");
}

TEST(ProgramTest, ConversionsAndTypes) {
  EXPECT_EQ(Show("int('42') + int(2.9) + int(3u)"), "47");
  EXPECT_EQ(Show("uint(-1)"), "error: uint range error");
  EXPECT_EQ(Show("string(1.5) + string(true) + string(b'x')"), "\"1.5truex\"");
  EXPECT_EQ(Show("type(1) == int && type(type(1)) == type"), "true");
  EXPECT_EQ(Show("bool('TRUE') && !bool('f')"), "true");
  EXPECT_EQ(Show("dyn(1) == 1"), "true");
}

TEST(ProgramTest, Strings) {
  EXPECT_EQ(Show("'abc'.startsWith('ab') && 'abc'.endsWith('bc') && 'abc'.contains('b')"), "true");
  EXPECT_EQ(Show("'gpu-1g'.matches('^gpu-[0-9]g$')"), "true");
  EXPECT_EQ(Show("'x'.matches('(')").rfind("error: invalid regular expression", 0), 0u);
}

TEST(ProgramTest, TimeFunctions) {
  EXPECT_EQ(Show("duration('1h30m')"), "duration(\"5400s\")");
  EXPECT_EQ(Show("timestamp('2009-02-13T23:31:30Z') + duration('1s')"),
            "timestamp(\"2009-02-13T23:31:31Z\")");
  EXPECT_EQ(Show("timestamp('2009-02-13T23:31:30Z').getHours('+01:00')"), "0");
  EXPECT_EQ(Show("timestamp('2009-02-13T23:31:30Z').getDayOfWeek()"), "5");
  EXPECT_EQ(Show("timestamp('2009-02-13T23:31:30Z').getMinutes('Asia/Kathmandu')"), "16");
  EXPECT_EQ(Show("timestamp('2009-02-13T23:31:30Z') - timestamp('2009-02-13T23:31:00Z')"),
            "duration(\"30s\")");
  EXPECT_EQ(Show("duration('3730s').getMinutes()"), "62");
}

TEST(ProgramTest, Optionals) {
  EXPECT_EQ(Show("optional.of(1).hasValue() && !optional.none().hasValue()"), "true");
  EXPECT_EQ(Show("optional.none().orValue(5)"), "5");
  EXPECT_EQ(Show("{'a': 1}.?b.orValue(7)"), "7");
  EXPECT_EQ(Show("{'a': {'b': 2}}.?a.b.value()"), "2");
  EXPECT_EQ(Show("[1, 2][?5].hasValue()"), "false");
  EXPECT_EQ(Show("[?optional.none(), ?optional.of(1)]"), "[1]");
  EXPECT_EQ(Show("{?'a': optional.none(), 'b': 2}"), "{\"b\": 2}");
  EXPECT_EQ(Show("optional.ofNonZeroValue(0).or(optional.of(3)).value()"), "3");
  EXPECT_EQ(Show("optional.of(2).optMap(v, v * 2).value()"), "4");
}

TEST(ProgramTest, VariablesAndCompileErrors) {
  CompileResult r = Compile(Env::Standard({"device"}), "devise.x == 1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.ErrorText(),
            "ERROR: <input>:1:1: undeclared reference to 'devise' (in container '')\n"
            " | devise.x == 1\n | ^");
  r = Compile(Env::Standard({"x", "s"}), "x + 1 > 10 && s.startsWith('ab')");
  ASSERT_TRUE(r.ok());
  Activation act(*r.program);
  EXPECT_TRUE(act.Bind("x", Value::Int(12)));
  EXPECT_FALSE(act.Bind("y", Value::Int(1)));
  act.Bind("s", Value::StringView("abc"));
  for (int i = 0; i < 3; ++i) {  // the same activation is reusable
    StatusOr<Value> v = r.program->Evaluate(act);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->DebugString(), "true");
  }
  Activation unbound(*r.program);
  EXPECT_TRUE(r.program->Evaluate(unbound)->IsError());
}

TEST(ProgramTest, IterationBudgetAborts) {
  EnvOptions opts;
  opts.max_iterations = 1000;
  CompileResult r = Compile(Env::Standard({}, opts),
                            "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, "
                            "[1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10])))");
  ASSERT_TRUE(r.ok());
  Activation act(*r.program);
  StatusOr<Value> v = r.program->Evaluate(act);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("cost limit"), std::string::npos);
}

// The abort message of `expr` under the default options, or "" when it evaluates.
std::string AbortMessage(const std::string& expr) {
  CompileResult r = Compile(Env::Standard({}), expr);
  EXPECT_TRUE(r.ok()) << r.ErrorText();
  if (!r.ok()) return "compile";
  Activation act(*r.program);
  StatusOr<Value> v = r.program->Evaluate(act);
  return v.ok() ? "" : v.status().message();
}

std::string NestedBinds(const std::string& init, const std::string& op, int depth) {
  // cel.bind(v0, init, cel.bind(v1, v0 op v0, ... size(vN)))
  std::string expr = "cel.bind(v0, " + init + ", ";
  for (int i = 1; i <= depth; ++i) {
    std::string prev = "v" + std::to_string(i - 1);
    expr += "cel.bind(v" + std::to_string(i) + ", " + prev + op + prev + ", ";
  }
  expr += "size(v" + std::to_string(depth) + ")";
  return expr + std::string(depth + 1, ')');
}

// Runtime cost (upstream's per-call limit 1,000,000, message shape included). Each of these
// grew memory or time without bound before cost tracking (cel_fuzz territory).
TEST(ProgramTest, CostBudgetIsSharedAcrossEvaluations) {
  CompileResult r = Compile(Env::Standard({}), "lists.range(1000).all(i, i >= 0)");
  ASSERT_TRUE(r.ok()) << r.ErrorText();
  Activation act(*r.program);
  CostBudget probe(1000000);
  ASSERT_TRUE(r.program->Evaluate(act, probe).ok());
  const int64_t one = 1000000 - probe.remaining();  // what one evaluation spends
  ASSERT_GT(one, 1000);
  // Room for four and a half evaluations: four fit, the fifth runs out.
  CostBudget budget(4 * one + one / 2);
  int evaluated = 0;
  for (; evaluated < 10; ++evaluated) {
    StatusOr<Value> v = r.program->Evaluate(act, budget);
    if (!v.ok()) {
      EXPECT_EQ(v.status().message(), kCostBudgetExceeded);
      break;
    }
    EXPECT_TRUE(v->bool_value());
  }
  EXPECT_EQ(evaluated, 4);
  EXPECT_TRUE(budget.exhausted());
  // Once exhausted, nothing more runs.
  EXPECT_EQ(r.program->Evaluate(act, budget).status().message(), kCostBudgetExceeded);
  // A budget larger than the per-call limit leaves the per-call message in place.
  CostBudget big(100000000);
  CompileResult bomb = Compile(Env::Standard({}), "lists.range(2000).all(i, lists.range(2000).all(j, j >= 0))");
  ASSERT_TRUE(bomb.ok());
  Activation bomb_act(*bomb.program);
  EXPECT_EQ(bomb.program->Evaluate(bomb_act, big).status().message(),
            "operation cancelled: actual cost limit exceeded");
}

TEST(ProgramTest, CostLimitStopsDoublingStringsAndLists) {
  const std::string kLimit = "operation cancelled: actual cost limit exceeded";
  EXPECT_EQ(AbortMessage(NestedBinds("'0123456789'", " + ", 40)), kLimit);
  EXPECT_EQ(AbortMessage(NestedBinds("[1, 2, 3, 4]", " + ", 40)), kLimit);
  EXPECT_EQ(AbortMessage(NestedBinds("b'0123456789'", " + ", 40)), kLimit);
  // Small doublings stay under the limit and evaluate.
  EXPECT_EQ(Show(NestedBinds("'0123456789'", " + ", 10)), "10240");
  EXPECT_EQ(Show(NestedBinds("[1, 2]", " + ", 10)), "2048");
}

TEST(ProgramTest, CostLimitChargesAmplifyingFunctionsBeforeTheWork) {
  const std::string kLimit = "operation cancelled: actual cost limit exceeded";
  // 5,000 × 5,000 bytes: refused before the 25 MB string is built.
  EXPECT_EQ(AbortMessage("cel.bind(s, lists.range(5000).map(i, 'a').join(), "
                         "size(s.replace('a', s)))"),
            kLimit);
  // join of 20,000 references to a 1,000-byte string (20 MB).
  EXPECT_EQ(AbortMessage("cel.bind(s, lists.range(100).map(i, '0123456789').join(), "
                         "size(lists.range(20000).map(i, s).join()))"),
            kLimit);
  // format() of 200,000 references to a 1,000-byte string (200 MB): stops at the limit.
  EXPECT_EQ(AbortMessage("cel.bind(s, lists.range(100).map(i, '0123456789').join(), "
                         "size('%s'.format([lists.range(200000).map(i, s)])))"),
            kLimit);
  EXPECT_EQ(AbortMessage("cel.bind(s, lists.range(100).map(i, '0123456789').join(), "
                         "size('%s'.format([lists.range(20000).map(i, {i: s})])))"),
            kLimit);
  EXPECT_EQ(Show("size('%s'.format([lists.range(3).map(i, 'ab')]))"), "12");  // [ab, ab, ab]
  // 20,000² comparisons.
  EXPECT_EQ(AbortMessage("cel.bind(l, lists.range(20000), sets.contains(l, l))"), kLimit);
  EXPECT_EQ(AbortMessage("lists.range(20000).map(i, i % 5).distinct().size()"), kLimit);
  // The same functions on modest inputs are fine.
  EXPECT_EQ(Show("cel.bind(s, lists.range(100).map(i, 'a').join(), size(s.replace('a', s)))"),
            "10000");
  EXPECT_EQ(Show("cel.bind(l, lists.range(500), sets.contains(l, l))"), "true");
}

TEST(ProgramTest, CostLimitChargesLinearScansInLoops) {
  // 100,000 iterations × `in` over 100,000 elements: 10^10 comparisons without the charge.
  EXPECT_EQ(AbortMessage("cel.bind(l, lists.range(100000), l.all(i, i in l))"),
            "operation cancelled: actual cost limit exceeded");
  // size() and indexing are constant-time and stay cheap in the same loop.
  EXPECT_EQ(Show("cel.bind(l, lists.range(100000), l.all(i, size(l) > 0 && l[0] == 0))"),
            "true");
}

TEST(ProgramTest, ComprehensionBombEndsAtTheCostLimit) {
  // 100^4 iterations: stops with upstream's message well before the 10^8th.
  EXPECT_EQ(AbortMessage("lists.range(100).map(a, lists.range(100).map(b, lists.range(100)"
                         ".map(c, lists.range(100).map(d, a + b + c + d))))"),
            "operation cancelled: actual cost limit exceeded");
}

}  // namespace
}  // namespace haru::cel
