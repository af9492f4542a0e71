#pragma once
// Label selectors in upstream's string syntax (`kubectl -l`, ?labelSelector=):
//   a=b, a==b, a!=b, a in (x,y), a notin (x), a, !a   joined by commas.
// Parsed once per request, matched per object. Immutable after parsing; thread-safe.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace haru {

using Labels = std::map<std::string, std::string, std::less<>>;

class LabelSelector {
 public:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };

  // Empty text selects everything. Bad syntax -> BadRequest with upstream-like message.
  static StatusOr<LabelSelector> Parse(std::string_view text);

  bool Matches(const Labels& labels) const;
  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

}  // namespace haru
