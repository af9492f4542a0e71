#pragma once
// A text rendering of an expression tree in cel-go's debug format (common/debug), so that our
// parser and checker can be compared line for line with the ASTs cel-spec's tools record:
//
//   _+_(
//     4^#*expr.Constant_Int64Value#,
//     -4^#*expr.Constant_Int64Value#
//   )^#*expr.Expr_CallExpr#
//
// The layout (indentation, literal spelling, comprehension sections) lives here; what follows
// each node (`^#...#` in the parsed form, `~type^ref` in the checked form) comes from an adorner.

#include <string>

#include "cel/ast/ast.h"

namespace haru::cel {

// Supplies the text appended after each node and after each map or message entry.
class DebugAdorner {
 public:
  virtual ~DebugAdorner() = default;
  virtual std::string Adorn(const Expr& e) const = 0;            // parsed form: "^#*expr.Expr_CallExpr#"
  virtual std::string AdornEntry(const Entry& entry) const = 0;  // parsed form: "^#*expr.Expr_CreateStruct_Entry#"
};

// cel-go's debug format of an expression tree; with a null adorner, the parsed form above.
std::string DebugString(const Expr& e, const DebugAdorner* adorner = nullptr);

}  // namespace haru::cel
