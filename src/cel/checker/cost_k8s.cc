// Kubernetes' additions to the cost model: the call costs of its CEL libraries (as
// k8s.io/apiserver/pkg/cel/library/cost.go prices them), size estimation along declared
// bounds (the schema and DRA estimators), and DRA's device model.

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>

#include "cel/checker/cost.h"

namespace haru::cel {
namespace {

constexpr double kStr = kStringTraversalCostFactor;

// Upstream's limits that enter prices: the longest format string, the longest regex of a
// named format (apiserver/pkg/cel/limits.go).
constexpr uint64_t kMaxFormatSize = 64;
constexpr uint64_t kMaxNameFormatRegexSize = 128;
// An authorization check is priced so that two fit in one expression's budget.
constexpr uint64_t kAuthzCheckCost = 350000;

bool OneOf(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view v : set) {
    if (s == v) return true;
  }
  return false;
}

CallEstimate Fixed(uint64_t c) { return {CostEstimate::Fixed(c), std::nullopt}; }

class KubernetesEstimator : public SizeEstimator {
 public:
  explicit KubernetesEstimator(const SizeEstimator* sizes) : sizes_(sizes) {}

  std::optional<SizeEstimate> EstimateSize(const CostNode& node) const override {
    return sizes_ ? sizes_->EstimateSize(node) : std::nullopt;
  }

  std::optional<CallEstimate> EstimateCallCost(std::string_view fn, std::string_view id, const CostNode* target,
                                               std::span<const CostNode> args) const override {
    if (auto c = Library(fn, id, target, args)) return c;
    return sizes_ ? sizes_->EstimateCallCost(fn, id, target, args) : std::nullopt;
  }

 private:
  SizeEstimate Size(const CostNode& n) const {
    if (n.computed_size) return *n.computed_size;
    if (auto s = EstimateSize(n)) return *s;
    return SizeEstimate::Unknown();
  }

  // The element of a list (or the first parameter of any parameterized type), with the
  // path of its items when the list has one.
  std::optional<CostNode> ElementOf(const CostNode& list) const {
    if (!list.type || list.type->params.empty()) return std::nullopt;
    CostNode el;
    el.type = list.type->params[0];
    if (!list.path.empty()) {
      el.path = list.path;
      el.path.push_back("@items");
    }
    return el;
  }

  // Parsing a selector: a traversal plus one requirement (a struct and a value list) per
  // two characters.
  static CostEstimate SelectorCost(SizeEstimate length) {
    CostEstimate parse = length.MultiplyByFactor(kStr);
    CostEstimate requirements = length.MultiplyByFactor(0.5).MultiplyByFactor(
        static_cast<double>(kListCreateBaseCost + kStructCreateBaseCost));
    return CostEstimate::Fixed(kListCreateBaseCost).Add(parse).Add(requirements);
  }

  std::optional<CallEstimate> Library(std::string_view fn, std::string_view id, const CostNode* target,
                                      std::span<const CostNode> args) const {
    if (fn == "check") return Fixed(kAuthzCheckCost);
    if (OneOf(fn, {"serviceAccount", "path", "group", "resource", "subresource", "namespace", "name", "allowed",
                   "reason", "error", "errored"})) {
      return Fixed(1);
    }
    if (OneOf(fn, {"fieldSelector", "labelSelector"})) {
      if (args.size() == 1) return CallEstimate{SelectorCost(Size(args[0])), std::nullopt};
      return std::nullopt;
    }
    if (OneOf(fn, {"isSorted", "sum", "max", "min", "indexOf", "lastIndexOf"})) {
      if (!target) return std::nullopt;
      if (std::optional<CostNode> el = ElementOf(*target)) {
        // One comparison per element, plus a traversal of each string or bytes element.
        CostEstimate per = CostEstimate::Fixed(1);
        Type::Kind k = el->type ? el->type->kind : Type::Kind::kDyn;
        if (k == Type::Kind::kString || k == Type::Kind::kBytes) per = per.Add(Size(*el).MultiplyByFactor(kStr));
        return CallEstimate{Size(*target).MultiplyByCost(per), std::nullopt};
      }
      return CallEstimate{Size(*target).MultiplyByFactor(kStr), std::nullopt};  // string indexOf
    }
    if (OneOf(fn, {"url", "jsonpatch.escapeKey"})) {
      if (args.size() != 1) return std::nullopt;
      SizeEstimate s = Size(args[0]);
      return CallEstimate{s.MultiplyByFactor(kStr), s};
    }
    if (OneOf(fn, {"lowerAscii", "upperAscii", "substring", "trim"})) {
      if (!target) return std::nullopt;
      SizeEstimate s = Size(*target);
      return CallEstimate{s.MultiplyByFactor(kStr), s};
    }
    if (fn == "replace") {
      if (!target || args.size() < 2) return std::nullopt;
      return Replace(Size(*target), Size(args[0]), Size(args[1]));
    }
    if (fn == "split") {
      if (!target) return std::nullopt;
      SizeEstimate s = Size(*target);
      // At worst every character is an element; a literal limit caps the count.
      uint64_t most = s.max;
      if (args.size() > 1 && args[1].expr && args[1].expr->kind == ExprKind::kConst &&
          args[1].expr->constant.kind() == ValueKind::kInt) {
        most = static_cast<uint64_t>(args[1].expr->constant.int_value());
      }
      return CallEstimate{s.MultiplyByFactor(2 * kStr), SizeEstimate{0, most}};
    }
    if (fn == "join") {
      if (!target) return std::nullopt;
      SizeEstimate items = Size(*target);
      SizeEstimate s;
      if (std::optional<CostNode> el = ElementOf(*target)) s = items.Multiply(Size(*el));
      if (!args.empty()) {
        SizeEstimate separators{items.min > 0 ? items.min - 1 : 0, items.max > 0 ? items.max - 1 : 0};
        s = s.Add(Size(args[0]).Multiply(separators));
      }
      return CallEstimate{s.MultiplyByFactor(kStr), s};
    }
    if (OneOf(fn, {"find", "findAll"})) {
      if (!target || args.empty()) return std::nullopt;
      SizeEstimate s = Size(*target);
      CostEstimate str = s.Add(SizeEstimate::Fixed(1)).MultiplyByFactor(kStr);
      CostEstimate re = Size(args[0]).MultiplyByFactor(kRegexStringLengthCostFactor);
      return CallEstimate{str.Multiply(re), SizeEstimate{0, s.max}};
    }
    // Parsers of strings: priced by the string, when upstream sees a receiver (see
    // CostOptions::legacy_global_call_target).
    if (OneOf(fn, {"cidr", "isIP", "isCIDR", "quantity", "isQuantity", "semver", "isSemver"})) {
      if (!target || args.empty()) return std::nullopt;
      return CallEstimate{Size(args[0]).MultiplyByFactor(kStr), std::nullopt};
    }
    if (fn == "ip") {
      if (target && !args.empty()) {
        if (id == "cidr_ip") return Fixed(1);
        return CallEstimate{Size(args[0]).MultiplyByFactor(kStr), std::nullopt};
      }
      if (target) return Fixed(1);  // cidr.ip(): a field
      return std::nullopt;
    }
    if (fn == "ip.isCanonical") {
      if (!target || args.empty()) return std::nullopt;
      return CallEstimate{Size(args[0]).MultiplyByFactor(2 * kStr), std::nullopt};  // parse and compare
    }
    if (OneOf(fn, {"masked", "prefixLength", "family", "isUnspecified", "isLoopback", "isLinkLocalMulticast",
                   "isLinkLocalUnicast", "isGlobalUnicast"})) {
      return Fixed(1);
    }
    if (fn == "containsIP" || fn == "containsCIDR") {
      if (!target || args.empty()) return std::nullopt;
      // Comparing two addresses of 4 (IPv4) to 16 (IPv6) bytes.
      SizeEstimate addr{4, 16};
      CostEstimate c = addr.Add(addr).MultiplyByFactor(kStr);
      if (fn == "containsCIDR") {
        c = c.Add(addr.MultiplyByFactor(kStr)).Add(CostEstimate::Fixed(1));  // masking the prefix
      }
      if (id == "cidr_contains_ip_string" || id == "cidr_contains_cidr_string") {
        c = c.Add(Size(args[0]).AsCost().MultiplyByFactor(kStr));  // parsing the argument
      }
      return CallEstimate{c, std::nullopt};
    }
    if (fn == "validate") {
      if (!target || args.empty()) return std::nullopt;
      CostEstimate c = Size(args[0]).MultiplyByFactor(kStr).MultiplyByFactor(
          static_cast<double>(kMaxNameFormatRegexSize) * kRegexStringLengthCostFactor);
      return CallEstimate{c, std::nullopt};
    }
    if (fn == "format.named") return Fixed(1);
    if (OneOf(fn, {"sign", "asInteger", "isInteger", "asApproximateFloat", "isGreaterThan", "isLessThan",
                   "compareTo", "add", "sub", "major", "minor", "patch"})) {
      return Fixed(1);
    }
    if (OneOf(fn, {"getScheme", "getHostname", "getHost", "getPort", "getEscapedPath", "getQuery"})) {
      return Fixed(1);
    }
    if (fn == "_==_" && args.size() == 2) return Equality(args[0], args[1]);
    return std::nullopt;
  }

  // Equality of two values of the same Kubernetes type.
  static std::optional<CallEstimate> Equality(const CostNode& lhs, const CostNode& rhs) {
    if (!lhs.type || !rhs.type || !SameType(lhs.type, rhs.type)) return std::nullopt;
    const std::string& name = lhs.type->name;
    if (OneOf(name, {"net.IP", "net.CIDR", "kubernetes.Quantity", "kubernetes.Semver",
                     "kubernetes.authorization.Authorizer", "kubernetes.authorization.PathCheck",
                     "kubernetes.authorization.GroupCheck", "kubernetes.authorization.ResourceCheck",
                     "kubernetes.authorization.Decision"})) {
      return Fixed(1);
    }
    if (name == "kubernetes.NamedFormat") {
      return CallEstimate{CostEstimate{1, kMaxFormatSize}.MultiplyByFactor(kStr), std::nullopt};
    }
    if (name == "kubernetes.URL") {
      // Upstream unions the right operand's computed size with itself.
      SizeEstimate s = rhs.computed_size ? *rhs.computed_size : SizeEstimate::Fixed(1);
      return CallEstimate{CostEstimate{1, s.max}.MultiplyByFactor(kStr), std::nullopt};
    }
    return std::nullopt;
  }

  // The result of replace: how often the pattern can occur times the replacement, plus what
  // is kept; at most when the smallest pattern is replaced by the largest replacement, at
  // least when the largest pattern is replaced by the smallest one.
  static CallEstimate Replace(SizeEstimate s, SizeEstimate from, SizeEstimate to) {
    SizeEstimate count, kept;
    if (from.min == 0) {
      // An empty pattern matches around every character.
      count.max = s.max < kMaxCost ? s.max + 1 : s.max;
      kept.max = s.max;
    } else if (to.max <= from.min) {
      count.max = 0;
      kept.max = s.max;
    } else {
      count.max = static_cast<uint64_t>(std::ceil(static_cast<double>(s.max) / static_cast<double>(from.min)));
    }
    if (from.max == 0) {
      count.min = s.min < kMaxCost ? s.min + 1 : s.min;
      kept.min = s.min;
    } else if (from.max <= to.min) {
      count.min = 0;
      kept.min = s.min;
    } else {
      count.min = static_cast<uint64_t>(std::ceil(static_cast<double>(s.min) / static_cast<double>(from.max)));
    }
    SizeEstimate result = count.Multiply(to).Add(kept);
    return CallEstimate{s.MultiplyByFactor(2 * kStr), result};
  }

  const SizeEstimator* sizes_;
};

class BoundedEstimator : public SizeEstimator {
 public:
  explicit BoundedEstimator(std::map<std::string, SizeBoundPtr> roots) : roots_(std::move(roots)) {}

  std::optional<SizeEstimate> EstimateSize(const CostNode& node) const override {
    if (node.path.empty()) return std::nullopt;
    auto root = roots_.find(node.path[0]);
    if (root == roots_.end() || !root->second) return std::nullopt;
    const SizeBound* at = root->second.get();
    for (size_t i = 1; i < node.path.size() && at; ++i) {
      const std::string& step = node.path[i];
      if (step == "@items" || step == "@values") {
        at = at->elem.get();
      } else if (step == "@keys") {
        at = at->key.get();
      } else if (auto f = at->fields.find(step); f != at->fields.end()) {
        at = f->second.get();
      } else {
        at = at->select_reaches_values ? at->elem.get() : nullptr;
      }
    }
    if (!at) return std::nullopt;
    return SizeEstimate{0, at->max_elements};
  }

 private:
  std::map<std::string, SizeBoundPtr> roots_;
};

// DRA's limits (k8s.io/api/resource/v1).
constexpr uint64_t kDriverNameMaxLength = 63;
constexpr uint64_t kDeviceMaxDomainLength = 63;
constexpr uint64_t kDeviceMaxIdLength = 32;
constexpr uint64_t kDeviceAttributeMaxValueLength = 64;
constexpr uint64_t kMaxAttributesAndCapacitiesPerDevice = 32;
constexpr uint64_t kMaxAttributeValuesPerDevice = 48;

SizeBoundPtr Bound(uint64_t max, SizeBoundPtr key = nullptr, SizeBoundPtr elem = nullptr) {
  auto b = std::make_shared<SizeBound>();
  b->max_elements = max;
  b->key = std::move(key);
  b->elem = std::move(elem);
  return b;
}

SizeBoundPtr DraDeviceBound() {
  SizeBoundPtr domain = Bound(kDeviceMaxDomainLength);
  SizeBoundPtr id = Bound(kDeviceMaxIdLength);
  // An attribute value: a string of up to 64 characters or, with list-type attributes, a
  // list of up to 48 values; upstream declares the larger bound for both.
  SizeBoundPtr attribute = Bound(std::max(kDeviceAttributeMaxValueLength, kMaxAttributeValuesPerDevice));
  auto inner_attributes = std::make_shared<SizeBound>();
  inner_attributes->max_elements = kMaxAttributesAndCapacitiesPerDevice;
  inner_attributes->key = id;
  inner_attributes->elem = attribute;
  inner_attributes->select_reaches_values = true;  // device.attributes["d"].name
  SizeBoundPtr attributes = Bound(kMaxAttributesAndCapacitiesPerDevice, domain, inner_attributes);
  // Quantities have no declared size.
  SizeBoundPtr inner_capacity = Bound(kMaxAttributesAndCapacitiesPerDevice, id, Bound(0));
  SizeBoundPtr capacity = Bound(kMaxAttributesAndCapacitiesPerDevice, domain, inner_capacity);

  auto device = std::make_shared<SizeBound>();
  device->max_elements = 0;
  device->fields["driver"] = Bound(kDriverNameMaxLength);
  device->fields["attributes"] = attributes;
  device->fields["capacity"] = capacity;
  device->fields["allowMultipleAllocations"] = Bound(1);
  return device;
}

// The DRA selector environment: sizes of `device`, the `includes` function, and the
// Kubernetes library costs on top.
class DraEstimator : public SizeEstimator {
 public:
  DraEstimator() : bounds_({{"device", DraDeviceBound()}}), k8s_(&bounds_) {}

  std::optional<SizeEstimate> EstimateSize(const CostNode& node) const override { return k8s_.EstimateSize(node); }

  std::optional<CallEstimate> EstimateCallCost(std::string_view fn, std::string_view id, const CostNode* target,
                                               std::span<const CostNode> args) const override {
    // includes() compares against at most every value an attribute list may hold.
    if (fn == "includes" && target) return Fixed(kMaxAttributeValuesPerDevice);
    return k8s_.EstimateCallCost(fn, id, target, args);
  }

 private:
  BoundedEstimator bounds_;
  KubernetesEstimator k8s_;
};

}  // namespace

std::unique_ptr<SizeEstimator> KubernetesCostEstimator(const SizeEstimator* sizes) {
  return std::make_unique<KubernetesEstimator>(sizes);
}

std::unique_ptr<SizeEstimator> BoundedSizeEstimator(std::map<std::string, SizeBoundPtr> roots) {
  return std::make_unique<BoundedEstimator>(std::move(roots));
}

// The request is a JSON document: its brackets or quotes take two bytes; every array item
// needs at least its minimum size and a comma; every property a quoted key (at least one
// character), a colon and a comma besides its value.
uint64_t MaxArrayItemsFromMinSize(uint64_t min_serialized_size, uint64_t max_request_bytes) {
  return max_request_bytes < 2 ? 0 : (max_request_bytes - 2) / (min_serialized_size + 1);
}

uint64_t MaxPropertiesFromMinSize(uint64_t min_serialized_size, uint64_t max_request_bytes) {
  return max_request_bytes < 2 ? 0 : (max_request_bytes - 2) / (min_serialized_size + 6);
}

uint64_t MaxStringLength(uint64_t max_request_bytes) { return max_request_bytes < 2 ? 0 : max_request_bytes - 2; }

std::unique_ptr<SizeEstimator> DraSelectorSizeEstimator() { return std::make_unique<DraEstimator>(); }

}  // namespace haru::cel
