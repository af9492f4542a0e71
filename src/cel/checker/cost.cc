#include "cel/checker/cost.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "cel/checker/checker.h"

namespace haru::cel {

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return a > kMaxCost - b ? kMaxCost : a + b; }

uint64_t SaturatingMul(uint64_t a, uint64_t b) {
  if (b != 0 && a > kMaxCost / b) return kMaxCost;
  return a * b;
}

uint64_t MulByFactor(uint64_t x, double factor) {
  // 2^64 as a double; products at or beyond it saturate.
  constexpr double kTwoTo64 = 18446744073709551616.0;
  double v = std::ceil(static_cast<double>(x) * factor);
  if (v >= kTwoTo64) return kMaxCost;
  if (v <= 0) return 0;
  return static_cast<uint64_t>(v);
}

namespace {

// The accumulator names macros use (haru's parser: "@result"; cel-go's default "__result__").
bool IsAccumulatorName(std::string_view name) { return name == "@result" || name == "__result__"; }

Type::Kind KindOf(const TypePtr& t) { return t ? t->kind : Type::Kind::kDyn; }

// Types whose values always have size 1 (cel-go's isScalar): they never need an estimator.
bool IsScalar(const TypePtr& t) {
  switch (KindOf(t)) {
    case Type::Kind::kBool:
    case Type::Kind::kDouble:
    case Type::Kind::kDuration:
    case Type::Kind::kInt:
    case Type::Kind::kTimestamp:
    case Type::Kind::kUint:
      return true;
    case Type::Kind::kOptional:
      return !t->params.empty() && IsScalar(t->params[0]);
    case Type::Kind::kOpaque:
      return t->name == "optional_type" && !t->params.empty() && IsScalar(t->params[0]);
    default:
      return false;
  }
}

uint64_t CodePoints(std::string_view s) {
  uint64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The size a literal or a list/map literal has by construction.
std::optional<SizeEstimate> LiteralSize(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kConst:
      switch (e.constant.kind()) {
        case ValueKind::kString:
          return SizeEstimate::Fixed(CodePoints(e.constant.string_value()));
        case ValueKind::kBytes:
          return SizeEstimate::Fixed(e.constant.string_value().size());
        case ValueKind::kBool:
        case ValueKind::kDouble:
        case ValueKind::kDuration:
        case ValueKind::kInt:
        case ValueKind::kTimestamp:
        case ValueKind::kUint:
        case ValueKind::kNull:
          return SizeEstimate::Fixed(1);
        default:
          return std::nullopt;
      }
    case ExprKind::kList:
      return SizeEstimate::Fixed(e.args.size());
    case ExprKind::kMap:
      return SizeEstimate::Fixed(e.entries.size());
    default:
      return std::nullopt;
  }
}

// The sizes of the keys (list: indexes) and values of a container built in the expression.
struct EntrySize {
  bool is_list = false;
  SizeEstimate key;
  SizeEstimate value;
};

std::optional<EntrySize> UnionEntries(const std::optional<EntrySize>& a, const std::optional<EntrySize>& b) {
  if (!a || !b) return std::nullopt;
  return EntrySize{a->is_list, a->key.Union(b->key), a->value.Union(b->value)};
}

struct LocalVar {
  std::vector<std::string> path;
  std::optional<SizeEstimate> size;
  std::optional<EntrySize> entry;
};

// Costs of extension-library overloads (cel-go's OverloadCostEstimate options).
using OverloadEstimator = std::optional<CallEstimate> (*)(const SizeEstimator* sizes, const CostNode* target,
                                                          std::span<const CostNode> args);

SizeEstimate NodeSize(const SizeEstimator* sizes, const CostNode& node) {
  if (node.computed_size) return *node.computed_size;
  if (sizes) {
    if (auto s = sizes->EstimateSize(node)) return *s;
  }
  return SizeEstimate::Unknown();
}

// An integer literal argument as an unsigned count (negative: 0), else `fallback`.
uint64_t LiteralCount(const CostNode& node, uint64_t fallback) {
  if (!node.expr || node.expr->kind != ExprKind::kConst || node.expr->constant.kind() != ValueKind::kInt) {
    return fallback;
  }
  int64_t v = node.expr->constant.int_value();
  return v < 0 ? 0 : static_cast<uint64_t>(v);
}

CallEstimate SetsCost(const SizeEstimator* sizes, std::span<const CostNode> args, double factor) {
  SizeEstimate product = NodeSize(sizes, args[0]).Multiply(NodeSize(sizes, args[1]));
  return {product.MultiplyByFactor(factor).Add(CostEstimate::Fixed(1)), std::nullopt};
}

// A call producing a list of `size` elements: the work per element times `factor`, the call,
// and the new list.
CallEstimate ListAllocatingCall(double factor, SizeEstimate size) {
  CostEstimate c = size.MultiplyByFactor(factor).Add(CostEstimate::Fixed(1 + kListCreateBaseCost));
  return {c, size};
}

std::optional<CallEstimate> EstimateSetsContains(const SizeEstimator* s, const CostNode*, std::span<const CostNode> a) {
  if (a.size() != 2) return std::nullopt;
  return SetsCost(s, a, 1);
}
std::optional<CallEstimate> EstimateSetsEquivalent(const SizeEstimator* s, const CostNode*, std::span<const CostNode> a) {
  if (a.size() != 2) return std::nullopt;
  return SetsCost(s, a, 2);
}
std::optional<CallEstimate> EstimateListSlice(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  if (!t || a.size() != 2) return std::nullopt;
  SizeEstimate sz = NodeSize(s, *t);
  uint64_t start = LiteralCount(a[0], 0);
  uint64_t end = LiteralCount(a[1], sz.max);
  return ListAllocatingCall(1, SizeEstimate::Fixed(end - start));
}
std::optional<CallEstimate> EstimateListsRange(const SizeEstimator*, const CostNode* t, std::span<const CostNode> a) {
  if (t || a.size() != 1) return std::nullopt;
  return ListAllocatingCall(1, SizeEstimate::Fixed(LiteralCount(a[0], kMaxCost)));
}
std::optional<CallEstimate> EstimateListReverse(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  if (!t || !a.empty()) return std::nullopt;
  return ListAllocatingCall(1, NodeSize(s, *t));
}
std::optional<CallEstimate> EstimateListFlatten(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  if (!t || a.size() > 1) return std::nullopt;
  uint64_t depth = a.empty() ? 1 : LiteralCount(a[0], kMaxCost);
  return ListAllocatingCall(static_cast<double>(depth), NodeSize(s, *t));
}
std::optional<CallEstimate> EstimateListDistinct(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  if (!t || !a.empty()) return std::nullopt;
  SizeEstimate sz = NodeSize(s, *t);
  return ListAllocatingCall(2, sz.Multiply(sz));
}
// Sorting is priced as n^2 comparisons (factor 2, plus the string traversal for strings and
// bytes); sortBy by the size of its key list. haru's sortBy macro calls the global form
// `@sortByAssociatedKeys(list, keys)`, cel-go's the member form `list.@sortByAssociatedKeys(keys)`.
CallEstimate SortCost(const SizeEstimator* s, const CostNode& sorted, bool textual) {
  SizeEstimate sz = NodeSize(s, sorted);
  return ListAllocatingCall(textual ? 2 + kStringTraversalCostFactor : 2, sz.Multiply(sz));
}
std::optional<CallEstimate> EstimateSortNumeric(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  if (!t || !a.empty()) return std::nullopt;
  return SortCost(s, *t, false);
}
std::optional<CallEstimate> EstimateSortText(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  if (!t || !a.empty()) return std::nullopt;
  return SortCost(s, *t, true);
}
const CostNode* SortKeys(const CostNode* t, std::span<const CostNode> a) {
  if (t && a.size() == 1) return &a[0];
  if (!t && a.size() == 2) return &a[1];
  return nullptr;
}
std::optional<CallEstimate> EstimateSortByNumeric(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  const CostNode* keys = SortKeys(t, a);
  if (!keys) return std::nullopt;
  return SortCost(s, *keys, false);
}
std::optional<CallEstimate> EstimateSortByText(const SizeEstimator* s, const CostNode* t, std::span<const CostNode> a) {
  const CostNode* keys = SortKeys(t, a);
  if (!keys) return std::nullopt;
  return SortCost(s, *keys, true);
}

const std::map<std::string, OverloadEstimator, std::less<>>& ListsEstimators() {
  static const auto* table = [] {
    auto* m = new std::map<std::string, OverloadEstimator, std::less<>>{
        {"list_slice", EstimateListSlice},       {"list_flatten", EstimateListFlatten},
        {"list_flatten_int", EstimateListFlatten}, {"lists_range", EstimateListsRange},
        {"list_reverse", EstimateListReverse},   {"list_distinct", EstimateListDistinct},
    };
    for (const char* t : {"int", "uint", "double", "bool", "google.protobuf.Duration", "google.protobuf.Timestamp",
                          "string", "bytes"}) {
      bool textual = std::string_view(t) == "string" || std::string_view(t) == "bytes";
      (*m)[std::string("list_") + t + "_sort"] = textual ? EstimateSortText : EstimateSortNumeric;
      (*m)[std::string("list_") + t + "_sortByAssociatedKeys"] = textual ? EstimateSortByText : EstimateSortByNumeric;
    }
    return m;
  }();
  return *table;
}

OverloadEstimator FindOverloadEstimator(std::string_view id, const CostOptions& options) {
  if (id == "list_sets_contains_list" || id == "list_sets_intersects_list") return EstimateSetsContains;
  if (id == "list_sets_equivalent_list") return EstimateSetsEquivalent;
  if (options.lists_version >= 3) {
    const auto& lists = ListsEstimators();
    if (auto it = lists.find(id); it != lists.end()) return it->second;
  }
  return nullptr;
}

class Coster {
 public:
  Coster(const CheckedInfo& info, const SizeEstimator* sizes, const CostOptions& options)
      : info_(info), sizes_(sizes), options_(options) {}

  CostEstimate Cost(const Expr* e) {
    if (!e) return {};
    switch (e->kind) {
      case ExprKind::kConst:
        return CostEstimate::Fixed(kConstCost);
      case ExprKind::kIdent:
        return Ident(*e);
      case ExprKind::kSelect:
        return Select(*e);
      case ExprKind::kCall:
        return Call(*e);
      case ExprKind::kList:
        return CreateList(*e);
      case ExprKind::kMap:
        return CreateMap(*e);
      case ExprKind::kStruct:
        return CreateStruct(*e);
      case ExprKind::kComprehension:
        return IsBind(*e) ? Bind(*e) : Comprehension(*e);
    }
    return {};
  }

  bool malformed() const { return malformed_; }

 private:
  // ---- node kinds ----

  CostEstimate Ident(const Expr& e) {
    if (const LocalVar* v = Peek(e.name)) {
      paths_[e.id] = v->path;
    } else {
      paths_[e.id] = {e.name};
    }
    return CostEstimate::Fixed(kSelectAndIdentCost);
  }

  CostEstimate Select(const Expr& e) {
    if (!e.target) return Malformed();
    if (e.test_only) {
      // has(): the operand is evaluated, the presence test itself costs 0 or 1.
      CostEstimate presence = CostEstimate::Fixed(options_.presence_test_has_cost ? kSelectAndIdentCost : 0);
      return presence.Add(Cost(e.target.get()));
    }
    CostEstimate sum = Cost(e.target.get());
    switch (KindOf(TypeOf(*e.target))) {
      case Type::Kind::kMap:
      case Type::Kind::kObject:
      case Type::Kind::kTypeParam:
        sum = sum.Add(CostEstimate::Fixed(kSelectAndIdentCost));
        break;
      default:
        break;
    }
    std::vector<std::string> path = PathOf(*e.target);
    path.push_back(e.name);
    paths_[e.id] = std::move(path);
    return sum;
  }

  CostEstimate Call(const Expr& e) {
    // dyn(x) only turns type checking off: x plus one.
    if (e.name == "dyn" && !e.target && e.args.size() == 1) {
      CostEstimate c = Cost(e.args[0].get()).Add(CostEstimate::Fixed(1));
      CopySizes(e, *e.args[0]);
      return c;
    }
    std::vector<CostEstimate> arg_costs;
    std::vector<CostNode> arg_nodes;
    arg_costs.reserve(e.args.size());
    arg_nodes.reserve(e.args.size());
    for (const ExprPtr& a : e.args) {
      if (!a) return Malformed();
      arg_costs.push_back(Cost(a.get()));
      arg_nodes.push_back(NodeFor(*a));
    }
    std::span<const std::string> overloads = info_.OverloadIds(e.id);
    if (overloads.empty()) return {};  // as cel-go: an unresolved call is free

    CostEstimate sum;
    std::optional<CostNode> target;
    if (e.target) {
      sum = Cost(e.target.get());
      target = NodeFor(*e.target);
    } else if (options_.legacy_global_call_target) {
      target = CostNode{};
    }
    CostEstimate fn{kMaxCost, 0};
    std::optional<SizeEstimate> result_size;
    for (const std::string& id : overloads) {
      CallEstimate c = FunctionCost(e, id, target ? &*target : nullptr, arg_nodes, arg_costs);
      fn = fn.Union(c.cost);
      if (c.result_size) result_size = result_size ? result_size->Union(*c.result_size) : *c.result_size;
      if ((id == "index_list" || id == "index_map") && !e.args.empty()) {
        std::optional<EntrySize> entry = EntryOf(*e.args[0]);
        result_size = entry ? std::optional<SizeEstimate>(entry->value) : std::nullopt;
        std::vector<std::string> path = PathOf(*e.args[0]);
        path.push_back(id == "index_list" ? "@items" : "@values");
        paths_[e.id] = std::move(path);
      }
      if (!result_size) result_size = SizeOf(e);
    }
    if (result_size) sizes_of_[e.id] = *result_size;
    return sum.Add(fn);
  }

  CostEstimate CreateList(const Expr& e) {
    CostEstimate sum;
    SizeEstimate items{e.args.empty() ? 0 : kMaxCost, 0};
    for (const ExprPtr& el : e.args) {
      if (!el) return Malformed();
      sum = sum.Add(Cost(el.get()));
      items = items.Union(SizeOrUnknown(*el));
    }
    entries_[e.id] = EntrySize{true, SizeEstimate::Fixed(1), items};
    return sum.Add(CostEstimate::Fixed(kListCreateBaseCost));
  }

  CostEstimate CreateMap(const Expr& e) {
    CostEstimate sum;
    uint64_t lo = e.entries.empty() ? 0 : kMaxCost;
    SizeEstimate keys{lo, 0}, values{lo, 0};
    for (const Entry& en : e.entries) {
      if (!en.key || !en.value) return Malformed();
      sum = sum.Add(Cost(en.key.get())).Add(Cost(en.value.get()));
      keys = keys.Union(SizeOrUnknown(*en.key));
      values = values.Union(SizeOrUnknown(*en.value));
    }
    entries_[e.id] = EntrySize{false, keys, values};
    return sum.Add(CostEstimate::Fixed(kMapCreateBaseCost));
  }

  CostEstimate CreateStruct(const Expr& e) {
    CostEstimate sum;
    for (const Entry& en : e.entries) {
      if (!en.value) return Malformed();
      sum = sum.Add(Cost(en.value.get()));
    }
    return sum.Add(CostEstimate::Fixed(kStructCreateBaseCost));
  }

  // cel.bind(v, init, body) expands to a loop over an empty list whose accumulator is `v`.
  bool IsBind(const Expr& e) const {
    return e.iter_range && e.iter_range->kind == ExprKind::kList && e.iter_range->args.empty() &&
           e.loop_condition && e.loop_condition->kind == ExprKind::kConst &&
           e.loop_condition->constant.kind() == ValueKind::kBool && !e.loop_condition->constant.bool_value() &&
           !IsAccumulatorName(e.accu_var);
  }

  CostEstimate Bind(const Expr& e) {
    if (!e.accu_init || !e.result) return Malformed();
    // The (empty) range is still built; the bound value is computed once.
    CostEstimate sum = Cost(e.iter_range.get()).Add(Cost(e.accu_init.get()));
    PushLocal(e.accu_var, *e.accu_init);
    sum = sum.Add(Cost(e.result.get()));
    Pop(e.accu_var);
    CopySizes(e, *e.result);
    return sum;
  }

  CostEstimate Comprehension(const Expr& e) {
    if (!e.iter_range || !e.accu_init || !e.loop_condition || !e.loop_step || !e.result) return Malformed();
    const Expr& range = *e.iter_range;
    CostEstimate sum = Cost(&range).Add(Cost(e.accu_init.get()));
    PushLocal(e.accu_var, *e.accu_init);
    if (!e.iter_var2.empty()) {
      PushIterKey(e.iter_var, range);
      PushIterValue(e.iter_var2, range);
    } else {
      PushIterSingle(e.iter_var, range);
    }
    CostEstimate condition = Cost(e.loop_condition.get());
    CostEstimate step = Cost(e.loop_step.get());
    Pop(e.iter_var);
    if (!e.iter_var2.empty()) Pop(e.iter_var2);
    sum = sum.Add(Cost(e.result.get()));
    Pop(e.accu_var);

    SizeEstimate iterations = SizeOrUnknown(range);
    sum = sum.Add(iterations.MultiplyByCost(step.Add(condition)));

    // The size of what the loop builds: a literal accumulator keeps its size, a list or map
    // grows to at most one entry per iteration.
    switch (e.accu_init->kind) {
      case ExprKind::kConst:
        if (auto s = SizeOf(*e.accu_init)) sizes_of_[e.id] = *s;
        break;
      case ExprKind::kList:
      case ExprKind::kMap:
        sizes_of_[e.id] = iterations;
        if (auto entry = EntryOf(*e.loop_step)) entries_[e.id] = *entry;
        break;
      default:
        break;
    }
    return sum;
  }

  // ---- calls ----

  CallEstimate FunctionCost(const Expr& e, std::string_view id, const CostNode* target,
                            std::span<const CostNode> args, std::span<const CostEstimate> arg_costs) {
    CostEstimate arg_sum;
    for (const CostEstimate& c : arg_costs) arg_sum = arg_sum.Add(c);
    auto with_args = [&](CallEstimate c) {
      c.cost = c.cost.Add(arg_sum);
      return c;
    };
    if (OverloadEstimator est = FindOverloadEstimator(id, options_)) {
      if (auto c = est(sizes_, target, args)) return with_args(*c);
    }
    if (sizes_) {
      if (auto c = sizes_->EstimateCallCost(e.name, id, target, args)) return with_args(*c);
    }
    auto size = [](const CostNode& n) { return n.computed_size.value_or(SizeEstimate::Unknown()); };
    const double kStr = kStringTraversalCostFactor;

    // Linear in the size of an operand.
    if (id == "string_format" && target) return {size(*target).MultiplyByFactor(kStr).Add(arg_sum), std::nullopt};
    if (id == "string_to_bytes" && args.size() == 1) {
      SizeEstimate s = size(args[0]);  // a code point is at most 4 bytes
      return {s.MultiplyByFactor(kStr).Add(arg_sum), SizeEstimate{s.min, SaturatingMul(s.max, 4)}};
    }
    if (id == "bytes_to_string" && args.size() == 1) {
      SizeEstimate s = size(args[0]);
      return {s.MultiplyByFactor(kStr).Add(arg_sum), SizeEstimate{s.min / 4, s.max}};
    }
    if (id == "strings_quote" && args.size() == 1) {
      SizeEstimate s = size(args[0]);  // every character escaped, plus the quotes
      return {s.MultiplyByFactor(kStr).Add(arg_sum),
              SizeEstimate{SaturatingAdd(s.min, 2), SaturatingAdd(SaturatingMul(s.max, 2), 2)}};
    }
    if ((id == "starts_with_string" || id == "ends_with_string") && args.size() == 1) {
      return {size(args[0]).MultiplyByFactor(kStr).Add(arg_sum), std::nullopt};
    }
    if (id == "in_list" && args.size() == 2) {
      return {size(args[1]).MultiplyByFactor(1).Add(arg_sum), std::nullopt};
    }
    // Products of two sizes.
    if (id == "matches_string" && target && args.size() == 1) {
      // One more than the string length, so that an empty string still pays for the regex;
      // each 4 characters of pattern count as one regex state.
      CostEstimate str = size(*target).Add(SizeEstimate::Fixed(1)).MultiplyByFactor(kStr);
      CostEstimate re = size(args[0]).MultiplyByFactor(kRegexStringLengthCostFactor);
      return {str.Multiply(re).Add(arg_sum), std::nullopt};
    }
    if (id == "contains_string" && target && args.size() == 1) {
      CostEstimate str = size(*target).MultiplyByFactor(kStr);
      CostEstimate sub = size(args[0]).MultiplyByFactor(kStr);
      return {str.Multiply(sub).Add(arg_sum), std::nullopt};
    }
    // Short-circuiting operators: at least the left operand, at most both; no call cost.
    if ((id == "logical_or" || id == "logical_and") && arg_costs.size() == 2) {
      return {CostEstimate{arg_costs[0].min, arg_costs[0].Add(arg_costs[1]).max}, std::nullopt};
    }
    if (id == "conditional" && args.size() == 3) {
      SizeEstimate s = size(args[1]).Union(size(args[2]));
      if (args[1].expr && args[2].expr) {
        if (auto entry = UnionEntries(EntryOf(*args[1].expr), EntryOf(*args[2].expr))) entries_[e.id] = *entry;
      }
      CostEstimate c = arg_costs[0].Add(arg_costs[1].Union(arg_costs[2]));
      return {c, s};
    }
    if ((id == "add_string" || id == "add_bytes" || id == "add_list") && args.size() == 2) {
      SizeEstimate s = size(args[0]).Add(size(args[1]));
      if (args[0].expr && args[1].expr) {
        if (auto entry = UnionEntries(EntryOf(*args[0].expr), EntryOf(*args[1].expr))) entries_[e.id] = *entry;
      }
      if (id == "add_list") return {CostEstimate::Fixed(1).Add(arg_sum), s};  // O(1), tracked for its size
      return {s.MultiplyByFactor(kStr).Add(arg_sum), s};
    }
    static const char* const kCompares[] = {
        "less_string",  "greater_string",  "less_equals_string",  "greater_equals_string",
        "less_bytes",   "greater_bytes",   "less_equals_bytes",   "greater_equals_bytes",
        "equals",       "not_equals",
    };
    for (const char* c : kCompares) {
      if (id != c || args.size() != 2) continue;
      // Comparing stops at the shorter operand; two scalars cost 1.
      uint64_t shortest = std::min(size(args[0]).max, size(args[1]).max);
      CostEstimate cmp{shortest > 0 ? 1u : 0u, shortest};
      return {cmp.MultiplyByFactor(kStr).Add(arg_sum), std::nullopt};
    }
    // Everything else is O(1).
    return {CostEstimate::Fixed(1).Add(arg_sum), std::nullopt};
  }

  // ---- paths, sizes and local variables ----

  TypePtr TypeOf(const Expr& e) const { return info_.TypeOf(e.id); }

  const LocalVar* Peek(const std::string& name) const {
    auto it = locals_.find(name);
    if (it == locals_.end() || it->second.empty()) return nullptr;
    return &it->second.back();
  }
  void Pop(const std::string& name) {
    auto it = locals_.find(name);
    if (it != locals_.end() && !it->second.empty()) it->second.pop_back();
  }

  std::vector<std::string> PathOf(const Expr& e) const {
    if (e.kind == ExprKind::kIdent) {
      if (const LocalVar* v = Peek(e.name)) return v->path;
    }
    auto it = paths_.find(e.id);
    return it == paths_.end() ? std::vector<std::string>{} : it->second;
  }

  CostNode NodeFor(const Expr& e) {
    CostNode n;
    n.path = PathOf(e);
    // Paths from an accumulator are not the variable's: estimators only see real roots.
    if (!n.path.empty() && IsAccumulatorName(n.path[0])) n.path.clear();
    n.type = TypeOf(e);
    n.expr = &e;
    n.computed_size = SizeOf(e);
    return n;
  }

  // The size known for `e`: computed, literal, estimated from its path, implied by its type,
  // or carried by a local variable.
  std::optional<SizeEstimate> SizeOf(const Expr& e) {
    if (auto it = sizes_of_.find(e.id); it != sizes_of_.end()) return it->second;
    if (auto s = LiteralSize(e)) return s;
    CostNode n;
    n.path = PathOf(e);
    n.type = TypeOf(e);
    n.expr = &e;
    if (sizes_) {
      if (auto s = sizes_->EstimateSize(n)) {
        sizes_of_[e.id] = *s;
        return s;
      }
    }
    if (IsScalar(n.type)) return SizeEstimate::Fixed(1);
    if (e.kind == ExprKind::kIdent) {
      if (const LocalVar* v = Peek(e.name); v && v->size) return v->size;
    }
    return std::nullopt;
  }

  SizeEstimate SizeOrUnknown(const Expr& e) { return SizeOf(e).value_or(SizeEstimate::Unknown()); }

  std::optional<EntrySize> EntryOf(const Expr& e) const {
    if (auto it = entries_.find(e.id); it != entries_.end()) return it->second;
    if (e.kind == ExprKind::kIdent) {
      if (const LocalVar* v = Peek(e.name); v && v->entry) return v->entry;
    }
    return std::nullopt;
  }

  void CopySizes(const Expr& dst, const Expr& src) {
    if (auto s = SizeOf(src)) sizes_of_[dst.id] = *s;
    if (auto entry = EntryOf(src)) entries_[dst.id] = *entry;
  }

  void PushLocal(const std::string& name, const Expr& value) {
    LocalVar v{PathOf(value), SizeOf(value), EntryOf(value)};
    locals_[name].push_back(std::move(v));
  }

  bool RangeIsList(const Expr& range, const std::optional<EntrySize>& entry) const {
    if (entry) return entry->is_list;
    return KindOf(TypeOf(range)) == Type::Kind::kList;
  }

  void PushIter(const std::string& name, const Expr& range, const char* subpath, std::optional<SizeEstimate> size) {
    LocalVar v{PathOf(range), size, std::nullopt};
    v.path.push_back(subpath);
    locals_[name].push_back(std::move(v));
  }

  // Two-variable loops: the first variable is the index (lists) or key (maps) ...
  void PushIterKey(const std::string& name, const Expr& range) {
    std::optional<EntrySize> entry = EntryOf(range);
    std::optional<SizeEstimate> size = entry ? std::optional<SizeEstimate>(entry->key) : std::nullopt;
    PushIter(name, range, RangeIsList(range, entry) ? "@indices" : "@keys", size);
  }
  // ... the second the element (lists) or value (maps).
  void PushIterValue(const std::string& name, const Expr& range) {
    std::optional<EntrySize> entry = EntryOf(range);
    std::optional<SizeEstimate> size = entry ? std::optional<SizeEstimate>(entry->value) : std::nullopt;
    PushIter(name, range, RangeIsList(range, entry) ? "@items" : "@values", size);
  }
  // One-variable loops see list elements and map keys.
  void PushIterSingle(const std::string& name, const Expr& range) {
    std::optional<EntrySize> entry = EntryOf(range);
    bool list = RangeIsList(range, entry);
    std::optional<SizeEstimate> size;
    if (entry) size = list ? entry->value : entry->key;
    PushIter(name, range, list ? "@items" : "@keys", size);
  }

  CostEstimate Malformed() {
    malformed_ = true;
    return {};
  }

  const CheckedInfo& info_;
  const SizeEstimator* sizes_;
  CostOptions options_;
  std::map<int64_t, std::vector<std::string>> paths_;
  std::map<std::string, std::vector<LocalVar>> locals_;
  std::map<int64_t, SizeEstimate> sizes_of_;
  std::map<int64_t, EntrySize> entries_;
  bool malformed_ = false;
};

class CheckedAstInfo : public CheckedInfo {
 public:
  explicit CheckedAstInfo(const CheckedAst& checked) : checked_(checked) {}
  TypePtr TypeOf(int64_t id) const override {
    auto it = checked_.types.find(id);
    return it == checked_.types.end() ? nullptr : it->second;
  }
  std::span<const std::string> OverloadIds(int64_t id) const override {
    auto it = checked_.references.find(id);
    if (it == checked_.references.end()) return {};
    return it->second.overload_ids;
  }

 private:
  const CheckedAst& checked_;
};

}  // namespace

StatusOr<CostEstimate> EstimateCost(const CheckedInfo& info, const Expr& root, const SizeEstimator* sizes,
                                    const CostOptions& options) {
  Coster coster(info, sizes, options);
  CostEstimate c = coster.Cost(&root);
  if (coster.malformed()) return Status::Internal("cost estimation: malformed expression tree");
  return c;
}

std::unique_ptr<CheckedInfo> CheckedInfoFor(const CheckedAst& checked) {
  return std::make_unique<CheckedAstInfo>(checked);
}

StatusOr<CostEstimate> EstimateCost(const CheckedAst& checked, const SizeEstimator* sizes,
                                    const CostOptions& options) {
  if (!checked.expr) return Status::Internal("cost estimation: no checked expression");
  CheckedAstInfo info(checked);
  return EstimateCost(info, *checked.expr, sizes, options);
}

}  // namespace haru::cel
