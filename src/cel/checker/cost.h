#pragma once
// Static (worst-case) cost estimation of checked CEL expressions, following cel-go's
// checker/cost.go: every node gets a [min, max] cost in CEL's abstract cost units, loops
// multiply the cost of one iteration by the size of the iteration range, and calls are
// priced by overload id, often from the sizes of their operands (string length, list length).
// Sizes come from literals, from what the expression computes, and, for variables, from a
// SizeEstimator that knows the declared bounds (maxLength, maxItems, ...) along field paths.
//
// Kubernetes uses the estimate to reject expressions before they are stored: DRA device
// selectors over 1,000,000 (cost_k8s.cc has the DRA size model and the Kubernetes library
// costs), CRD validation rules over their budget, admission policies over the per-call
// limit. Unknown sizes are max uint64, so a loop over an unbounded list is unbounded.

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cel/ast/ast.h"
#include "cel/checker/types.h"
#include "common/status.h"

namespace haru::cel {

struct CheckedAst;

// cel-go's cost constants (common/cost.go).
inline constexpr uint64_t kConstCost = 0;
inline constexpr uint64_t kSelectAndIdentCost = 1;
inline constexpr uint64_t kListCreateBaseCost = 10;
inline constexpr uint64_t kMapCreateBaseCost = 30;
inline constexpr uint64_t kStructCreateBaseCost = 40;
inline constexpr double kStringTraversalCostFactor = 0.1;
inline constexpr double kRegexStringLengthCostFactor = 0.25;

inline constexpr uint64_t kMaxCost = std::numeric_limits<uint64_t>::max();

// Saturating arithmetic on [min, max] ranges: sums and products stop at max uint64.
uint64_t SaturatingAdd(uint64_t a, uint64_t b);
uint64_t SaturatingMul(uint64_t a, uint64_t b);
// ceil(x * factor), saturating.
uint64_t MulByFactor(uint64_t x, double factor);

struct CostEstimate {
  uint64_t min = 0;
  uint64_t max = 0;

  static CostEstimate Fixed(uint64_t c) { return {c, c}; }
  static CostEstimate Unknown() { return {0, kMaxCost}; }
  CostEstimate Add(CostEstimate o) const { return {SaturatingAdd(min, o.min), SaturatingAdd(max, o.max)}; }
  CostEstimate Multiply(CostEstimate o) const {
    return {SaturatingMul(min, o.min), SaturatingMul(max, o.max)};
  }
  CostEstimate MultiplyByFactor(double f) const { return {MulByFactor(min, f), MulByFactor(max, f)}; }
  // The smallest range covering both.
  CostEstimate Union(CostEstimate o) const {
    return {o.min < min ? o.min : min, o.max > max ? o.max : max};
  }
  bool operator==(const CostEstimate&) const = default;
};

// The size of a string (code points), bytes, list or map, as CEL's size() reports it.
struct SizeEstimate {
  uint64_t min = 0;
  uint64_t max = 0;

  static SizeEstimate Fixed(uint64_t n) { return {n, n}; }
  static SizeEstimate Unknown() { return {0, kMaxCost}; }
  SizeEstimate Add(SizeEstimate o) const { return {SaturatingAdd(min, o.min), SaturatingAdd(max, o.max)}; }
  SizeEstimate Multiply(SizeEstimate o) const {
    return {SaturatingMul(min, o.min), SaturatingMul(max, o.max)};
  }
  SizeEstimate Union(SizeEstimate o) const {
    return {o.min < min ? o.min : min, o.max > max ? o.max : max};
  }
  CostEstimate MultiplyByFactor(double f) const { return {MulByFactor(min, f), MulByFactor(max, f)}; }
  CostEstimate MultiplyByCost(CostEstimate c) const {
    return {SaturatingMul(min, c.min), SaturatingMul(max, c.max)};
  }
  CostEstimate AsCost() const { return MultiplyByFactor(1); }
  bool operator==(const SizeEstimate&) const = default;
};

// The cost of one call (without its arguments) and, for calls producing a string, bytes,
// list or map, the size of the result.
struct CallEstimate {
  CostEstimate cost;
  std::optional<SizeEstimate> result_size;
};

// What the estimator needs from the type checker: the type of each node and the overloads a
// call may resolve to (all of them when an operand is dyn, as cel-go records them).
class CheckedInfo {
 public:
  virtual ~CheckedInfo() = default;
  // Null when the checker recorded no type (treated as dyn).
  virtual TypePtr TypeOf(int64_t expr_id) const = 0;
  virtual std::span<const std::string> OverloadIds(int64_t expr_id) const = 0;
};

// A node as size and call estimators see it (cel-go's checker.AstNode).
struct CostNode {
  // The field path from a variable: {"device", "attributes", "@values", "name"}. After the
  // variable come field names and "@items" (list elements), "@keys" and "@values" (map keys
  // and values), "@indices" (list indexes of two-variable loops). Empty when the node is not
  // reachable from a variable.
  std::vector<std::string> path;
  TypePtr type;                              // null reads as dyn
  const Expr* expr = nullptr;                // null for synthesized nodes (list elements)
  std::optional<SizeEstimate> computed_size;  // from literals and computed results
};

// Sizes of variables and costs of library calls the standard estimator does not know.
class SizeEstimator {
 public:
  virtual ~SizeEstimator() = default;
  // The size of a string/bytes/list/map node, or nullopt when unknown. Only asked for nodes
  // whose size the expression itself does not determine.
  virtual std::optional<SizeEstimate> EstimateSize(const CostNode& node) const = 0;
  // The cost of a call, excluding its receiver and arguments, or nullopt to use the standard
  // estimate. `target` is null for global calls.
  virtual std::optional<CallEstimate> EstimateCallCost(std::string_view function, std::string_view overload_id,
                                                       const CostNode* target,
                                                       std::span<const CostNode> args) const {
    return std::nullopt;
  }
};

struct CostOptions {
  // cel-go charges 1 for has(); Kubernetes turns that off (PresenceTestHasCost(false)) in
  // every environment it builds, so the Kubernetes estimates are made with false.
  bool presence_test_has_cost = true;
  // The costs extension libraries attach to their overloads (cel-go's OverloadCostEstimate):
  // sets.contains/equivalent/intersects always; lists (slice, flatten, distinct, reverse,
  // sort, sortBy, lists.range) from lists version 3, the version Kubernetes enables. (The
  // strings library prices its functions itself only from version 5; Kubernetes uses
  // version 2 and prices them in KubernetesCostEstimator.)
  uint32_t lists_version = 3;
  // cel-go before v0.26 handed call estimators a receiver node for global calls too (an
  // empty one), so Kubernetes priced quantity("..."), ip("..."), cidr("..."), semver("...")
  // by their argument's length; from v0.26 those are O(1) calls. Default: the newer rule.
  bool legacy_global_call_target = false;
};

inline CostOptions KubernetesCostOptions() {
  CostOptions o;
  o.presence_test_has_cost = false;
  return o;
}

// Estimates `root` (macro-expanded, as checked). `sizes` may be null: every variable size is
// then unknown. Fails only on malformed trees.
StatusOr<CostEstimate> EstimateCost(const CheckedInfo& info, const Expr& root, const SizeEstimator* sizes,
                                    const CostOptions& options = {});
// The same for a checker result.
StatusOr<CostEstimate> EstimateCost(const CheckedAst& checked, const SizeEstimator* sizes,
                                    const CostOptions& options = {});

// A CheckedInfo over the checker's result; `checked` must outlive it.
std::unique_ptr<CheckedInfo> CheckedInfoFor(const CheckedAst& checked);

// ---- Kubernetes (cost_k8s.cc) ----

// Kubernetes' library.CostEstimator: the call costs of the Kubernetes libraries (quantity,
// semver, url, ip/cidr, regex find/findAll, lists isSorted/sum/min/max/indexOf/lastIndexOf,
// format, authorizer, label/field selectors) and of the strings extension functions as
// Kubernetes prices them (lowerAscii, upperAscii, replace, split, join, substring, trim), plus
// equality of Kubernetes types. Sizes and any other call costs come from `sizes` (may be null;
// not owned, must outlive the result).
std::unique_ptr<SizeEstimator> KubernetesCostEstimator(const SizeEstimator* sizes);

// A size model for declared variables: a tree of maximum sizes along field paths, the shape
// Kubernetes derives from OpenAPI schemas (maxLength, maxItems, maxProperties, or bounds
// estimated from the maximum request size) and declares for DRA's `device`.
struct SizeBound {
  uint64_t max_elements = kMaxCost;  // strings: characters, bytes: bytes, lists/maps: entries
  std::map<std::string, std::shared_ptr<const SizeBound>> fields;  // object fields
  std::shared_ptr<const SizeBound> elem;  // list items, map values
  std::shared_ptr<const SizeBound> key;   // map keys
  // Map values reached by a field-style select (`m.name`) use `elem` when set.
  bool select_reaches_values = false;
};
using SizeBoundPtr = std::shared_ptr<const SizeBound>;

// Kubernetes' schema size estimator: walks `path` from one of `roots` (by variable name)
// and answers [0, max_elements] of the node reached; nullopt for unknown roots or paths.
std::unique_ptr<SizeEstimator> BoundedSizeEstimator(std::map<std::string, SizeBoundPtr> roots);

// Upstream's bounds for schema nodes without declared limits, from the largest request the
// apiserver accepts (3 MiB, apiserver cel.MaxRequestSizeBytes): how many array items or
// additional properties of a given minimum serialized size fit, and the longest string.
inline constexpr uint64_t kMaxRequestSizeBytes = 3 * 1024 * 1024;
uint64_t MaxArrayItemsFromMinSize(uint64_t min_serialized_size, uint64_t max_request_bytes = kMaxRequestSizeBytes);
uint64_t MaxPropertiesFromMinSize(uint64_t min_serialized_size, uint64_t max_request_bytes = kMaxRequestSizeBytes);
uint64_t MaxStringLength(uint64_t max_request_bytes = kMaxRequestSizeBytes);

// DRA device selectors (k8s.io/dynamic-resource-allocation/cel): the size model of `device`
// (driver <= 63 chars; attributes: <= 32 domains of <= 63 chars, each <= 32 ids of <= 32
// chars, values <= 64 elements (string length or, with list-type attributes, list items);
// capacity: the same maps of quantities) and the `includes` function (48, the most values an
// attribute list may hold), wrapped in KubernetesCostEstimator: EstimateCost with it and
// KubernetesCostOptions() gives upstream's CompilationResult.MaxCost.
std::unique_ptr<SizeEstimator> DraSelectorSizeEstimator();

// DRA's limit (resourceapi.CELSelectorExpressionMaxCost): selectors whose estimated max cost
// exceeds it are rejected at validation ("too complex, exceeds cost limit").
inline constexpr uint64_t kDraSelectorMaxCost = 1000000;

}  // namespace haru::cel
