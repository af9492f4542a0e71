#pragma once
// CEL equality and ordering. Numbers compare across int, uint and double by mathematical
// value; other kinds compare only with themselves (a mismatch is unequal, not an error).

#include <optional>

#include "cel/common/value.h"

namespace haru::cel {

// `a == b` for values that are neither errors nor unknowns.
bool ValueEquals(const Value& a, const Value& b);
// -1, 0 or 1 for `a` versus `b`; nullopt when the pair has no ordering (different kinds, lists)
// or one side is NaN. The caller reports "no such overload" for nullopt with unorderable kinds.
std::optional<int> CompareValues(const Value& a, const Value& b);
// Whether `a` and `b` are an orderable pair of kinds (numbers with numbers, or same kind).
bool IsOrderablePair(const Value& a, const Value& b);

}  // namespace haru::cel
