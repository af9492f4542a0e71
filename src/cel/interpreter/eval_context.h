#pragma once
// Per-evaluation state: the slot array (variables, then comprehension locals), the iteration
// budget and the runtime cost. Lives on the evaluator's stack, so evaluating allocates nothing.
//
// Runtime cost (upstream's per-call limit, 1,000,000 by default): every comprehension
// iteration costs 1; every overload call costs 1 plus the size of its string, bytes, list and
// map arguments (unless it is constant-time, like size() or indexing) plus the size of what it
// returns (strings and bytes: one unit per 10 bytes, lists and maps: one per element), so
// chains that double a string or a list, and linear scans (`in`) in long loops, end after ~1M
// units; functions whose work grows faster than their result
// (sets.*, distinct, join, replace) charge themselves before the work. Past the limit the
// evaluation aborts with upstream's message, "operation cancelled: actual cost limit exceeded".

#include <cstdint>

#include "cel/common/value.h"
#include "common/status.h"

namespace haru::cel {

inline constexpr char kCostLimitExceeded[] = "operation cancelled: actual cost limit exceeded";

struct EvalContext {
  Value* slots = nullptr;
  int64_t iterations = 0;
  int64_t max_iterations = 0;
  int64_t cost = 0;
  int64_t max_cost = 0;  // 0 = unlimited
  // Set when evaluation must stop (iteration budget, cost limit). Steps then return errors
  // quickly and Program::Evaluate reports this Status instead of a value.
  Status abort;

  bool Aborted() const { return !abort.ok(); }

  // Adds `units` to the cost; false (with `abort` set) once the total is past the limit.
  bool Charge(int64_t units) {
    cost += units;
    if (max_cost > 0 && cost > max_cost) {
      if (abort.ok()) abort = Status::Invalid(kCostLimitExceeded);
      return false;
    }
    return true;
  }
};

// The cost of producing `v`: one unit per 10 bytes of a string or bytes (rounded up), one per
// element of a list or a map, 0 for other values.
int64_t SizeCost(const Value& v);

}  // namespace haru::cel
