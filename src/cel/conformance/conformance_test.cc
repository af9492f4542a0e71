// Runs the cel-spec simple conformance tests (dumped to JSON by scripts/install-test-tools.sh
// from @bufbuild/cel-spec) through parse, check (unless the test disables it; checkOnly
// tests stop there), plan and evaluate. Tests listed in skip_list.txt
// are counted as skipped; any other failure fails this test.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cel/conformance/conformance_data.h"
#include "cel/checker/checker.h"
#include "cel/common/containers.h"
#include "cel/common/time.h"
#include "cel/runtime/program.h"
#include "common/base64.h"
#include "common/json.h"

namespace haru::cel {

// From check_conformance_test.cc: cel.expr.Type and cel.expr.Decl JSON for the checker.
TypePtr TypeFromConformanceJson(const Json& j);
bool AddConformanceTypeEnv(const Json& env, Declarations* decls);

namespace {

using conformance::DataDir;

std::string SourceDir() {
  std::string f = __FILE__;
  return f.substr(0, f.rfind('/') + 1);
}

using conformance::ReadFile;

// Skip entries: "file/section/test  reason"; a trailing '*' matches a prefix.
struct SkipList {
  std::vector<std::string> exact_or_prefix;
  // 0: not listed, 1: listed by a prefix, 2: listed by name.
  int Matches(const std::string& name) const {
    int best = 0;
    for (const std::string& p : exact_or_prefix) {
      if (!p.empty() && p.back() == '*') {
        if (name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0) best = std::max(best, 1);
      } else if (p == name) {
        return 2;
      }
    }
    return best;
  }
};

SkipList LoadSkipList() {
  SkipList s;
  std::string text;
  if (!ReadFile(SourceDir() + "skip_list.txt", &text)) return s;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    s.exact_or_prefix.push_back(line.substr(0, line.find_first_of(" \t")));
  }
  return s;
}

// A cel.expr.Value in protobuf JSON form -> Value. False when the value needs message types.
bool FromJson(const Json& j, Value* out, std::string* why) {
  if (j.contains("nullValue")) return *out = Value::Null(), true;
  if (j.contains("boolValue")) return *out = Value::Bool(j["boolValue"].get<bool>()), true;
  if (j.contains("int64Value")) {
    const Json& v = j["int64Value"];
    return *out = Value::Int(v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>()), true;
  }
  if (j.contains("uint64Value")) {
    const Json& v = j["uint64Value"];
    return *out = Value::Uint(v.is_string() ? std::stoull(v.get<std::string>()) : v.get<uint64_t>()), true;
  }
  if (j.contains("doubleValue")) {
    const Json& v = j["doubleValue"];
    double d;
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      d = s == "NaN" ? std::nan("") : s == "Infinity" ? INFINITY : s == "-Infinity" ? -INFINITY : std::stod(s);
    } else {
      d = v.get<double>();
    }
    return *out = Value::Double(d), true;
  }
  if (j.contains("stringValue")) return *out = Value::String(j["stringValue"].get<std::string>()), true;
  if (j.contains("bytesValue")) {
    auto b = Base64Decode(j["bytesValue"].get<std::string>());
    if (!b) return *why = "bad base64", false;
    return *out = Value::Bytes(*b), true;
  }
  if (j.contains("typeValue")) return *out = Value::Type(j["typeValue"].get<std::string>()), true;
  if (j.contains("listValue")) {
    std::vector<Value> elems;
    if (j["listValue"].contains("values")) {
      for (const Json& e : j["listValue"]["values"]) {
        Value v;
        if (!FromJson(e, &v, why)) return false;
        elems.push_back(std::move(v));
      }
    }
    return *out = Value::List(new ValueList(std::move(elems))), true;
  }
  if (j.contains("mapValue")) {
    auto* m = new ValueMap();
    *out = Value::Map(m);
    if (j["mapValue"].contains("entries")) {
      for (const Json& e : j["mapValue"]["entries"]) {
        Value k, v;
        if (!FromJson(e["key"], &k, why) || !FromJson(e["value"], &v, why)) return false;
        m->Insert(std::move(k), std::move(v));
      }
    }
    return true;
  }
  if (j.contains("objectValue")) {
    const Json& o = j["objectValue"];
    std::string type = o.value("@type", "");
    if (type == "type.googleapis.com/google.protobuf.Duration") {
      auto d = ParseDuration(o["value"].get<std::string>());
      if (!d) return *why = "bad duration", false;
      return *out = Value::Duration(d->seconds, d->nanos), true;
    }
    if (type == "type.googleapis.com/google.protobuf.Timestamp") {
      auto t = ParseTimestamp(o["value"].get<std::string>());
      if (!t) return *why = "bad timestamp", false;
      return *out = Value::Timestamp(t->seconds, t->nanos), true;
    }
    return *why = "message type " + type, false;
  }
  *why = "unsupported value " + j.dump().substr(0, 60);
  return false;
}

// Result comparison: like ==, but kinds must match exactly (1 is not 1u) and NaN equals NaN.
bool SameValue(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kNull: return true;
    case ValueKind::kBool: return a.bool_value() == b.bool_value();
    case ValueKind::kInt: return a.int_value() == b.int_value();
    case ValueKind::kUint: return a.uint_value() == b.uint_value();
    case ValueKind::kDouble:
      return (std::isnan(a.double_value()) && std::isnan(b.double_value())) ||
             a.double_value() == b.double_value();
    case ValueKind::kString: case ValueKind::kBytes: case ValueKind::kType:
      return a.string_value() == b.string_value();
    case ValueKind::kDuration: case ValueKind::kTimestamp:
      return a.seconds() == b.seconds() && a.nanos() == b.nanos();
    case ValueKind::kList: {
      if (a.list().size() != b.list().size()) return false;
      for (size_t i = 0; i < a.list().size(); ++i) {
        if (!SameValue(a.list().Get(i), b.list().Get(i))) return false;
      }
      return true;
    }
    case ValueKind::kMap: {
      if (a.map().size() != b.map().size()) return false;
      for (size_t i = 0; i < a.map().size(); ++i) {
        Value other;
        if (!b.map().Find(a.map().KeyAt(i), &other) || !SameValue(a.map().ValueAt(i), other)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

// Type-checks the test's expression against its typeEnv with the standard and extension
// libraries, and compares typedResult.deducedType when given. "" on success.
std::string CheckTest(const Json& t) {
  Declarations decls = Declarations::Standard();
  (void)decls.AddSpecs(ExtensionOverloads());
  decls.SetContainer(t.value("container", ""));
  // Protobuf-typed environments cannot be declared here; those tests only evaluate.
  if (t.contains("typeEnv") && !AddConformanceTypeEnv(t["typeEnv"], &decls)) return "";
  if (t.contains("bindings")) {
    // A binding without a declaration is checked as dyn.
    for (const auto& [name, b] : t["bindings"].items()) {
      if (decls.FindVariable(name) == nullptr) decls.AddVariable(name, DynType());
    }
  }
  Source source{t.value("expr", "")};
  ParseResult parsed = Parse(source);
  if (!parsed.ok()) return "";  // the evaluation path reports parse errors
  CheckedAst checked = Check(std::move(parsed.expr), decls);
  if (!checked.ok()) return "check: " + FormatIssues(source, checked.issues);
  if (t.contains("typedResult") && t["typedResult"].contains("deducedType")) {
    TypePtr want = TypeFromConformanceJson(t["typedResult"]["deducedType"]);
    if (!want) return "deducedType not expressible without protobuf messages";
    if (!SameType(want, checked.type())) {
      return "deduced type " + checked.type()->ToString() + ", want " + want->ToString();
    }
  }
  return "";
}

// Runs one test; returns "" on success or a description of the failure.
std::string RunTest(const Json& t) {
  const std::string expr = t.value("expr", "");
  if (!t.value("disableCheck", false)) {
    std::string check_failure = CheckTest(t);
    if (!check_failure.empty() || t.value("checkOnly", false)) return check_failure;
  }
  std::vector<std::string> vars;
  if (t.contains("typeEnv")) {
    for (const Json& d : t["typeEnv"]) {
      if (d.contains("ident")) vars.push_back(d["name"].get<std::string>());
    }
  }
  std::map<std::string, Value> bindings;
  if (t.contains("bindings")) {
    for (const auto& [name, b] : t["bindings"].items()) {
      Value v;
      std::string why;
      if (!b.contains("value") || !FromJson(b["value"], &v, &why)) return "binding " + name + ": " + why;
      bindings[name] = std::move(v);
      vars.push_back(name);
    }
  }
  EnvOptions opts;
  opts.allow_undeclared_variables = true;
  Env env = Env::Standard(vars, opts);
  CompileResult compiled = Compile(env, expr);
  bool want_error = t.contains("evalError");
  if (!compiled.ok()) {
    if (want_error) return "";
    return "compile: " + compiled.ErrorText();
  }
  Activation act(*compiled.program);
  for (auto& [name, v] : bindings) act.Bind(name, v);
  StatusOr<Value> result = compiled.program->Evaluate(act);
  if (!result.ok()) return "aborted: " + result.status().message();
  const Value& got = *result;
  if (want_error) {
    if (got.IsError()) return "";
    return "got " + got.DebugString() + ", want an error";
  }
  const Json* want_json = nullptr;
  if (t.contains("value")) want_json = &t["value"];
  if (t.contains("typedResult") && t["typedResult"].contains("result")) want_json = &t["typedResult"]["result"];
  Value want = Value::Bool(true);
  if (want_json != nullptr) {
    std::string why;
    if (!FromJson(*want_json, &want, &why)) return "expected value: " + why;
  }
  if (SameValue(got, want)) return "";
  return "got " + got.DebugString() + ", want " + want.DebugString();
}

TEST(ConformanceTest, SimpleTests) {
  std::string text;
  if (!ReadFile(DataDir() + "conformance.json", &text)) {
    GTEST_SKIP() << "cel-spec conformance data not found in " << DataDir()
                 << "; run scripts/install-test-tools.sh";
  }
  StatusOr<Json> doc = ParseJson(text);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  SkipList skips = LoadSkipList();
  std::map<std::string, Counts> per_file;
  std::vector<std::string> unexpected, stale;
  for (const Json& file : (*doc)["suites"]) {
    std::string fname = file["name"].get<std::string>();
    Counts& c = per_file[fname];
    if (!file.contains("suites")) continue;
    for (const Json& section : file["suites"]) {
      if (!section.contains("tests")) continue;
      for (const Json& entry : section["tests"]) {
        const Json& t = entry["original"];
        std::string name = fname + "/" + section["name"].get<std::string>() + "/" + t.value("name", "");
        int listed = skips.Matches(name);
        bool skipped = listed > 0;
        std::string failure = RunTest(t);
        if (skipped) {
          ++c.skipped;
          if (failure.empty() && listed == 2) stale.push_back(name);
        } else if (failure.empty()) {
          ++c.passed;
        } else {
          ++c.failed;
          unexpected.push_back(name + ": " + t.value("expr", "") + " -> " + failure);
        }
      }
    }
  }
  Counts total;
  std::printf("%-16s %7s %7s %7s\n", "file", "passed", "failed", "skipped");
  for (const auto& [f, c] : per_file) {
    std::printf("%-16s %7d %7d %7d\n", f.c_str(), c.passed, c.failed, c.skipped);
    total.passed += c.passed, total.failed += c.failed, total.skipped += c.skipped;
  }
  std::printf("%-16s %7d %7d %7d\n", "total", total.passed, total.failed, total.skipped);
  if (!stale.empty()) {
    std::printf("%zu skip-listed tests now pass (remove them from skip_list.txt):\n", stale.size());
    for (const auto& s : stale) std::printf("  %s\n", s.c_str());
  }
  for (const auto& u : unexpected) ADD_FAILURE() << u;
}

}  // namespace
}  // namespace haru::cel
