// Runs cel-spec's checker conformance data (checking.json, parsing.json, comprehension.json,
// dumped by scripts/install-test-tools.sh) through parse and check: the checked type, the
// error text and the checked debug print must match cel-go's. Tests that need protobuf
// message types are counted as skipped; any other failure fails the test.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "cel/conformance/conformance_data.h"
#include "cel/ast/debug_printer.h"
#include "cel/checker/checker.h"
#include "cel/parser/parser.h"
#include "common/json.h"

namespace haru::cel {
namespace {

using K = Type::Kind;

using conformance::DataDir;

using conformance::ReadFile;

// Protobuf message types other than the two that are CEL's duration and timestamp.
bool NeedsMessages(const std::string& text) {
  for (const char* marker : {"messageType", "TestAllTypes", "google.expr.proto", "Proto2Message",
                             "google.protobuf.Any", "google.protobuf.Struct", "google.protobuf.Value",
                             "google.protobuf.ListValue", "Value{", "\"ANY\""}) {
    if (text.find(marker) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

// Shared with conformance_test.cc (declared there): cel.expr.Type and cel.expr.Decl JSON.
TypePtr TypeFromConformanceJson(const Json& j);
bool AddConformanceTypeEnv(const Json& env, Declarations* decls);

// A cel.expr.Type in protobuf JSON form; null when it is not expressible here.
TypePtr TypeFromConformanceJson(const Json& j) {
  if (j.contains("primitive")) {
    static const std::map<std::string, K> kKinds = {
        {"BOOL", K::kBool}, {"INT64", K::kInt}, {"UINT64", K::kUint}, {"DOUBLE", K::kDouble},
        {"STRING", K::kString}, {"BYTES", K::kBytes}};
    auto it = kKinds.find(j["primitive"].get<std::string>());
    return it == kKinds.end() ? nullptr : Primitive(it->second);
  }
  if (j.contains("wrapper")) {
    TypePtr inner = TypeFromConformanceJson(Json{{"primitive", j["wrapper"]}});
    return inner ? WrapperType(inner) : nullptr;
  }
  if (j.contains("dyn")) return DynType();
  if (j.contains("null")) return Primitive(K::kNull);
  if (j.contains("typeParam")) return TypeParam(j["typeParam"].get<std::string>());
  if (j.contains("wellKnown")) {
    std::string w = j["wellKnown"].get<std::string>();
    if (w == "DURATION") return Primitive(K::kDuration);
    if (w == "TIMESTAMP") return Primitive(K::kTimestamp);
    if (w == "ANY") return AnyType();
    return nullptr;
  }
  if (j.contains("listType")) {
    TypePtr elem = TypeFromConformanceJson(j["listType"]["elemType"]);
    return elem ? ListType(elem) : nullptr;
  }
  if (j.contains("mapType")) {
    TypePtr k = TypeFromConformanceJson(j["mapType"]["keyType"]), v = TypeFromConformanceJson(j["mapType"]["valueType"]);
    return k && v ? MapType(k, v) : nullptr;
  }
  if (j.contains("type")) {
    if (j["type"].empty()) return TypeType();
    TypePtr of = TypeFromConformanceJson(j["type"]);
    return of ? TypeType(of) : nullptr;
  }
  if (j.contains("abstractType")) {
    const Json& a = j["abstractType"];
    std::vector<TypePtr> params;
    if (a.contains("parameterTypes")) {
      for (const Json& p : a["parameterTypes"]) {
        TypePtr t = TypeFromConformanceJson(p);
        if (!t) return nullptr;
        params.push_back(t);
      }
    }
    std::string name = a["name"].get<std::string>();
    if (name == "optional_type" && params.size() == 1) return OptionalType(params[0]);
    return OpaqueType(name, std::move(params));
  }
  if (j.contains("messageType")) {
    std::string name = j["messageType"].get<std::string>();
    if (name == "google.protobuf.Duration") return Primitive(K::kDuration);
    if (name == "google.protobuf.Timestamp") return Primitive(K::kTimestamp);
  }
  return nullptr;
}

// Adds the test's cel.expr.Decl entries; false when one is not expressible here.
bool AddConformanceTypeEnv(const Json& env, Declarations* decls) {
  for (const Json& d : env) {
    std::string name = d["name"].get<std::string>();
    if (d.contains("ident")) {
      TypePtr t = TypeFromConformanceJson(d["ident"]["type"]);
      if (!t) return false;
      decls->AddVariable(name, t);
      continue;
    }
    if (!d.contains("function")) return false;
    for (const Json& o : d["function"]["overloads"]) {
      OverloadDecl overload;
      overload.id = o["overloadId"].get<std::string>();
      overload.member = o.value("isInstanceFunction", false);
      if (o.contains("params")) {
        for (const Json& p : o["params"]) {
          TypePtr t = TypeFromConformanceJson(p);
          if (!t) return false;
          overload.params.push_back(t);
        }
      }
      overload.result = TypeFromConformanceJson(o["resultType"]);
      if (!overload.result) return false;
      decls->AddOverload(name, std::move(overload));
    }
  }
  return true;
}

namespace {

// cel-go's checker_test.go environment, which checking.json's first tests assume.
void AddCelGoTestEnv(Declarations* decls) {
  decls->AddOverload("fg_s", OverloadDecl{"fg_s_0", false, {}, {}, Primitive(K::kString)});
  decls->AddOverload("fi_s_s", OverloadDecl{"fi_s_s_0", true, {}, {Primitive(K::kString)}, Primitive(K::kString)});
  for (auto [name, kind] : {std::pair{"is", K::kString}, {"ii", K::kInt}, {"iu", K::kUint}, {"iz", K::kBool},
                            {"ib", K::kBytes}, {"id", K::kDouble}, {"ix", K::kNull}}) {
    decls->AddVariable(name, Primitive(kind));
  }
}

// The data was recorded with the strings extension and the optional library but without
// ext.Lists: `sort` and `flatten` must stay undeclared.
void AddRecordedExtensions(Declarations* decls) {
  std::vector<OverloadSpec> specs;
  for (const OverloadSpec& spec : ExtensionOverloads()) {
    std::string_view fn = spec.function;
    if (fn == "sort" || fn == "flatten" || fn == "distinct" || fn == "slice" || fn == "lists.range" ||
        fn == "sortBy" || fn == "@sortByAssociatedKeys") {
      continue;
    }
    specs.push_back(spec);
  }
  (void)decls->AddSpecs(specs);
}

// The checked form of cel-go's debug print: "~type^reference" after each node.
class CheckedAdorner : public DebugAdorner {
 public:
  explicit CheckedAdorner(const CheckedAst& ast) : ast_(ast) {}
  std::string Adorn(const Expr& e) const override {
    std::string out;
    if (auto t = ast_.types.find(e.id); t != ast_.types.end()) out += "~" + t->second->ToString();
    if (e.kind == ExprKind::kConst || e.kind == ExprKind::kMap || e.kind == ExprKind::kComprehension) return out;
    if (auto r = ast_.references.find(e.id); r != ast_.references.end()) {
      if (r->second.overload_ids.empty()) {
        out += "^" + r->second.name;
      } else {
        for (size_t i = 0; i < r->second.overload_ids.size(); ++i) {
          out += (i ? "|" : "^") + r->second.overload_ids[i];
        }
      }
    }
    return out;
  }
  std::string AdornEntry(const Entry&) const override { return ""; }

 private:
  const CheckedAst& ast_;
};

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

// Tests recorded with options haru does not take, matched by expression prefix.
struct KnownDifference {
  const char* file;
  const char* expr_prefix;
  const char* reason;
};
constexpr KnownDifference kKnownDifferences[] = {
    {"checking", "1 <= 1.0 &&", "recorded with cel-go's cross-type numeric comparisons off; haru keeps them on"},
    {"checking", "1 < 1.0 &&", "recorded with cel-go's cross-type numeric comparisons off; haru keeps them on"},
    {"checking", "1 > 1.0 &&", "recorded with cel-go's cross-type numeric comparisons off; haru keeps them on"},
    {"checking", "1 >= 1.0 &&", "recorded with cel-go's cross-type numeric comparisons off; haru keeps them on"},
    {"parsing", "m.existsOne(v, f)", "recorded before existsOne was a macro; haru's parser expands it"},
};

const char* KnownDifferenceFor(const std::string& file, const std::string& expr) {
  for (const KnownDifference& k : kKnownDifferences) {
    if (file == k.file && expr.rfind(k.expr_prefix, 0) == 0) return k.reason;
  }
  return nullptr;
}

// Runs one test; "" on success, "skip" when it needs message types, else the failure.
std::string RunTest(const Json& t, bool celgo_test_env) {
  const Json& original = t["original"];
  const std::string expr = original.value("expr", "");
  if (NeedsMessages(original.dump())) return "skip";
  Declarations decls = Declarations::Standard();
  AddRecordedExtensions(&decls);
  if (celgo_test_env) AddCelGoTestEnv(&decls);
  if (original.contains("typeEnv") && !AddConformanceTypeEnv(original["typeEnv"], &decls)) return "skip";
  decls.SetContainer(original.value("container", ""));

  // The data was recorded without optional syntax, backquoted names and two-variable macros.
  ParserOptions options;
  options.enable_optional_syntax = false;
  options.enable_ident_escape_syntax = false;
  options.enable_two_variable_comprehensions = false;
  // The deep-nesting tests were recorded with cel-go's parser limit at 32.
  options.max_recursion_depth = 32;
  Source source{expr};
  ParseResult parsed = Parse(source, options);
  const std::string want_error = t.value("error", "");
  if (!parsed.ok()) {
    // Parse errors carry no source description; their wording is the parser tests' business.
    if (want_error.rfind("ERROR: :", 0) == 0) return "";
    return "unexpected parse error: " + FormatIssues(source, parsed.issues);
  }
  if (want_error.rfind("ERROR: :", 0) == 0) return "parsed, want a parse error: " + want_error;
  CheckedAst checked = Check(std::move(parsed.expr), decls);
  std::string got_error = checked.ok() ? "" : FormatIssues(source, checked.issues);
  if (got_error != want_error) return "--- want\n" + want_error + "\n--- got\n" + got_error;
  if (t.contains("type") && checked.type()->ToString() != t["type"].get<std::string>()) {
    return "type: want " + t["type"].get<std::string>() + ", got " + checked.type()->ToString();
  }
  if (t.contains("checkedAst")) {
    CheckedAdorner adorner(checked);
    std::string got = DebugString(*checked.expr, &adorner);
    if (got != t["checkedAst"].get<std::string>()) {
      return "--- want checked AST\n" + t["checkedAst"].get<std::string>() + "\n--- got\n" + got;
    }
  }
  return "";
}

void RunFile(const std::string& name) {
  std::string text;
  if (!ReadFile(DataDir() + name + ".json", &text)) {
    GTEST_SKIP() << "cel-spec checker data not found in " << DataDir() << "; run scripts/install-test-tools.sh";
  }
  StatusOr<Json> doc = ParseJson(text);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  Counts c;
  int index = 0;
  for (const Json& t : (*doc)["tests"]) {
    const std::string expr = t["original"].value("expr", "");
    std::string failure = RunTest(t, name == "checking");
    if (failure == "skip" || KnownDifferenceFor(name, expr) != nullptr) {
      ++c.skipped;
    } else if (failure.empty()) {
      ++c.passed;
    } else {
      ++c.failed;
      ADD_FAILURE() << name << " #" << index << ": " << t["original"].value("expr", "") << "\n" << failure;
    }
    ++index;
  }
  std::printf("[ check    ] %s: %d passed, %d failed, %d skipped (protobuf messages, recording options)\n",
              name.c_str(), c.passed, c.failed, c.skipped);
}

TEST(CheckConformance, Checking) { RunFile("checking"); }
TEST(CheckConformance, Parsing) { RunFile("parsing"); }
TEST(CheckConformance, Comprehension) { RunFile("comprehension"); }

}  // namespace
}  // namespace haru::cel
