// The extension and Kubernetes declaration tables against themselves and the runtime: every
// row parses, ids are unique, every function the runtime registers for these libraries is
// declared, and every declared overload has a runtime overload of the same call style and
// arity (apart from the differences listed below).
//
// FunctionRegistry cannot list its names, so the runtime's function names are listed here
// by hand and each is checked to exist in the registry; a function added to the runtime
// must be added to kRuntimeNames too. The standard library's names are left to the
// standard table's own test.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cel/checker/decl_table.h"
#include "cel/checker/decls.h"
#include "cel/library/extensions.h"
#include "cel/library/k8s.h"
#include "cel/library/standard.h"
#include "cel/runtime/function_registry.h"

namespace haru::cel {
namespace {

// Functions registered by src/cel/library/{strings_ext,strings_format,math_ext,lists_ext,
// sets_ext,encoders,optional,k8s_*}.cc.
const std::vector<std::string_view> kRuntimeNames = {
    // strings
    "charAt", "indexOf", "lastIndexOf", "lowerAscii", "upperAscii", "replace", "split", "substring",
    "trim", "join", "reverse", "strings.quote", "format",
    // math
    "math.greatest", "math.least", "math.ceil", "math.floor", "math.round", "math.trunc", "math.abs",
    "math.sign", "math.isInf", "math.isNaN", "math.isFinite", "math.bitAnd", "math.bitOr", "math.bitXor",
    "math.bitNot", "math.bitShiftLeft", "math.bitShiftRight", "math.sqrt",
    // lists, sets, encoders
    "lists.range", "slice", "flatten", "distinct", "sort", "@sortByAssociatedKeys", "first", "last",
    "sets.contains", "sets.equivalent", "sets.intersects", "base64.encode", "base64.decode",
    // optional
    "optional.of", "optional.none", "optional.ofNonZeroValue", "hasValue", "value", "orValue", "or",
    // quantity
    "quantity", "isQuantity", "sign", "isInteger", "asInteger", "asApproximateFloat", "add", "sub",
    "compareTo", "isGreaterThan", "isLessThan",
    // url
    "url", "isURL", "getScheme", "getHost", "getHostname", "getPort", "getEscapedPath", "getQuery",
    // ip and cidr
    "ip", "isIP", "ip.isCanonical", "string", "family", "isUnspecified", "isLoopback",
    "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast", "cidr", "isCIDR", "containsIP",
    "containsCIDR", "prefixLength", "masked",
    // semver, regex, lists
    "semver", "isSemver", "major", "minor", "patch", "find", "findAll", "isSorted", "sum", "min", "max",
    // format
    "format.named", "validate", "format.dns1123Label", "format.dns1123Subdomain", "format.dns1035Label",
    "format.qualifiedName", "format.dns1123LabelPrefix", "format.dns1123SubdomainPrefix",
    "format.dns1035LabelPrefix", "format.labelValue", "format.uri", "format.uuid", "format.byte",
    "format.date", "format.datetime",
};

// Declared functions the runtime does not register by that name: the optional select and
// index operators (the planner implements them) and the authorizer (declarations only).
const std::set<std::string_view> kDeclaredOnly = {
    "_?._", "_[?_]", "_[_]", "path", "group", "serviceAccount", "resource", "subresource", "namespace",
    "name", "check", "errored", "error", "allowed", "reason", "fieldSelector", "labelSelector",
};

// Overloads whose call style differs between upstream's declaration and haru's runtime.
// quantity_sign: upstream declares the global `sign(q)`; the runtime registers `q.sign()`.
const std::set<std::string_view> kStyleDifferences = {"quantity_sign"};

const FunctionRegistry& Runtime() {
  static const FunctionRegistry* r = [] {
    auto* reg = new FunctionRegistry();
    RegisterStandardLibrary(*reg);
    RegisterExtensionLibraries(*reg);
    RegisterKubernetesLibraries(*reg);
    return reg;
  }();
  return *r;
}

std::vector<OverloadSpec> AllRows() {
  std::vector<OverloadSpec> rows;
  for (const OverloadSpec& s : ExtensionOverloads()) rows.push_back(s);
  for (const OverloadSpec& s : KubernetesOverloads()) rows.push_back(s);
  return rows;
}

TEST(DeclsTest, TablesAreNotEmpty) {
  EXPECT_GE(ExtensionOverloads().size(), 100u);
  EXPECT_GE(KubernetesOverloads().size(), 100u);
}

TEST(DeclsTest, EveryRowParses) {
  for (const OverloadSpec& s : AllRows()) {
    StatusOr<OverloadDecl> o = ParseOverload(s);
    EXPECT_TRUE(o.ok()) << s.function << " " << s.id << ": " << o.status().ToString();
  }
}

TEST(DeclsTest, OverloadIdsAreUnique) {
  std::set<std::string> seen;
  for (const OverloadSpec& s : AllRows()) {
    EXPECT_TRUE(seen.insert(s.id).second) << "duplicate overload id " << s.id;
  }
}

TEST(DeclsTest, LibraryTypesUseUpstreamNames) {
  std::set<std::string> opaque;
  for (const OverloadSpec& s : KubernetesOverloads()) {
    StatusOr<OverloadDecl> o = ParseOverload(s);
    ASSERT_TRUE(o.ok()) << s.id;
    std::vector<TypePtr> types = o.value().params;
    types.push_back(o.value().result);
    while (!types.empty()) {
      TypePtr t = types.back();
      types.pop_back();
      if (t->kind == Type::Kind::kOpaque) opaque.insert(t->name);
      for (const TypePtr& p : t->params) types.push_back(p);
    }
  }
  std::set<std::string> want = {
      kQuantityType, kUrlType, kIpType, kCidrType, kSemverType, kFormatType,
      "kubernetes.authorization.Authorizer", "kubernetes.authorization.PathCheck",
      "kubernetes.authorization.GroupCheck", "kubernetes.authorization.ResourceCheck",
      "kubernetes.authorization.Decision",
  };
  EXPECT_EQ(opaque, want);
}

TEST(DeclsTest, EveryRuntimeFunctionIsDeclared) {
  std::set<std::string> declared;
  for (const OverloadSpec& s : AllRows()) declared.insert(s.function);
  for (std::string_view name : kRuntimeNames) {
    EXPECT_TRUE(Runtime().Has(name)) << "kRuntimeNames lists '" << name << "', which the runtime lacks";
    EXPECT_TRUE(declared.count(std::string(name))) << "'" << name << "' has no declaration";
  }
}

TEST(DeclsTest, EveryDeclarationHasARuntimeOverload) {
  for (const OverloadSpec& s : AllRows()) {
    if (kDeclaredOnly.count(s.function)) continue;
    StatusOr<OverloadDecl> o = ParseOverload(s);
    ASSERT_TRUE(o.ok()) << s.id;
    size_t arity = o.value().params.size();
    bool member = s.member != (kStyleDifferences.count(s.id) > 0);
    EXPECT_FALSE(Runtime().Candidates(s.function, member, arity).empty())
        << s.id << ": the runtime has no " << (member ? "member" : "global") << " '" << s.function
        << "' taking " << arity << " arguments";
  }
}

}  // namespace
}  // namespace haru::cel
