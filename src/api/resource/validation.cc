#include "api/resource/validation.h"

#include <algorithm>
#include <ctime>

#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "cel/runtime/kubernetes_env.h"

namespace haru::api::resource {

namespace {

constexpr char kCIdentifierErrMsg[] =
    "a valid C identifier must start with alphabetic character or '_', followed by a string "
    "of alphanumeric characters or '_'";
constexpr char kCIdentifierFmt[] = "[A-Za-z_][A-Za-z0-9_]*";
constexpr char kNotBoolPrefix[] = "must evaluate to bool";

bool IsCIdentifier(std::string_view id) {
  if (id.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(id[0])) return false;
  return std::all_of(id.begin() + 1, id.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

FieldErrors ValidateCIdentifier(std::string_view id, const std::string& path) {
  FieldErrors errs;
  if (static_cast<int>(id.size()) > kDeviceMaxIdLength) {
    errs.push_back(TooLong(path, kDeviceMaxIdLength));
  }
  if (!IsCIdentifier(id)) {
    errs.push_back(InvalidString(path, id,
                                 RegexError(kCIdentifierErrMsg, kCIdentifierFmt,
                                            {"my_name", "MY_NAME", "MyName"})));
  }
  return errs;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

const Json& ArrayOrEmpty(const Json* v) {
  static const Json kEmpty = Json::array();
  return v != nullptr && v->is_array() ? *v : kEmpty;
}

FieldErrors ValidateDriverName(std::string_view name, const std::string& path) {
  FieldErrors errs;
  if (name.empty()) {
    errs.push_back(Required(path));
    return errs;
  }
  if (static_cast<int>(name.size()) > kDriverNameMaxLength) {
    errs.push_back(TooLong(path, kDriverNameMaxLength));
  }
  Append(errs, InvalidEach(path, name, IsDns1123Subdomain(LowerAscii(name))));
  return errs;
}

FieldErrors ValidatePoolName(std::string_view name, const std::string& path) {
  FieldErrors errs;
  if (name.empty()) {
    errs.push_back(Required(path));
    return errs;
  }
  if (static_cast<int>(name.size()) > kPoolNameMaxLength) {
    errs.push_back(TooLong(path, kPoolNameMaxLength));
  }
  size_t start = 0;
  while (true) {
    size_t slash = name.find('/', start);
    std::string_view part = name.substr(start, slash == std::string_view::npos ? slash : slash - start);
    Append(errs, InvalidEach(path, part, IsDns1123Subdomain(part)));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return errs;
}

FieldErrors ValidateDnsLabelName(std::string_view name, const std::string& path) {
  if (name.empty()) return {Required(path)};
  return InvalidEach(path, name, IsDns1123Label(name));
}

FieldErrors ValidateQualifiedName(std::string_view name, const std::string& path) {
  FieldErrors errs;
  size_t slashes = std::count(name.begin(), name.end(), '/');
  if (slashes == 0) return ValidateCIdentifier(name, path);
  if (slashes > 1) {
    errs.push_back(InvalidString(path, name, "must not contain more than one slash"));
    return errs;
  }
  size_t slash = name.find('/');
  std::string_view domain = name.substr(0, slash);
  std::string_view id = name.substr(slash + 1);
  if (domain.empty()) {
    errs.push_back(InvalidString(path, "", "the domain must not be empty"));
  } else {
    Append(errs, ValidateDriverName(domain, path));
  }
  if (id.empty()) {
    errs.push_back(InvalidString(path, "", "the name must not be empty"));
  } else {
    Append(errs, ValidateCIdentifier(id, path));
  }
  return errs;
}

FieldErrors ValidateFullyQualifiedName(std::string_view name, const std::string& path) {
  FieldErrors errs = ValidateQualifiedName(name, path);
  if (name.find('/') == std::string_view::npos) {
    errs.push_back(InvalidString(path, name,
                                 "a fully qualified name must be a domain and a name separated by a slash"));
  }
  return errs;
}

FieldErrors ValidateLabelValueAt(std::string_view value, const std::string& path) {
  return InvalidEach(path, value, IsValidLabelValue(value));
}

FieldErrors ValidateLabelNameAt(std::string_view value, const std::string& path) {
  return InvalidEach(path, value, IsQualifiedName(value));
}

FieldErrors ValidateNodeSelector(const Json& selector, const std::string& path) {
  FieldErrors errs;
  std::string terms_path = Child(path, "nodeSelectorTerms");
  const Json& terms = ArrayOrEmpty(FindPath(selector, {"nodeSelectorTerms"}));
  if (terms.empty()) {
    errs.push_back(Required(terms_path, "must have at least one node selector term"));
    return errs;
  }
  static const std::vector<std::string> kOps = {"DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"};
  for (size_t i = 0; i < terms.size(); ++i) {
    for (const char* list : {"matchExpressions", "matchFields"}) {
      const Json& reqs = ArrayOrEmpty(FindPath(terms[i], {list}));
      for (size_t j = 0; j < reqs.size(); ++j) {
        std::string rp = Index(Child(Index(terms_path, i), list), j);
        std::string op = GetString(reqs[j], {"operator"});
        if (std::find(kOps.begin(), kOps.end(), op) == kOps.end()) {
          errs.push_back(Invalid(Child(rp, "operator"), QuoteValue(op), "not a valid selector operator"));
        }
        std::string key = GetString(reqs[j], {"key"});
        if (std::string_view(list) == "matchExpressions") {
          Append(errs, ValidateLabelNameAt(key, Child(rp, "key")));
        }
      }
    }
  }
  return errs;
}

FieldErrors ValidateCelExpression(const std::string& expression, const std::string& path) {
  if (static_cast<int>(expression.size()) > kCelSelectorExpressionMaxLength) {
    return {TooLong(path, kCelSelectorExpressionMaxLength)};
  }
  // Compiled as upstream's scheduler compiles it: checked, bool, estimated cost <= 1,000,000.
  cel::CompileResult result = cel::Compile(cel::DraSelectorEnv(), expression);
  if (result.ok()) return {};
  if (result.over_cost_limit) return {Forbidden(path, "too complex, exceeds cost limit")};
  // A non-bool result is reported without location, as upstream's compiler does.
  if (result.issues.size() == 1 && result.issues[0].message.rfind(kNotBoolPrefix, 0) == 0) {
    return {InvalidString(path, expression, result.issues[0].message)};
  }
  return {InvalidString(path, expression, "compilation failed: " + result.ErrorText())};
}

FieldErrors ValidateSelectors(const Json* selectors, const std::string& path, bool stored) {
  const Json& list = ArrayOrEmpty(selectors);
  if (static_cast<int>(list.size()) > kDeviceSelectorsMaxSize) {
    return {TooMany(path, static_cast<int>(list.size()), kDeviceSelectorsMaxSize)};
  }
  FieldErrors errs;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string sp = Index(path, i);
    const Json* cel = FindPath(list[i], {"cel"});
    if (cel == nullptr || !cel->is_object()) {
      errs.push_back(Required(Child(sp, "cel")));
      continue;
    }
    if (stored) continue;
    Append(errs, ValidateCelExpression(GetString(*cel, {"expression"}), Child(sp, "cel.expression")));
  }
  return errs;
}

FieldErrors ValidateDeviceConfiguration(const Json& config, const std::string& path) {
  FieldErrors errs;
  std::string op = Child(path, "opaque");
  const Json* opaque = FindPath(config, {"opaque"});
  if (opaque == nullptr || !opaque->is_object()) {
    errs.push_back(Required(op));
    return errs;
  }
  Append(errs, ValidateDriverName(GetString(*opaque, {"driver"}), Child(op, "driver")));
  std::string pp = Child(op, "parameters");
  const Json* params = FindPath(*opaque, {"parameters"});
  if (params == nullptr || params->is_null()) {
    errs.push_back(Required(pp));
  } else if (static_cast<int>(params->dump().size()) > kOpaqueParametersMaxLength) {
    errs.push_back(TooLong(pp, kOpaqueParametersMaxLength));
  } else if (!params->is_object()) {
    errs.push_back(InvalidString(pp, "<value omitted>", "must be a valid JSON object"));
  }
  return errs;
}

FieldErrors ValidateDeviceToleration(const Json& toleration, const std::string& path) {
  FieldErrors errs;
  std::string key = GetString(toleration, {"key"});
  if (!key.empty()) Append(errs, ValidateLabelNameAt(key, Child(path, "key")));
  std::string op = GetString(toleration, {"operator"});
  std::string value = GetString(toleration, {"value"});
  if (op == "Exists") {
    if (!value.empty()) {
      errs.push_back(InvalidString(Child(path, "value"), value, "must be empty for operator `Exists`"));
    }
  } else if (op == "Equal") {
    Append(errs, ValidateLabelValueAt(value, Child(path, "value")));
  } else if (op.empty()) {
    errs.push_back(Required(Child(path, "operator")));
  } else {
    errs.push_back(NotSupported(Child(path, "operator"), op, {"Equal", "Exists"}));
  }
  std::string effect = GetString(toleration, {"effect"});
  if (!effect.empty() && effect != "NoSchedule" && effect != "NoExecute" && effect != "None") {
    errs.push_back(NotSupported(Child(path, "effect"), effect, {"NoExecute", "NoSchedule", "None"}));
  }
  return errs;
}

FieldErrors ValidateDeviceTaint(const Json& taint, const Json* old, const std::string& path) {
  FieldErrors errs;
  std::string key = GetString(taint, {"key"});
  if (key.empty()) {
    errs.push_back(Required(Child(path, "key")));
  } else {
    Append(errs, ValidateLabelNameAt(key, Child(path, "key")));
  }
  std::string value = GetString(taint, {"value"});
  if (!value.empty()) Append(errs, ValidateLabelValueAt(value, Child(path, "value")));
  std::string effect = GetString(taint, {"effect"});
  if (old == nullptr || GetString(*old, {"effect"}) != effect) {
    if (effect.empty()) {
      errs.push_back(Required(Child(path, "effect")));
    } else if (effect != "NoSchedule" && effect != "NoExecute" && effect != "None") {
      errs.push_back(NotSupported(Child(path, "effect"), effect, {"NoExecute", "NoSchedule", "None"}));
    }
  }
  return errs;
}

std::string NowRfc3339Seconds() {
  std::time_t now = static_cast<std::time_t>(NowUnix());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void DefaultDeviceTaint(Json& taint) {
  if (!taint.is_object()) return;
  auto it = taint.find("timeAdded");
  if (it == taint.end() || it->is_null()) taint["timeAdded"] = NowRfc3339Seconds();
}

}  // namespace haru::api::resource
