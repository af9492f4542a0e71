// contains, startsWith, endsWith, matches (RE2) and size() of strings and bytes.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "cel/library/regex_cache.h"
#include "cel/library/standard.h"
#include "cel/library/utf8.h"

namespace haru::cel {
namespace {

using K = ValueKind;

Value Contains(const Value* a, EvalContext&) {
  return Value::Bool(a[0].string_value().find(a[1].string_value()) != std::string_view::npos);
}
Value StartsWith(const Value* a, EvalContext&) {
  return Value::Bool(a[0].string_value().substr(0, a[1].string_value().size()) == a[1].string_value());
}
Value EndsWith(const Value* a, EvalContext&) {
  std::string_view s = a[0].string_value(), x = a[1].string_value();
  return Value::Bool(s.size() >= x.size() && s.substr(s.size() - x.size()) == x);
}

Value Matches(const Value* a, EvalContext&) {
  std::string error;
  const RE2* re = CompiledPattern(a[1].string_value(), &error);
  if (re == nullptr) return Value::Error("invalid regular expression: " + error);
  std::string_view s = a[0].string_value();
  return Value::Bool(RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *re));
}

Value StringSize(const Value* a, EvalContext&) {
  return Value::Int(static_cast<int64_t>(CodePointCount(a[0].string_value())));
}
Value BytesSize(const Value* a, EvalContext&) {
  return Value::Int(static_cast<int64_t>(a[0].string_value().size()));
}

}  // namespace

// Compiled patterns, per thread, most recent first: a selector evaluated over many devices
// compiles its pattern once.
const RE2* CompiledPattern(std::string_view pattern, std::string* error) {
  constexpr size_t kCacheSize = 16;
  thread_local std::vector<std::pair<std::string, std::unique_ptr<RE2>>> cache;
  for (size_t i = 0; i < cache.size(); ++i) {
    if (cache[i].first == pattern) {
      if (i != 0) std::swap(cache[i], cache[0]);
      return cache[0].second.get();
    }
  }
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    *error = re->error();
    return nullptr;
  }
  if (cache.size() == kCacheSize) cache.pop_back();
  cache.insert(cache.begin(), {std::string(pattern), std::move(re)});
  return cache[0].second.get();
}

void RegisterStringFunctions(FunctionRegistry& r) {
  r.AddMember("contains", "contains_string", {K::kString, K::kString}, Contains);
  r.AddMember("startsWith", "starts_with_string", {K::kString, K::kString}, StartsWith);
  r.AddMember("endsWith", "ends_with_string", {K::kString, K::kString}, EndsWith);
  r.AddBoth("matches", "matches_string", {K::kString, K::kString}, Matches);
  r.AddBoth("size", "size_string", {K::kString}, StringSize);
  r.AddBoth("size", "size_bytes", {K::kBytes}, BytesSize);
}

}  // namespace haru::cel
