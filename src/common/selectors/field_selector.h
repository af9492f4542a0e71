#pragma once
// Field selectors (?fieldSelector=): `a=b`, `a==b`, `a!=b` joined by commas. Which fields are
// allowed depends on the kind; the caller checks names against the kind's selectable fields.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace haru {

class FieldSelector {
 public:
  struct Requirement {
    std::string field;
    bool equals = true;  // false: !=
    std::string value;
  };

  static StatusOr<FieldSelector> Parse(std::string_view text);

  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

}  // namespace haru
