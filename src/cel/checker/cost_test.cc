#include "cel/checker/cost.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cel/checker/checker.h"
#include "cel/checker/environments.h"
#include "cel/parser/parser.h"

namespace haru::cel {
namespace {

// Parses and checks `expr` with the standard, extension and Kubernetes libraries and
// `variables`, then estimates it.
CostEstimate Estimate(std::string_view expr, const std::map<std::string, TypePtr>& variables,
                      const SizeEstimator* sizes, const CostOptions& options) {
  ParseResult parsed = Parse(Source(std::string(expr)));
  EXPECT_TRUE(parsed.ok()) << expr;
  if (!parsed.ok()) return {};
  Declarations decls = Declarations::Kubernetes();
  for (const auto& [name, type] : variables) decls.AddVariable(name, type);
  CheckedAst checked = Check(std::move(parsed.expr), decls);
  EXPECT_TRUE(checked.ok()) << expr << ": " << (checked.issues.empty() ? "" : checked.issues[0].message);
  StatusOr<CostEstimate> cost = EstimateCost(checked, sizes, options);
  EXPECT_TRUE(cost.ok()) << cost.status().ToString();
  return cost.ok() ? *cost : CostEstimate{};
}

uint64_t DraCost(std::string_view expr) {
  static const std::unique_ptr<SizeEstimator> dra = DraSelectorSizeEstimator();
  return Estimate(expr, {{"device", DraDeviceType()}}, dra.get(), KubernetesCostOptions()).max;
}

TEST(CostArithmeticTest, Saturates) {
  EXPECT_EQ(SaturatingAdd(kMaxCost, 1), kMaxCost);
  EXPECT_EQ(SaturatingMul(kMaxCost / 2, 3), kMaxCost);
  EXPECT_EQ(SaturatingMul(0, kMaxCost), 0u);
  EXPECT_EQ(MulByFactor(64, 0.2), 13u);
  EXPECT_EQ(MulByFactor(15, 0.1), 2u);
  EXPECT_EQ(MulByFactor(kMaxCost, 0.1), 1844674407370955264u);
  EXPECT_EQ(MulByFactor(kMaxCost, 2), kMaxCost);
  EXPECT_EQ((SizeEstimate{2, 5}.MultiplyByCost(CostEstimate{3, kMaxCost})), (CostEstimate{6, kMaxCost}));
}

// k8s.io/dynamic-resource-allocation/cel compile_test.go: expectCost of each scenario.
TEST(CostTest, DraSelectorsMatchUpstream) {
  constexpr uint64_t kAttr = 64;  // max(DeviceAttributeMaxValueLength, ResourceSliceMaxAttributeValuesPerDevice)
  const struct {
    const char* expr;
    uint64_t cost;
  } cases[] = {
      {R"(device.attributes["no-such-domain"].noSuchAttr.isGreaterThan(quantity("0")))", 6},
      {R"(device.attributes["no-such-domain"]["noSuchAttr"].isGreaterThan(quantity("0")))", 6},
      {R"("no-such-domain" in device.attributes)", 3},
      {R"(device.driver == "")", 2},
      {R"(device.driver == "dra.example.com")", 4},
      {R"(device.attributes["dra.example.com"].name)", 4},
      {R"(device.attributes["dra.example.com"]["name"])", 4},
      {R"(cel.bind(dra, device.attributes["dra.example.com"], dra.name))", 15},
      {R"(device.attributes["dra.example.com"].name > 0)", 5},
      {R"(device.attributes["dra.example.com"].name == "fish")", 5},
      {R"(device.attributes["dra.example.com"].names.size() == 2)", 6},
      {R"(device.attributes["dra.example.com"].names.exists(x, x > 0))", 5 + 6 * kAttr},
      {R"(device.attributes["dra.example.com"].names.all(x, x != ""))", 5 + 4 * kAttr},
      {R"(device.attributes["dra.example.com"].names.all(x, x.isGreaterThan(semver("0.0.1"))))", 5 + 6 * kAttr},
      {R"(device.attributes["dra.example.com"].name.exists(x, x.isGreaterThan(semver("0.0.1"))))", 5 + 7 * kAttr},
      {R"(device.attributes["dra.example.com"].name.isGreaterThan(semver("0.0.1")))", 6},
      {R"(device.attributes["dra.example.com"].name.isGreaterThan(semver("v0.0.1", true)) && isSemver("v1.0.0", true))",
       7},
      {R"(device.capacity["dra.example.com"].name.isGreaterThan(quantity("1Ki")))", 6},
      {R"("name" in device.capacity["dra.example.com"] && device.capacity["dra.example.com"].name.isGreaterThan(quantity("1Ki")))",
       10},
      {R"(!("name" in device.capacity["dra.example.com"]) || device.capacity["dra.example.com"].name.isGreaterThan(quantity("1Ki")))",
       11},
      {R"(
device.capacity["dra.example.com"].quantity.isGreaterThan(quantity("1Ki")) &&
device.attributes["dra.example.com"].bool &&
device.attributes["dra.example.com"].int > 0 &&
device.attributes["dra.example.com"].string == "fish" &&
device.attributes["dra.example.com"].version.isGreaterThan(semver("0.0.1")) &&
device.capacity["dra.example.com"]["quantity"].isGreaterThan(quantity("1Ki")) &&
device.attributes["dra.example.com"]["bool"] &&
device.attributes["dra.example.com"]["int"] > 0 &&
device.attributes["dra.example.com"]["string"] == "fish" &&
device.attributes["dra.example.com"]["version"].isGreaterThan(semver("0.0.1"))
)",
       52},
      {R"(device.attributes["dra.example.com"].a && device.attributes["dra.example.com"].b && device.attributes["dra.example.com"].c)",
       12},
      {R"(device.attributes.exists_one(x, x == "dra.example.com"))", 164},
      {R"(device.attributes["dra.example.com"].exists_one(x, x == "services"))", 133},
      {R"(device.attributes["dra.example.com"].services.split("example").size() >= 2)", 19},
      {R"(device.attributes["dra.example.com"].services.matches("[^a]?sym"))", 18},
      {R"(device.capacity.exists_one(x, x == "dra.example.com"))", 164},
      {R"(device.capacity["dra.example.com"].exists_one(x, x == "memory"))", 133},
      {"[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(x, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(y, "
       "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z2, "
       "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z4, "
       "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(z5, int('1'.find('[0-9]*')) < 100)))))))",
       85555551},
      {"device.allowMultipleAllocations == true", 3},
      {"device.allowMultipleAllocations == false", 3},
  };
  for (const auto& c : cases) EXPECT_EQ(DraCost(c.expr), c.cost) << c.expr;
  EXPECT_GT(DraCost(cases[std::size(cases) - 3].expr), kDraSelectorMaxCost);
}

// Needs the checker to record every overload a dyn operand may take (in_list and in_map)
// and DRA's includes() to be declared.
TEST(CostTest, DraSelectorsDynOverloads) {
  EXPECT_EQ(DraCost(R"(1 in device.attributes["dra.example.com"].names)"), 4u + 64);
}

// A hand-built CheckedInfo: `list` is list(string) of unknown length.
class TableInfo : public CheckedInfo {
 public:
  std::map<int64_t, TypePtr> types;
  std::map<int64_t, std::vector<std::string>> overloads;
  TypePtr TypeOf(int64_t id) const override {
    auto it = types.find(id);
    return it == types.end() ? nullptr : it->second;
  }
  std::span<const std::string> OverloadIds(int64_t id) const override {
    auto it = overloads.find(id);
    if (it == overloads.end()) return {};
    return it->second;
  }
};

TEST(CostTest, HandBuiltInfo) {
  // size(s) + 1 with s: string.
  auto ident = std::make_unique<Expr>();
  ident->id = 1;
  ident->kind = ExprKind::kIdent;
  ident->name = "s";
  auto size = std::make_unique<Expr>();
  size->id = 2;
  size->kind = ExprKind::kCall;
  size->name = "size";
  size->args.push_back(std::move(ident));
  auto one = std::make_unique<Expr>();
  one->id = 3;
  one->constant = Value::Int(1);
  Expr add;
  add.id = 4;
  add.kind = ExprKind::kCall;
  add.name = "_+_";
  add.args.push_back(std::move(size));
  add.args.push_back(std::move(one));
  TableInfo info;
  info.types = {{1, Primitive(Type::Kind::kString)}, {2, Primitive(Type::Kind::kInt)},
                {3, Primitive(Type::Kind::kInt)},    {4, Primitive(Type::Kind::kInt)}};
  info.overloads = {{2, {"size_string"}}, {4, {"add_int64"}}};
  StatusOr<CostEstimate> c = EstimateCost(info, add, nullptr);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, CostEstimate::Fixed(3));
  // Without overload ids a call is free, as in cel-go.
  info.overloads.clear();
  EXPECT_EQ(*EstimateCost(info, add, nullptr), CostEstimate::Fixed(0));
}

// cel-go checker/cost_test.go cases (no size estimator, presence test costs 1).
TEST(CostTest, CelGoCases) {
  auto cel = [](std::string_view expr, std::map<std::string, TypePtr> vars = {}) {
    return Estimate(expr, vars, nullptr, CostOptions{});
  };
  TypePtr str = Primitive(Type::Kind::kString);
  TypePtr integer = Primitive(Type::Kind::kInt);
  EXPECT_EQ(cel("'abc' + 'def'"), CostEstimate::Fixed(1));
  EXPECT_EQ(cel("[1, 2] + [3]"), CostEstimate::Fixed(21));
  EXPECT_EQ(cel("'hello'.contains('ell')"), CostEstimate::Fixed(1));
  EXPECT_EQ(cel("'hello'.matches('h.*o')"), CostEstimate::Fixed(1));
  EXPECT_EQ(cel("{'a': 1}"), CostEstimate::Fixed(30));
  // Per element: @not_strictly_false(accu) 2, accu && x > 0 from 1 (short circuit) to 3.
  EXPECT_EQ(cel("[1, 2, 3].all(x, x > 0)"), (CostEstimate{10 + 3 * (2 + 1) + 1, 10 + 3 * (2 + 3) + 1}));
  // Per element: accu + [x * 2] = accu 1 + (x 1 + * 1 + list 10) + add_list 1.
  EXPECT_EQ(cel("[1, 2, 3].map(x, x * 2)"), CostEstimate::Fixed(10 + 10 + 3 * 14 + 1));
  EXPECT_EQ(cel("input.size() > 2", {{"input", str}}), CostEstimate::Fixed(3));
  EXPECT_EQ(cel("input == 'abc'", {{"input", str}}), (CostEstimate{2, 2}));
  EXPECT_EQ(cel("input.startsWith('abcdefghijk')", {{"input", str}}), CostEstimate::Fixed(3));
  // An unknown length is max uint64: a tenth of it per character of the receiver.
  EXPECT_EQ(cel("input.contains('x')", {{"input", str}}).max, 1844674407370955264u + 1);
  EXPECT_EQ(cel("has(m.a)", {{"m", MapType(str, integer)}}), CostEstimate::Fixed(2));
  EXPECT_EQ(cel("dyn(1)"), CostEstimate::Fixed(1));
  EXPECT_EQ(cel("true ? 'ab' : 'abcde'"), CostEstimate::Fixed(0));
  // Unbounded input: a loop over a list of unknown length is unbounded.
  EXPECT_EQ(cel("l.all(x, x > 0)", {{"l", ListType(integer)}}).max, kMaxCost);
  // Nested loops multiply.
  EXPECT_EQ(cel("[1, 2].all(x, [1, 2, 3].exists(y, x == y))"),
            (CostEstimate{10 + 2 * (2 + 1) + 1, 10 + 2 * (2 + 1 + (10 + 3 * (3 + 1 + 3) + 1)) + 1}));
  EXPECT_EQ(cel("sets.contains([1], [1])"), CostEstimate::Fixed(22));
  EXPECT_EQ(cel("sets.equivalent([1, 2, 3], [3u, 2.0, 1])"), CostEstimate::Fixed(39));
}

// k8s.io/apiserver/pkg/cel/library cost_test.go (strings/bytes of unknown size: 0..12).
class TestSizes : public SizeEstimator {
 public:
  std::optional<SizeEstimate> EstimateSize(const CostNode& node) const override {
    if (node.type && (node.type->kind == Type::Kind::kString || node.type->kind == Type::Kind::kBytes)) {
      return SizeEstimate{0, 12};
    }
    return std::nullopt;
  }
};

TEST(CostTest, KubernetesLibraries) {
  TestSizes sizes;
  std::unique_ptr<SizeEstimator> k8s = KubernetesCostEstimator(&sizes);
  auto est = [&](std::string_view expr) { return Estimate(expr, {}, k8s.get(), KubernetesCostOptions()); };
  EXPECT_EQ(est("[1, 2, 3, 4, 5].sum()"), CostEstimate::Fixed(15));
  EXPECT_EQ(est("[uint(1), uint(2), uint(3), uint(4), uint(5)].sum()"), CostEstimate::Fixed(20));
  EXPECT_EQ(est("[1, 2, 3, 4, 5].isSorted()"), CostEstimate::Fixed(15));
  EXPECT_EQ(est("['012345678901', '012345678901', '012345678901', '012345678901', '012345678901'].max()"),
            (CostEstimate{15, 25}));
  EXPECT_EQ(est("[1, 2, 3, 4, 5].indexOf(3)"), CostEstimate::Fixed(15));
  EXPECT_EQ(est("'01234567890123456789012345678901234567890123456789'.indexOf('123')"), CostEstimate::Fixed(5));
  EXPECT_EQ(est("url('https:://kubernetes.io/').getScheme()"), CostEstimate::Fixed(4));
  EXPECT_EQ(est("'ABCDEFGHIJ abcdefghij'.lowerAscii()"), CostEstimate::Fixed(3));
  EXPECT_EQ(est("'ABCDEFGHIJ abcdefghij'.lowerAscii() == 'abcdefghij ABCDEFGHIJ'.lowerAscii()"),
            (CostEstimate{7, 9}));
  EXPECT_EQ(est("strings.quote('ABCDEFGHIJ abcdefghij')"), CostEstimate::Fixed(3));
  EXPECT_EQ(est("strings.quote('ABCDEFGHIJ abcdefghij') == strings.quote('ABCDEFGHIJ abcdefghij')"),
            (CostEstimate{7, 11}));
  EXPECT_EQ(est("'abc 123 def 123'.replace('123', '456')"), CostEstimate::Fixed(3));
  EXPECT_EQ(est("'abc 123 def 123'.replace('', 'x')"), CostEstimate::Fixed(3));
  EXPECT_EQ(est("'abc 123 def 123'.split(' ', 1)"), CostEstimate::Fixed(3));
  EXPECT_EQ(est("'abc 123 def 123'.substring(5, 8)"), CostEstimate::Fixed(2));
  EXPECT_EQ(est("'  abc 123 def 123  '.trim()"), CostEstimate::Fixed(2));
  EXPECT_EQ(est("['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(' ')"), (CostEstimate{11, 23}));
  EXPECT_EQ(est("['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join()"), (CostEstimate{10, 22}));
  EXPECT_EQ(est("'abc 123 def 123'.find('123')"), CostEstimate::Fixed(2));
  EXPECT_EQ(est("'abc 123 def 123'.findAll('123', 1)"), CostEstimate::Fixed(2));
  EXPECT_EQ(est("quantity(\"12Mi\")"), CostEstimate::Fixed(1));
  EXPECT_EQ(est("quantity(\"50M\").isLessThan(quantity(\"50Mi\"))"), CostEstimate::Fixed(3));
  EXPECT_EQ(est("quantity(\"50k\").add(20).sub(quantity(\"100k\")).sub(-50000).asInteger() > 0"),
            CostEstimate::Fixed(7));
  EXPECT_EQ(est("quantity(\"200M\") == quantity(\"200M\")"), CostEstimate::Fixed(3));  // newer library
  EXPECT_EQ(est("sets.contains([1, 2, 3, 4], [2, 3])"), CostEstimate::Fixed(29));
  EXPECT_EQ(est("sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])"), CostEstimate::Fixed(65));
  EXPECT_EQ(est("!sets.equivalent([1, 2], [2u, 2, 2.0])"), CostEstimate::Fixed(34));
  // IP and CIDR: parsing is O(1) from cel-go v0.26; before, priced by the string.
  EXPECT_EQ(est("cidr('192.168.0.0/16').containsIP(ip('192.0.0.1'))"), (CostEstimate{3, 6}));
  CostOptions legacy = KubernetesCostOptions();
  legacy.legacy_global_call_target = true;
  auto old = [&](std::string_view expr) { return Estimate(expr, {}, k8s.get(), legacy); };
  EXPECT_EQ(old("ip('2001:db8:3333:4444:5555:6666:7777:8888')"), CostEstimate::Fixed(4));
  EXPECT_EQ(old("ip.isCanonical('2001:db8:3333:4444:5555:6666:7777:8888')"), CostEstimate::Fixed(8));
  EXPECT_EQ(old("cidr('192.168.0.0/16').containsCIDR('192.0.0.0/30')"), (CostEstimate{2 + 5, 2 + 9}));
  EXPECT_EQ(old("cidr('192.168.0.0/16').containsIP(ip('192.169.169.250'))"), (CostEstimate{2 + 3, 2 + 6}));
}

TEST(CostTest, AuthorizerChecks) {
  std::unique_ptr<SizeEstimator> k8s = KubernetesCostEstimator(nullptr);
  TypePtr authz = OpaqueType("kubernetes.authorization.Authorizer");
  auto est = [&](std::string_view expr) {
    return Estimate(expr, {{"authorizer", authz}}, k8s.get(), KubernetesCostOptions());
  };
  EXPECT_EQ(est("authorizer.path('/healthz').check('get').allowed()"), CostEstimate::Fixed(350003));
  EXPECT_EQ(est("authorizer.group('apps').resource('deployments').subresource('status').namespace('test')"
                ".name('backend').check('create').allowed()"),
            CostEstimate::Fixed(350007));
}

// k8s library cost_test.go TestSize: result sizes of replace.
TEST(CostTest, ReplaceResultSize) {
  std::unique_ptr<SizeEstimator> k8s = KubernetesCostEstimator(nullptr);
  auto size_of = [&](SizeEstimate s, SizeEstimate from, SizeEstimate to) {
    CostNode target, a, b;
    target.computed_size = s;
    a.computed_size = from;
    b.computed_size = to;
    CostNode args[] = {a, b};
    return k8s->EstimateCallCost("replace", "", &target, args)->result_size.value();
  };
  EXPECT_EQ(size_of(SizeEstimate::Fixed(3), SizeEstimate::Fixed(0), SizeEstimate::Fixed(1)), SizeEstimate::Fixed(7));
  EXPECT_EQ(size_of(SizeEstimate::Fixed(3), SizeEstimate::Fixed(1), SizeEstimate::Fixed(0)), (SizeEstimate{0, 3}));
  EXPECT_EQ(size_of(SizeEstimate::Fixed(4), SizeEstimate::Fixed(2), SizeEstimate::Fixed(4)), (SizeEstimate{4, 8}));
  EXPECT_EQ(size_of(SizeEstimate::Fixed(4), {0, 1}, {0, 2}), (SizeEstimate{0, 14}));
  EXPECT_EQ(size_of(SizeEstimate::Fixed(4), {1, 1}, {1, 2}), (SizeEstimate{4, 8}));
  EXPECT_EQ(size_of(SizeEstimate::Fixed(4), {1, 2}, {1, 1}), (SizeEstimate{2, 4}));
}

// A CRD-style bound: spec.containers without maxItems is bounded by the request size.
TEST(CostTest, BoundedSizes) {
  TypePtr str = Primitive(Type::Kind::kString);
  TypePtr container = ObjectType("Container", {{"name", str}});
  TypePtr spec = ObjectType("Spec", {{"containers", ListType(container)}});
  TypePtr object = ObjectType("Object", {{"spec", spec}});
  auto name = std::make_shared<SizeBound>();
  name->max_elements = 63;
  auto item = std::make_shared<SizeBound>();
  item->fields["name"] = name;
  auto containers = std::make_shared<SizeBound>();
  containers->max_elements = MaxArrayItemsFromMinSize(2);  // each item at least "{}"
  containers->elem = item;
  auto spec_bound = std::make_shared<SizeBound>();
  spec_bound->fields["containers"] = containers;
  auto root = std::make_shared<SizeBound>();
  root->fields["spec"] = spec_bound;
  std::unique_ptr<SizeEstimator> bounds = BoundedSizeEstimator({{"object", root}});
  std::unique_ptr<SizeEstimator> k8s = KubernetesCostEstimator(bounds.get());
  EXPECT_EQ(MaxArrayItemsFromMinSize(2), 1048575u);
  // Per item: condition 2, step: accu 1 + (c 1 + .name 1 + == ceil(3*0.1)=1) = 4 → 6.
  CostEstimate c = Estimate("object.spec.containers.all(c, c.name == 'app')", {{"object", object}}, k8s.get(),
                            KubernetesCostOptions());
  EXPECT_EQ(c.max, 3u + 1048575u * 6 + 1);
  CostEstimate unbounded = Estimate("object.spec.containers.all(c, c.name == 'app')", {{"object", object}},
                                    nullptr, KubernetesCostOptions());
  EXPECT_EQ(unbounded.max, kMaxCost);
}

}  // namespace
}  // namespace haru::cel
