// Kubernetes regex library: s.find(re) -> the first match or "", s.findAll(re[, n]) -> the
// matches in order (at most n when n >= 0). RE2 keeps every pattern linear.

#include <vector>

#include "cel/common/containers.h"
#include "cel/library/k8s.h"
#include "cel/library/regex_cache.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value BadPattern(const std::string& error) { return Value::Error("invalid regular expression: " + error); }

Value Find(const Value* a, EvalContext&) {
  std::string error;
  const RE2* re = CompiledPattern(a[1].string_value(), &error);
  if (re == nullptr) return BadPattern(error);
  std::string_view s = a[0].string_value();
  re2::StringPiece match;
  if (!re->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::UNANCHORED, &match, 1)) {
    return Value::StringView("");
  }
  return Value::String(std::string_view(match.data(), match.size()));
}

Value FindAllN(std::string_view s, std::string_view pattern, int64_t limit) {
  std::string error;
  const RE2* re = CompiledPattern(pattern, &error);
  if (re == nullptr) return BadPattern(error);
  std::vector<Value> out;
  re2::StringPiece text(s.data(), s.size());
  size_t pos = 0;
  while (pos <= s.size() && (limit < 0 || static_cast<int64_t>(out.size()) < limit)) {
    re2::StringPiece match;
    if (!re->Match(text, pos, s.size(), RE2::UNANCHORED, &match, 1)) break;
    out.push_back(Value::String(std::string_view(match.data(), match.size())));
    size_t end = static_cast<size_t>(match.data() - s.data()) + match.size();
    pos = match.empty() ? end + 1 : end;  // step past empty matches, as Go does
  }
  return Value::List(new ValueList(std::move(out)));
}

Value FindAll(const Value* a, EvalContext&) { return FindAllN(a[0].string_value(), a[1].string_value(), -1); }
Value FindAllLimit(const Value* a, EvalContext&) {
  return FindAllN(a[0].string_value(), a[1].string_value(), a[2].int_value());
}

}  // namespace

void RegisterK8sRegex(FunctionRegistry& r) {
  r.AddMember("find", "string_find_string", {K::kString, K::kString}, Find);
  r.AddMember("findAll", "string_find_all_string", {K::kString, K::kString}, FindAll);
  r.AddMember("findAll", "string_find_all_string_int", {K::kString, K::kString, K::kInt}, FindAllLimit);
}

}  // namespace haru::cel
