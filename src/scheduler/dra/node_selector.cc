// core/v1 NodeSelector matching for the allocator (upstream's nodeaffinity semantics:
// terms ORed, requirements ANDed, Gt/Lt compare integers, metadata.name the only field).

#include <charconv>

#include "scheduler/dra/types.h"

namespace haru::scheduler::dra {
namespace {

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool RequirementMatches(const NodeSelectorRequirement& r, const std::string* value) {
  auto contains = [&](const std::string& v) {
    for (const auto& x : r.values) {
      if (x == v) return true;
    }
    return false;
  };
  if (r.op == "In") return value && contains(*value);
  if (r.op == "NotIn") return !value || !contains(*value);
  if (r.op == "Exists") return value != nullptr;
  if (r.op == "DoesNotExist") return value == nullptr;
  if (r.op == "Gt" || r.op == "Lt") {
    int64_t have = 0, want = 0;
    if (!value || r.values.size() != 1 || !ParseInt(*value, &have) || !ParseInt(r.values[0], &want)) {
      return false;
    }
    return r.op == "Gt" ? have > want : have < want;
  }
  return false;
}

}  // namespace

bool NodeSelectorMatches(const NodeSelector& selector, const Node& node) {
  for (const NodeSelectorTerm& term : selector.terms) {
    // A term with no requirements matches nothing (upstream skips empty terms).
    if (term.match_expressions.empty() && term.match_fields.empty()) continue;
    bool ok = true;
    for (const auto& r : term.match_expressions) {
      auto it = node.labels.find(r.key);
      if (!RequirementMatches(r, it == node.labels.end() ? nullptr : &it->second)) {
        ok = false;
        break;
      }
    }
    for (size_t i = 0; ok && i < term.match_fields.size(); ++i) {
      const auto& r = term.match_fields[i];
      ok = r.key == "metadata.name" && RequirementMatches(r, &node.name);
    }
    if (ok) return true;
  }
  return false;
}

}  // namespace haru::scheduler::dra
