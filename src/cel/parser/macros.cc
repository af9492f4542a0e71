#include "cel/parser/macros.h"

namespace haru::cel {
namespace {

struct Ctx {
  ExprFactory& f;
  int32_t offset;
  std::string* error;
  int32_t* error_offset;

  ExprPtr Accu() { return f.NewIdent(offset, kAccumulatorName); }
  ExprPtr Bool(bool b) { return f.NewConst(offset, Value::Bool(b)); }
  ExprPtr Int(int64_t i) { return f.NewConst(offset, Value::Int(i)); }
  ExprPtr Call(const char* fn, ExprPtr a) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    return f.NewCall(offset, fn, std::move(args));
  }
  ExprPtr Call(const char* fn, ExprPtr a, ExprPtr b) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    return f.NewCall(offset, fn, std::move(args));
  }
  ExprPtr Call(const char* fn, ExprPtr a, ExprPtr b, ExprPtr c) {
    std::vector<ExprPtr> args;
    args.push_back(std::move(a));
    args.push_back(std::move(b));
    args.push_back(std::move(c));
    return f.NewCall(offset, fn, std::move(args));
  }
  ExprPtr EmptyList() { return f.NewList(offset, {}, {}); }
  ExprPtr ListOf(ExprPtr e) {
    std::vector<ExprPtr> elems;
    elems.push_back(std::move(e));
    return f.NewList(offset, std::move(elems), {});
  }
  MacroResult Fail(const Expr& at, std::string msg) {
    *error = std::move(msg);
    *error_offset = at.offset;
    return MacroResult::kError;
  }
};

bool SimpleName(const ExprPtr& e, std::string* name) {
  if (e->kind != ExprKind::kIdent || e->name.empty() || e->name[0] == '.') return false;
  *name = e->name;
  return true;
}

// The block extension (cel-go ext.Bindings' cel.block), the form optimizers emit for common
// subexpressions: cel.block([e0, e1, ...], result) where e_i and result read cel.index(i),
// and comprehensions name their variables cel.iterVar(depth, n) / cel.accuVar(depth, n).
// The indexes and variables become reserved identifiers ("@index0", "@it:0:0"); the block
// itself becomes `@block([...], result)`, which the planner evaluates lazily per index.
MacroResult ExpandBlockMacro(Ctx& c, const std::string& fn, std::vector<ExprPtr>& args, ExprPtr* out) {
  auto int_arg = [&](size_t i, int64_t* v) {
    if (args[i]->kind != ExprKind::kConst || !args[i]->constant.Is(ValueKind::kInt)) return false;
    *v = args[i]->constant.int_value();
    return *v >= 0;
  };
  if (fn == "block" && args.size() == 2) {
    if (args[0]->kind != ExprKind::kList) return c.Fail(*args[0], "cel.block requires the list of bindings as a literal");
    *out = c.Call("@block", std::move(args[0]), std::move(args[1]));
    return MacroResult::kExpanded;
  }
  if (fn == "index" && args.size() == 1) {
    int64_t i;
    if (!int_arg(0, &i)) return c.Fail(*args[0], "cel.index requires a non-negative int literal");
    *out = c.f.NewIdent(c.offset, "@index" + std::to_string(i));
    return MacroResult::kExpanded;
  }
  if ((fn == "iterVar" || fn == "accuVar") && args.size() == 2) {
    int64_t a, b;
    if (!int_arg(0, &a) || !int_arg(1, &b)) return c.Fail(*args[0], "cel." + fn + " requires non-negative int literals");
    *out = c.f.NewIdent(c.offset, std::string(fn == "iterVar" ? "@it:" : "@ac:") + std::to_string(a) +
                                      ":" + std::to_string(b));
    return MacroResult::kExpanded;
  }
  return MacroResult::kNotAMacro;
}

}  // namespace

MacroResult ExpandMacro(ExprFactory& factory, int32_t offset, const std::string& fn,
                        ExprPtr& target, std::vector<ExprPtr>& args, ExprPtr* out,
                        std::string* error, int32_t* error_offset, const MacroSet& set) {
  Ctx c{factory, offset, error, error_offset};
  const size_t n = args.size();
  if (!target) {
    if (fn == "has" && n == 1) {
      Expr& arg = *args[0];
      if (arg.kind != ExprKind::kSelect) {
        return c.Fail(arg, "invalid argument to has() macro");
      }
      // Like cel-go, the presence test takes the position of the call (its `(`).
      *out = factory.NewSelect(offset, std::move(arg.target), arg.name, true);
      return MacroResult::kExpanded;
    }
    return MacroResult::kNotAMacro;
  }

  if (set.extensions && target->kind == ExprKind::kIdent && target->name == "cel") {
    MacroResult r = ExpandBlockMacro(c, fn, args, out);
    if (r != MacroResult::kNotAMacro) return r;
  }

  // list.sortBy(x, key) -> @sortByAssociatedKeys(list, list.map(x, key)).
  if (set.extensions && fn == "sortBy" && n == 2) {
    std::string var;
    if (!SimpleName(args[0], &var)) return c.Fail(*args[0], "sortBy(var, ...) variable name must be a simple identifier");
    ExprPtr list_copy = factory.Copy(*target);
    ExprPtr keys;
    MacroResult r = ExpandMacro(factory, offset, "map", list_copy, args, &keys, error, error_offset, set);
    if (r != MacroResult::kExpanded) return r;
    *out = c.Call("@sortByAssociatedKeys", std::move(target), std::move(keys));
    return MacroResult::kExpanded;
  }

  // cel.bind(name, init, body): a comprehension over nothing whose accumulator is the name.
  if (set.extensions && fn == "bind" && n == 3 && target->kind == ExprKind::kIdent && target->name == "cel") {
    std::string var;
    if (!SimpleName(args[0], &var)) return c.Fail(*args[0], "cel.bind() variable name must be a simple identifier");
    *out = factory.NewComprehension(offset, "#unused", "", c.EmptyList(), var, std::move(args[1]),
                                    c.Bool(false), factory.NewIdent(offset, var),
                                    std::move(args[2]));
    return MacroResult::kExpanded;
  }

  // optMap / optFlatMap: opt.hasValue() ? optional.of(cel.bind(v, opt.value(), e)) : none.
  if (set.extensions && (fn == "optMap" || fn == "optFlatMap") && n == 2) {
    std::string var;
    if (!SimpleName(args[0], &var)) return c.Fail(*args[0], fn + "() variable name must be a simple identifier");
    ExprPtr copy = factory.Copy(*target);
    ExprPtr has = factory.NewReceiverCall(offset, "hasValue", factory.Copy(*target), {});
    ExprPtr value = factory.NewReceiverCall(offset, "value", std::move(copy), {});
    ExprPtr bound = factory.NewComprehension(offset, "#unused", "", c.EmptyList(), var,
                                             std::move(value), c.Bool(false),
                                             factory.NewIdent(offset, var), std::move(args[1]));
    ExprPtr some = fn == "optMap" ? factory.NewCall(offset, "optional.of", [&] {
      std::vector<ExprPtr> a;
      a.push_back(std::move(bound));
      return a;
    }()) : std::move(bound);
    ExprPtr none = factory.NewCall(offset, "optional.none", {});
    *out = c.Call("_?_:_", std::move(has), std::move(some), std::move(none));
    return MacroResult::kExpanded;
  }

  bool two_var = false;
  bool quantifier = false;
  if (fn == "all" || fn == "exists" || fn == "exists_one" || fn == "existsOne") {
    if (n != 2 && (n != 3 || !set.two_variable_comprehensions)) return MacroResult::kNotAMacro;
    two_var = n == 3;
    quantifier = true;
  } else if (fn == "map") {
    if (n != 2 && n != 3) return MacroResult::kNotAMacro;
  } else if (fn == "filter") {
    if (n != 2) return MacroResult::kNotAMacro;
  } else if (fn == "transformList" || fn == "transformMap") {
    if ((n != 3 && n != 4) || !set.two_variable_comprehensions) return MacroResult::kNotAMacro;
    two_var = true;
  } else {
    return MacroResult::kNotAMacro;
  }

  // Upstream words the complaint differently for the quantifiers and for map/filter.
  const char* not_a_name = quantifier ? "argument must be a simple name" : "argument is not an identifier";
  std::string v1, v2;
  auto name_of = [](const ExprPtr& e, std::string* name) {
    if (e->kind != ExprKind::kIdent) return false;
    *name = e->name;
    return true;
  };
  if (!name_of(args[0], &v1)) return c.Fail(*args[0], not_a_name);
  if (two_var && !name_of(args[1], &v2)) return c.Fail(*args[1], not_a_name);
  auto is_accu = [](const std::string& v) { return v == kAccumulatorName || v == kLegacyAccumulatorName; };
  if (is_accu(v1)) return c.Fail(*args[0], "iteration variable overwrites accumulator variable");
  if (two_var && is_accu(v2)) return c.Fail(*args[1], "iteration variable overwrites accumulator variable");
  if (two_var && v1 == v2) return c.Fail(*args[1], "duplicate variable name: " + v1);
  ExprPtr range = std::move(target);
  const size_t body = two_var ? 2 : 1;

  ExprPtr init, cond, step, result;
  if (fn == "all") {
    init = c.Bool(true);
    cond = c.Call("@not_strictly_false", c.Accu());
    step = c.Call("_&&_", c.Accu(), std::move(args[body]));
    result = c.Accu();
  } else if (fn == "exists") {
    init = c.Bool(false);
    cond = c.Call("@not_strictly_false", c.Call("!_", c.Accu()));
    step = c.Call("_||_", c.Accu(), std::move(args[body]));
    result = c.Accu();
  } else if (fn == "exists_one" || fn == "existsOne") {
    init = c.Int(0);
    cond = c.Bool(true);
    step = c.Call("_?_:_", std::move(args[body]), c.Call("_+_", c.Accu(), c.Int(1)), c.Accu());
    result = c.Call("_==_", c.Accu(), c.Int(1));
  } else if (fn == "map" || fn == "transformList") {
    init = c.EmptyList();
    cond = c.Bool(true);
    size_t transform = n - 1;
    ExprPtr append = c.Call("_+_", c.Accu(), c.ListOf(std::move(args[transform])));
    if (transform > body) {  // map(x, filter, transform)
      step = c.Call("_?_:_", std::move(args[body]), std::move(append), c.Accu());
    } else {
      step = std::move(append);
    }
    result = c.Accu();
  } else if (fn == "transformMap") {
    init = factory.NewMap(offset, {});
    cond = c.Bool(true);
    size_t transform = n - 1;
    ExprPtr insert = c.Call("@map_insert", c.Accu(), factory.NewIdent(offset, v1),
                            std::move(args[transform]));
    if (transform > body) {
      step = c.Call("_?_:_", std::move(args[body]), std::move(insert), c.Accu());
    } else {
      step = std::move(insert);
    }
    result = c.Accu();
  } else {  // filter
    init = c.EmptyList();
    cond = c.Bool(true);
    step = c.Call("_?_:_", std::move(args[body]),
                  c.Call("_+_", c.Accu(), c.ListOf(factory.NewIdent(offset, v1))), c.Accu());
    result = c.Accu();
  }
  *out = factory.NewComprehension(offset, v1, v2, std::move(range), kAccumulatorName,
                                  std::move(init), std::move(cond), std::move(step),
                                  std::move(result));
  return MacroResult::kExpanded;
}

}  // namespace haru::cel
