#pragma once
// Builds Expr nodes with fresh ids; shared by the parser and the macro expanders.

#include <string>
#include <utility>
#include <vector>

#include "cel/ast/ast.h"

namespace haru::cel {

class ExprFactory {
 public:
  int64_t NextId() { return ++last_id_; }
  int64_t last_id() const { return last_id_; }

  ExprPtr NewConst(int32_t offset, Value v);
  ExprPtr NewIdent(int32_t offset, std::string name);
  ExprPtr NewSelect(int32_t offset, ExprPtr operand, std::string field, bool test_only);
  ExprPtr NewCall(int32_t offset, std::string function, std::vector<ExprPtr> args);
  ExprPtr NewReceiverCall(int32_t offset, std::string function, ExprPtr target,
                          std::vector<ExprPtr> args);
  ExprPtr NewList(int32_t offset, std::vector<ExprPtr> elements, std::vector<int32_t> optional);
  ExprPtr NewMap(int32_t offset, std::vector<Entry> entries);
  ExprPtr NewStruct(int32_t offset, std::string type, std::vector<Entry> entries);
  ExprPtr NewComprehension(int32_t offset, std::string iter_var, std::string iter_var2,
                           ExprPtr range, std::string accu_var, ExprPtr init, ExprPtr cond,
                           ExprPtr step, ExprPtr result);
  // A deep copy with fresh ids (macros that use an operand twice).
  ExprPtr Copy(const Expr& e);

 private:
  ExprPtr New(ExprKind kind, int32_t offset);
  static void UpdateDepth(Expr& e);

  int64_t last_id_ = 0;
};

}  // namespace haru::cel
