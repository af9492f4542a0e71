#pragma once
// Per-evaluation state: the slot array (variables, then comprehension locals) and the
// iteration budget. Lives in the caller's Activation, so evaluating allocates nothing.

#include <cstdint>

#include "cel/common/value.h"
#include "common/status.h"

namespace haru::cel {

struct EvalContext {
  Value* slots = nullptr;
  int64_t iterations = 0;
  int64_t max_iterations = 0;
  // Set when evaluation must stop (iteration budget). Steps then return errors quickly and
  // Program::Evaluate reports this Status instead of a value.
  Status abort;

  bool Aborted() const { return !abort.ok(); }
};

}  // namespace haru::cel
