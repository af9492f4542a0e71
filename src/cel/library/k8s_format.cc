// Kubernetes format library: format.named(name) -> optional format, format.<name>() for each
// known format, and f.validate(s) -> optional.none() when valid, else optional.of(errors).
// The messages are apimachinery's validation messages (IsDNS1123Label, IsQualifiedName, ...).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "cel/common/containers.h"
#include "cel/common/time.h"
#include "cel/library/k8s.h"
#include "cel/library/k8s_value.h"
#include "common/base64.h"

namespace haru::cel {
namespace {

using K = ValueKind;
using Errors = std::vector<std::string>;
using Validator = Errors (*)(std::string_view);

std::string RegexError(const std::string& msg, const char* regex, std::initializer_list<const char*> examples) {
  std::string s = msg + " (e.g. ";
  bool first = true;
  for (const char* e : examples) {
    if (!first) s += ",  or ";
    s += "'" + std::string(e) + "'";
    first = false;
  }
  return s + ", regex used for validation is '" + regex + "')";
}

bool FullMatch(std::string_view s, const char* pattern) {
  static thread_local std::vector<std::pair<const char*, std::unique_ptr<RE2>>> cache;
  for (auto& [p, re] : cache) {
    if (p == pattern) return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *re);
  }
  cache.emplace_back(pattern, std::make_unique<RE2>(pattern));
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *cache.back().second);
}

std::string MaxLen(size_t n) { return "must be no more than " + std::to_string(n) + " characters"; }

constexpr char kLabelFmt[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr char kSubdomainFmt[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr char kDns1035Fmt[] = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr char kQualifiedFmt[] = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr char kLabelValueFmt[] = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";

Errors Dns1123Label(std::string_view s) {
  Errors e;
  if (s.size() > 63) e.push_back(MaxLen(63));
  if (!FullMatch(s, kLabelFmt)) {
    e.push_back(RegexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                           kLabelFmt, {"my-name", "123-abc"}));
  }
  return e;
}

Errors Dns1123Subdomain(std::string_view s) {
  Errors e;
  if (s.size() > 253) e.push_back(MaxLen(253));
  if (!FullMatch(s, kSubdomainFmt)) {
    e.push_back(RegexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                           kSubdomainFmt, {"example.com"}));
  }
  return e;
}

Errors Dns1035Label(std::string_view s) {
  Errors e;
  if (s.size() > 63) e.push_back(MaxLen(63));
  if (!FullMatch(s, kDns1035Fmt)) {
    e.push_back(RegexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
                           kDns1035Fmt, {"my-name", "abc-123"}));
  }
  return e;
}

Errors QualifiedName(std::string_view s) {
  Errors e;
  std::string_view name = s;
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    if (s.find('/', slash + 1) != std::string_view::npos) {
      e.push_back("a qualified name " +
                  RegexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                             kQualifiedFmt, {"MyName", "my.name", "123-abc"}) +
                  " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return e;
    }
    std::string_view prefix = s.substr(0, slash);
    name = s.substr(slash + 1);
    if (prefix.empty()) {
      e.push_back("prefix part must be non-empty");
    } else {
      for (const std::string& m : Dns1123Subdomain(prefix)) e.push_back("prefix part " + m);
    }
  }
  if (name.empty()) {
    e.push_back("name part must be non-empty");
  } else if (name.size() > 63) {
    e.push_back("name part " + MaxLen(63));
  }
  if (!FullMatch(name, kQualifiedFmt)) {
    e.push_back("name part " +
                RegexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                           kQualifiedFmt, {"MyName", "my.name", "123-abc"}));
  }
  return e;
}

Errors LabelValue(std::string_view s) {
  Errors e;
  if (s.size() > 63) e.push_back(MaxLen(63));
  if (!FullMatch(s, kLabelValueFmt)) {
    e.push_back(RegexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                           kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return e;
}

// generateName prefixes may end in '-': validate with that dash masked, as upstream does.
std::string MaskTrailingDash(std::string_view s) {
  std::string out(s);
  if (out.size() > 1 && out.back() == '-') out.back() = 'a';
  return out;
}
Errors Dns1123LabelPrefix(std::string_view s) { return Dns1123Label(MaskTrailingDash(s)); }
Errors Dns1123SubdomainPrefix(std::string_view s) { return Dns1123Subdomain(MaskTrailingDash(s)); }
Errors Dns1035LabelPrefix(std::string_view s) { return Dns1035Label(MaskTrailingDash(s)); }

Errors Uri(std::string_view s) {
  if (IsRequestUri(s)) return {};
  return {"invalid URI"};
}

Errors Uuid(std::string_view s) {
  if (FullMatch(s, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) return {};
  return {"does not match the UUID format"};
}

Errors Byte(std::string_view s) {
  if (Base64Decode(std::string(s)).has_value()) return {};
  return {"invalid base64"};
}

Errors Date(std::string_view s) {
  if (s.size() == 10 && ParseTimestamp(std::string(s) + "T00:00:00Z").has_value()) return {};
  return {"invalid date"};
}

Errors DateTime(std::string_view s) {
  if (ParseTimestamp(s).has_value()) return {};
  return {"invalid datetime"};
}

struct NamedFormat {
  const char* name;
  Validator validate;
  bool operator==(const NamedFormat& o) const { return validate == o.validate; }
};

constexpr NamedFormat kFormats[] = {
    {"dns1123Label", Dns1123Label},         {"dns1123Subdomain", Dns1123Subdomain},
    {"dns1035Label", Dns1035Label},         {"qualifiedName", QualifiedName},
    {"dns1123LabelPrefix", Dns1123LabelPrefix}, {"dns1123SubdomainPrefix", Dns1123SubdomainPrefix},
    {"dns1035LabelPrefix", Dns1035LabelPrefix}, {"labelValue", LabelValue},
    {"uri", Uri},                           {"uuid", Uuid},
    {"byte", Byte},                         {"date", Date},
    {"datetime", DateTime},
};

using FormatValue = LibraryValue<NamedFormat, kFormatType>;

Value Named(const Value* a, EvalContext&) {
  for (const NamedFormat& f : kFormats) {
    if (a[0].string_value() == f.name) return Value::OptionalOf(FormatValue::Make(f, f.name));
  }
  return Value::OptionalNone();
}

template <size_t kIndex>
Value ByName(const Value*, EvalContext&) {
  return FormatValue::Make(kFormats[kIndex], kFormats[kIndex].name);
}

template <size_t... kI>
void RegisterByName(FunctionRegistry& r, std::index_sequence<kI...>) {
  (r.AddTyped(std::string("format.") + kFormats[kI].name, std::string("format_") + kFormats[kI].name,
              false, {}, {}, ByName<kI>, /*foldable=*/true),
   ...);
}

Value Validate(const Value* a, EvalContext&) {
  Errors errors = FormatValue::Of(a[0]).validate(a[1].string_value());
  if (errors.empty()) return Value::OptionalNone();
  std::vector<Value> out;
  for (std::string& e : errors) out.push_back(Value::String(e));
  return Value::OptionalOf(Value::List(new ValueList(std::move(out))));
}

}  // namespace

void RegisterK8sFormat(FunctionRegistry& r) {
  r.AddTyped("format.named", "format_named", false, {K::kString}, {}, Named, /*foldable=*/true);
  RegisterByName(r, std::make_index_sequence<std::size(kFormats)>());
  r.AddTyped("validate", "format_validate", true, {K::kOpaque, K::kString}, {kFormatType, ""}, Validate);
}

}  // namespace haru::cel
