#pragma once
// The parsed (macro-expanded) expression tree, in the shape of cel-spec's syntax.proto Expr:
// constants, identifiers, selections, calls, list/map/message literals and comprehensions.
// Every node has a unique id and the byte offset of its token for error positions.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cel/common/value.h"

namespace haru::cel {

enum class ExprKind : uint8_t {
  kConst,
  kIdent,
  kSelect,
  kCall,
  kList,
  kMap,
  kStruct,
  kComprehension,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// One `key: value` of a map literal or `field: value` of a message literal.
struct Entry {
  int64_t id = 0;
  int32_t offset = 0;
  std::string field;  // message literals
  ExprPtr key;        // map literals
  ExprPtr value;
  bool optional = false;  // `?key: value`
};

struct Expr {
  int64_t id = 0;
  int32_t offset = 0;  // byte offset in the source
  int32_t depth = 1;   // height of the subtree, bounded by the parser's recursion limit
  ExprKind kind = ExprKind::kConst;

  Value constant;    // kConst
  std::string name;  // kIdent name, kSelect field, kCall function, kStruct message type
  bool test_only = false;  // kSelect made by has()
  ExprPtr target;          // kSelect operand, kCall receiver (null for global calls)
  std::vector<ExprPtr> args;             // kCall arguments, kList elements
  std::vector<int32_t> optional_indices;  // kList elements written `?e`
  std::vector<Entry> entries;             // kMap, kStruct

  // kComprehension (cel-spec's fold): iterate iter_range binding iter_var (and iter_var2 for
  // two-variable forms), starting accu_var at accu_init; stop when loop_condition is false.
  std::string iter_var, iter_var2, accu_var;
  ExprPtr iter_range, accu_init, loop_condition, loop_step, result;
};

}  // namespace haru::cel
