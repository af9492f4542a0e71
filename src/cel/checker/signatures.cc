// Result types of library functions for the checker. Arguments are checked by the runtime
// overloads; this table only says what a call yields, so that chains like
// `quantity(x).compareTo(y) >= 0` type-check.

#include <initializer_list>

#include "cel/checker/checker.h"
#include "cel/library/k8s.h"

namespace haru::cel {
namespace {

using K = Type::Kind;

bool In(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

TypePtr ResultType(std::string_view name, bool receiver, const std::vector<TypePtr>& args) {
  const TypePtr& first = args.empty() ? DynType() : args[0];
  if (In(name, {"contains", "startsWith", "endsWith", "matches", "isSorted", "isQuantity", "isInteger",
                "isGreaterThan", "isLessThan", "isURL", "isIP", "isCIDR", "isSemver", "isUnspecified",
                "isLoopback", "isLinkLocalMulticast", "isLinkLocalUnicast", "isGlobalUnicast",
                "containsIP", "containsCIDR", "hasValue", "math.isInf", "math.isNaN", "math.isFinite",
                "sets.contains", "sets.equivalent", "sets.intersects", "ip.isCanonical", "bool"})) {
    return Primitive(K::kBool);
  }
  if (In(name, {"size", "compareTo", "asInteger", "major", "minor", "patch", "family", "prefixLength",
                "indexOf", "lastIndexOf", "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth",
                "getDate", "getDayOfWeek", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
                "int", "math.bitAnd", "math.bitOr", "math.bitXor", "math.bitNot", "math.bitShiftLeft",
                "math.bitShiftRight"})) {
    if (name.substr(0, 8) == "math.bit" && !args.empty()) return first;
    return Primitive(K::kInt);
  }
  if (name == "sign") return first->kind == K::kOpaque ? Primitive(K::kInt) : first;
  if (In(name, {"asApproximateFloat", "double", "math.ceil", "math.floor", "math.round", "math.trunc",
                "math.sqrt"})) {
    return Primitive(K::kDouble);
  }
  if (In(name, {"math.abs", "math.sign"})) return first;
  if (In(name, {"math.greatest", "math.least"})) return DynType();
  if (In(name, {"string", "charAt", "lowerAscii", "upperAscii", "replace", "substring", "trim", "join",
                "reverse", "strings.quote", "format", "find", "getScheme", "getHost", "getHostname",
                "getPort", "getEscapedPath", "base64.encode"})) {
    if (name == "reverse" && first->kind == K::kList) return first;
    return Primitive(K::kString);
  }
  if (In(name, {"split", "findAll"})) return ListType(Primitive(K::kString));
  if (name == "getQuery") return MapType(Primitive(K::kString), ListType(Primitive(K::kString)));
  if (In(name, {"bytes", "base64.decode"})) return Primitive(K::kBytes);
  if (In(name, {"uint"})) return Primitive(K::kUint);
  if (In(name, {"duration"})) return Primitive(K::kDuration);
  if (In(name, {"timestamp"})) return Primitive(K::kTimestamp);
  if (In(name, {"type"})) return Primitive(K::kType);
  if (name == "dyn") return DynType();
  if (name == "quantity") return OpaqueType(kQuantityType);
  if (In(name, {"add", "sub"}) && first->kind == K::kOpaque) return first;
  if (name == "url") return OpaqueType(kUrlType);
  if (name == "ip" || (name == "ip" && receiver)) return OpaqueType(kIpType);
  if (In(name, {"cidr", "masked"})) return OpaqueType(kCidrType);
  if (name == "semver") return OpaqueType(kSemverType);
  if (name.substr(0, 7) == "format." && name != "format.named") return OpaqueType(kFormatType);
  if (name == "format.named") return OptionalType(OpaqueType(kFormatType));
  if (name == "validate") return OptionalType(ListType(Primitive(K::kString)));
  if (In(name, {"value", "orValue"}) && first->kind == K::kOptional) return first->params[0];
  if (In(name, {"or"}) && first->kind == K::kOptional) return first;
  if (In(name, {"optional.of", "optional.ofNonZeroValue"})) return OptionalType(first);
  if (name == "optional.none") return OptionalType(DynType());
  if (In(name, {"first", "last"}) && first->kind == K::kList) return OptionalType(first->params[0]);
  if (In(name, {"slice", "distinct", "sort", "@sortByAssociatedKeys"}) && first->kind == K::kList) return first;
  if (In(name, {"min", "max", "sum"}) && first->kind == K::kList) return first->params[0];
  if (In(name, {"flatten", "lists.range"})) return name == "lists.range" ? ListType(Primitive(K::kInt)) : ListType(DynType());
  return nullptr;
}

}  // namespace haru::cel
