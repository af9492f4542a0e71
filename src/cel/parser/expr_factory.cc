#include "cel/parser/expr_factory.h"

#include <algorithm>

namespace haru::cel {

ExprPtr ExprFactory::New(ExprKind kind, int32_t offset) {
  auto e = std::make_unique<Expr>();
  e->id = NextId();
  e->kind = kind;
  e->offset = offset;
  return e;
}

void ExprFactory::UpdateDepth(Expr& e) {
  int32_t d = 0;
  auto see = [&](const ExprPtr& c) {
    if (c) d = std::max(d, c->depth);
  };
  see(e.target);
  for (const auto& a : e.args) see(a);
  for (const auto& en : e.entries) {
    see(en.key);
    see(en.value);
  }
  see(e.iter_range);
  see(e.accu_init);
  see(e.loop_condition);
  see(e.loop_step);
  see(e.result);
  e.depth = d + 1;
}

ExprPtr ExprFactory::NewConst(int32_t offset, Value v) {
  auto e = New(ExprKind::kConst, offset);
  e->constant = std::move(v);
  return e;
}

ExprPtr ExprFactory::NewIdent(int32_t offset, std::string name) {
  auto e = New(ExprKind::kIdent, offset);
  e->name = std::move(name);
  return e;
}

ExprPtr ExprFactory::NewSelect(int32_t offset, ExprPtr operand, std::string field, bool test_only) {
  auto e = New(ExprKind::kSelect, offset);
  e->target = std::move(operand);
  e->name = std::move(field);
  e->test_only = test_only;
  UpdateDepth(*e);
  return e;
}

ExprPtr ExprFactory::NewCall(int32_t offset, std::string function, std::vector<ExprPtr> args) {
  auto e = New(ExprKind::kCall, offset);
  e->name = std::move(function);
  e->args = std::move(args);
  UpdateDepth(*e);
  return e;
}

ExprPtr ExprFactory::NewReceiverCall(int32_t offset, std::string function, ExprPtr target,
                                     std::vector<ExprPtr> args) {
  auto e = New(ExprKind::kCall, offset);
  e->name = std::move(function);
  e->target = std::move(target);
  e->args = std::move(args);
  UpdateDepth(*e);
  return e;
}

ExprPtr ExprFactory::NewList(int32_t offset, std::vector<ExprPtr> elements,
                             std::vector<int32_t> optional) {
  auto e = New(ExprKind::kList, offset);
  e->args = std::move(elements);
  e->optional_indices = std::move(optional);
  UpdateDepth(*e);
  return e;
}

ExprPtr ExprFactory::NewMap(int32_t offset, std::vector<Entry> entries) {
  auto e = New(ExprKind::kMap, offset);
  e->entries = std::move(entries);
  UpdateDepth(*e);
  return e;
}

ExprPtr ExprFactory::NewStruct(int32_t offset, std::string type, std::vector<Entry> entries) {
  auto e = New(ExprKind::kStruct, offset);
  e->name = std::move(type);
  e->entries = std::move(entries);
  UpdateDepth(*e);
  return e;
}

ExprPtr ExprFactory::NewComprehension(int32_t offset, std::string iter_var, std::string iter_var2,
                                      ExprPtr range, std::string accu_var, ExprPtr init,
                                      ExprPtr cond, ExprPtr step, ExprPtr result) {
  auto e = New(ExprKind::kComprehension, offset);
  e->iter_var = std::move(iter_var);
  e->iter_var2 = std::move(iter_var2);
  e->iter_range = std::move(range);
  e->accu_var = std::move(accu_var);
  e->accu_init = std::move(init);
  e->loop_condition = std::move(cond);
  e->loop_step = std::move(step);
  e->result = std::move(result);
  UpdateDepth(*e);
  return e;
}

ExprPtr ExprFactory::Copy(const Expr& src) {
  auto e = New(src.kind, src.offset);
  e->depth = src.depth;
  e->constant = src.constant;
  e->name = src.name;
  e->test_only = src.test_only;
  if (src.target) e->target = Copy(*src.target);
  for (const auto& a : src.args) e->args.push_back(Copy(*a));
  e->optional_indices = src.optional_indices;
  for (const auto& en : src.entries) {
    Entry c;
    c.id = NextId();
    c.offset = en.offset;
    c.field = en.field;
    if (en.key) c.key = Copy(*en.key);
    if (en.value) c.value = Copy(*en.value);
    c.optional = en.optional;
    e->entries.push_back(std::move(c));
  }
  e->iter_var = src.iter_var;
  e->iter_var2 = src.iter_var2;
  e->accu_var = src.accu_var;
  if (src.iter_range) e->iter_range = Copy(*src.iter_range);
  if (src.accu_init) e->accu_init = Copy(*src.accu_init);
  if (src.loop_condition) e->loop_condition = Copy(*src.loop_condition);
  if (src.loop_step) e->loop_step = Copy(*src.loop_step);
  if (src.result) e->result = Copy(*src.result);
  return e;
}

}  // namespace haru::cel
