// Kubernetes semver library (DRA version attributes): semver(string[, normalize]),
// isSemver(string[, normalize]), major, minor, patch, compareTo, isGreaterThan, isLessThan.
// Precedence follows semver 2.0.0: pre-releases sort before the release, build metadata is
// ignored. `normalize` accepts "v1", "1.2", and leading zeros, as upstream's option does.

#include <cctype>
#include <string>
#include <vector>

#include "cel/library/k8s.h"
#include "cel/library/k8s_value.h"

namespace haru::cel {
namespace {

using K = ValueKind;

struct Semver {
  uint64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre;  // dot-separated identifiers
  std::string build;
  // Equality is precedence equality (build metadata does not count).
  bool operator==(const Semver& o) const {
    return major == o.major && minor == o.minor && patch == o.patch && pre == o.pre;
  }
};

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IdentChars(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  }
  return true;
}

bool ParseNumber(std::string_view s, bool allow_leading_zero, uint64_t* out) {
  if (!AllDigits(s) || s.size() > 19) return false;
  if (!allow_leading_zero && s.size() > 1 && s[0] == '0') return false;
  *out = std::stoull(std::string(s));
  return true;
}

std::vector<std::string_view> SplitDots(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    size_t dot = s.find('.', pos);
    out.push_back(s.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos));
    if (dot == std::string_view::npos) return out;
    pos = dot + 1;
  }
}

bool ParseSemver(std::string_view s, bool normalize, Semver* v) {
  if (normalize && !s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  size_t plus = s.find('+');
  if (plus != std::string_view::npos) {
    v->build = std::string(s.substr(plus + 1));
    for (std::string_view id : SplitDots(v->build)) {
      if (!IdentChars(id)) return false;
    }
    s = s.substr(0, plus);
  }
  size_t dash = s.find('-');
  if (dash != std::string_view::npos) {
    for (std::string_view id : SplitDots(s.substr(dash + 1))) {
      if (!IdentChars(id) || (AllDigits(id) && id.size() > 1 && id[0] == '0')) return false;
      v->pre.emplace_back(id);
    }
    s = s.substr(0, dash);
  }
  std::vector<std::string_view> core = SplitDots(s);
  if (core.size() > 3 || (!normalize && core.size() != 3)) return false;
  uint64_t* parts[3] = {&v->major, &v->minor, &v->patch};
  for (size_t i = 0; i < core.size(); ++i) {
    if (!ParseNumber(core[i], normalize, parts[i])) return false;
  }
  return true;
}

int ComparePre(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? 1 : -1);
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool an = AllDigits(a[i]), bn = AllDigits(b[i]);
    int c;
    if (an && bn) {
      c = a[i].size() != b[i].size() ? (a[i].size() < b[i].size() ? -1 : 1) : a[i].compare(b[i]);
    } else if (an != bn) {
      c = an ? -1 : 1;  // numeric identifiers sort first
    } else {
      c = a[i].compare(b[i]);
    }
    if (c != 0) return c < 0 ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

int Compare(const Semver& a, const Semver& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return ComparePre(a.pre, b.pre);
}

std::string Format(const Semver& v) {
  std::string s = std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
  for (size_t i = 0; i < v.pre.size(); ++i) s += (i ? "." : "-") + v.pre[i];
  if (!v.build.empty()) s += "+" + v.build;
  return s;
}

using SemverValue = LibraryValue<Semver, kSemverType>;
const Semver& S(const Value& v) { return SemverValue::Of(v); }

Value Parse(std::string_view s, bool normalize) {
  Semver v;
  if (!ParseSemver(s, normalize, &v)) return Value::Error("could not parse semver: " + std::string(s));
  return SemverValue::Make(v, Format(v));
}

Value FromString(const Value* a, EvalContext&) { return Parse(a[0].string_value(), false); }
Value FromStringNormalize(const Value* a, EvalContext&) { return Parse(a[0].string_value(), a[1].bool_value()); }
Value IsSemver(const Value* a, EvalContext&) {
  Semver v;
  return Value::Bool(ParseSemver(a[0].string_value(), false, &v));
}
Value IsSemverNormalize(const Value* a, EvalContext&) {
  Semver v;
  return Value::Bool(ParseSemver(a[0].string_value(), a[1].bool_value(), &v));
}
Value Major(const Value* a, EvalContext&) { return Value::Int(static_cast<int64_t>(S(a[0]).major)); }
Value Minor(const Value* a, EvalContext&) { return Value::Int(static_cast<int64_t>(S(a[0]).minor)); }
Value Patch(const Value* a, EvalContext&) { return Value::Int(static_cast<int64_t>(S(a[0]).patch)); }
Value CompareTo(const Value* a, EvalContext&) { return Value::Int(Compare(S(a[0]), S(a[1]))); }
Value IsGreaterThan(const Value* a, EvalContext&) { return Value::Bool(Compare(S(a[0]), S(a[1])) > 0); }
Value IsLessThan(const Value* a, EvalContext&) { return Value::Bool(Compare(S(a[0]), S(a[1])) < 0); }

}  // namespace

void RegisterK8sSemver(FunctionRegistry& r) {
  const std::string sv = kSemverType;
  r.AddTyped("semver", "string_to_semver", false, {K::kString}, {}, FromString, /*foldable=*/true);
  r.AddTyped("semver", "string_bool_to_semver", false, {K::kString, K::kBool}, {}, FromStringNormalize, true);
  r.AddTyped("isSemver", "is_semver_string", false, {K::kString}, {}, IsSemver, true);
  r.AddTyped("isSemver", "is_semver_string_bool", false, {K::kString, K::kBool}, {}, IsSemverNormalize, true);
  r.AddTyped("major", "semver_major", true, {K::kOpaque}, {sv}, Major);
  r.AddTyped("minor", "semver_minor", true, {K::kOpaque}, {sv}, Minor);
  r.AddTyped("patch", "semver_patch", true, {K::kOpaque}, {sv}, Patch);
  r.AddTyped("compareTo", "semver_compare_to", true, {K::kOpaque, K::kOpaque}, {sv, sv}, CompareTo);
  r.AddTyped("isGreaterThan", "semver_is_greater_than", true, {K::kOpaque, K::kOpaque}, {sv, sv}, IsGreaterThan);
  r.AddTyped("isLessThan", "semver_is_less_than", true, {K::kOpaque, K::kOpaque}, {sv, sv}, IsLessThan);
}

}  // namespace haru::cel
