#include "api/meta/validation.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "api/meta/object.h"

namespace haru::api {

namespace {

constexpr char kDns1123LabelFmt[] = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr char kDns1123LabelErrMsg[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character";
constexpr char kDns1123SubdomainFmt[] =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr char kDns1123SubdomainErrMsg[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character";
constexpr char kDns1035LabelFmt[] = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr char kDns1035LabelErrMsg[] =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character";
constexpr char kQualifiedNameFmt[] = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr char kQualifiedNameErrMsg[] =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr int kQualifiedNameMaxLength = 63;
constexpr char kLabelValueFmt[] = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr char kLabelValueErrMsg[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character";
constexpr char kConfigMapKeyFmt[] = "[-._a-zA-Z0-9]+";
constexpr char kConfigMapKeyErrMsg[] =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsLowerAlnumOrDash(char c) { return IsLowerAlnum(c) || c == '-'; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool MatchesDns1123Label(std::string_view v) {
  if (v.empty() || !IsLowerAlnum(v.front()) || !IsLowerAlnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

bool MatchesDns1123Subdomain(std::string_view v) {
  if (v.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = v.find('.', start);
    std::string_view part = v.substr(start, dot == std::string_view::npos ? v.npos : dot - start);
    if (!MatchesDns1123Label(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool MatchesQualifiedNamePart(std::string_view v) {
  if (v.empty() || !IsAlnum(v.front()) || !IsAlnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

std::vector<std::string> PrefixEach(std::vector<std::string> msgs, std::string_view prefix) {
  for (auto& m : msgs) m = std::string(prefix) + m;
  return msgs;
}

// Replaces a trailing '-' so a generateName prefix can be checked as a full name.
std::string MaskTrailingDash(std::string_view name) {
  std::string s(name);
  if (s.size() > 1 && s.back() == '-') s.back() = 'a';
  return s;
}

const Json* Meta(const Json& obj, std::string_view key) { return FindPath(obj, {"metadata", key}); }

bool JsonEqual(const Json* a, const Json* b) {
  bool a_absent = a == nullptr || a->is_null();
  bool b_absent = b == nullptr || b->is_null();
  if (a_absent || b_absent) return a_absent == b_absent;
  return *a == *b;
}

}  // namespace

std::string MaxLenError(int length) {
  return "must be no more than " + std::to_string(length) + " characters";
}
std::string EmptyError() { return "must be non-empty"; }
std::string InclusiveRangeError(int64_t lo, int64_t hi) {
  return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", inclusive";
}

std::string RegexError(std::string_view msg, std::string_view fmt,
                       const std::vector<std::string>& examples) {
  std::string out(msg);
  if (examples.empty()) {
    return out + " (regex used for validation is '" + std::string(fmt) + "')";
  }
  out += " (e.g. ";
  for (size_t i = 0; i < examples.size(); ++i) {
    if (i > 0) out += " or ";
    out += "'" + examples[i] + "', ";
  }
  out += "regex used for validation is '" + std::string(fmt) + "')";
  return out;
}

std::vector<std::string> IsDns1123Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123LabelMaxLength) errs.push_back(MaxLenError(kDns1123LabelMaxLength));
  if (!MatchesDns1123Label(value)) {
    if (MatchesDns1123Subdomain(value)) {
      errs.push_back("must not contain dots");
    } else {
      errs.push_back(RegexError(kDns1123LabelErrMsg, kDns1123LabelFmt, {"my-name", "123-abc"}));
    }
  }
  return errs;
}

std::vector<std::string> IsDns1123Subdomain(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123SubdomainMaxLength) {
    errs.push_back(MaxLenError(kDns1123SubdomainMaxLength));
  }
  if (!MatchesDns1123Subdomain(value)) {
    errs.push_back(RegexError(kDns1123SubdomainErrMsg, kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}

std::vector<std::string> IsDns1035Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1035LabelMaxLength) errs.push_back(MaxLenError(kDns1035LabelMaxLength));
  bool ok = MatchesDns1123Label(value) && value.front() >= 'a' && value.front() <= 'z';
  if (!ok) errs.push_back(RegexError(kDns1035LabelErrMsg, kDns1035LabelFmt, {"my-name", "abc-123"}));
  return errs;
}

std::vector<std::string> IsQualifiedName(std::string_view value) {
  std::vector<std::string> errs;
  std::string_view name;
  size_t slashes = std::count(value.begin(), value.end(), '/');
  if (slashes == 0) {
    name = value;
  } else if (slashes == 1) {
    size_t slash = value.find('/');
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      errs.push_back("prefix part " + EmptyError());
    } else {
      auto msgs = IsDns1123Subdomain(prefix);
      for (auto& m : PrefixEach(msgs, "prefix part ")) errs.push_back(m);
    }
  } else {
    errs.push_back("a qualified name " +
                   RegexError(kQualifiedNameErrMsg, kQualifiedNameFmt,
                              {"MyName", "my.name", "123-abc"}) +
                   " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (name.empty()) {
    errs.push_back("name part " + EmptyError());
  } else if (name.size() > kQualifiedNameMaxLength) {
    errs.push_back("name part " + MaxLenError(kQualifiedNameMaxLength));
  }
  if (!MatchesQualifiedNamePart(name)) {
    errs.push_back("name part " + RegexError(kQualifiedNameErrMsg, kQualifiedNameFmt,
                                             {"MyName", "my.name", "123-abc"}));
  }
  return errs;
}

std::vector<std::string> IsValidLabelValue(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kLabelValueMaxLength) errs.push_back(MaxLenError(kLabelValueMaxLength));
  if (!value.empty() && !MatchesQualifiedNamePart(value)) {
    errs.push_back(
        RegexError(kLabelValueErrMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

std::vector<std::string> IsConfigMapKey(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > kDns1123SubdomainMaxLength) {
    errs.push_back(MaxLenError(kDns1123SubdomainMaxLength));
  }
  bool ok = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return IsAlnum(c) || c == '-' || c == '_' || c == '.';
  });
  if (!ok) {
    errs.push_back(RegexError(kConfigMapKeyErrMsg, kConfigMapKeyFmt,
                              {"key.name", "KEY_NAME", "key-name"}));
  }
  if (value == ".") {
    errs.push_back("must not be '.'");
  } else if (value == "..") {
    errs.push_back("must not be '..'");
  } else if (value.substr(0, 2) == "..") {
    errs.push_back("must not start with '..'");
  }
  return errs;
}

std::vector<std::string> IsValidPathSegmentName(std::string_view value) {
  if (value == "." || value == "..") {
    return {"may not be '" + std::string(value) + "'"};
  }
  return IsValidPathSegmentPrefix(value);
}

std::vector<std::string> IsValidPathSegmentPrefix(std::string_view value) {
  std::vector<std::string> errs;
  if (value.find('/') != value.npos) errs.push_back("may not contain '/'");
  if (value.find('%') != value.npos) errs.push_back("may not contain '%'");
  return errs;
}

std::vector<std::string> IsValidPortNum(int64_t port) {
  if (port >= 1 && port <= 65535) return {};
  return {InclusiveRangeError(1, 65535)};
}

std::vector<std::string> IsValidPortName(std::string_view port) {
  std::vector<std::string> errs;
  if (port.size() > 15) errs.push_back(MaxLenError(15));
  bool charset = !port.empty() && std::all_of(port.begin(), port.end(), IsLowerAlnumOrDash);
  if (!charset) {
    errs.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  }
  if (std::none_of(port.begin(), port.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    errs.push_back("must contain at least one letter (a-z)");
  }
  if (port.find("--") != port.npos) errs.push_back("must not contain consecutive hyphens (-)");
  if (!port.empty() && (port.front() == '-' || port.back() == '-')) {
    errs.push_back("must not begin or end with a hyphen (-)");
  }
  return errs;
}

bool IsValidIp(std::string_view value) {
  std::string s(value);
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 ||
         (s.find(':') != s.npos && inet_pton(AF_INET6, s.c_str(), buf) == 1);
}

std::vector<std::string> NameIsDnsSubdomain(std::string_view name, bool prefix) {
  return prefix ? IsDns1123Subdomain(MaskTrailingDash(name)) : IsDns1123Subdomain(name);
}
std::vector<std::string> NameIsDnsLabel(std::string_view name, bool prefix) {
  return prefix ? IsDns1123Label(MaskTrailingDash(name)) : IsDns1123Label(name);
}
std::vector<std::string> NameIsDns1035Label(std::string_view name, bool prefix) {
  return prefix ? IsDns1035Label(MaskTrailingDash(name)) : IsDns1035Label(name);
}
std::vector<std::string> ValidatePathSegmentName(std::string_view name, bool prefix) {
  return prefix ? IsValidPathSegmentPrefix(name) : IsValidPathSegmentName(name);
}

NameValidator NameValidatorFor(NameRule rule) {
  switch (rule) {
    case NameRule::kDnsSubdomain: return &NameIsDnsSubdomain;
    case NameRule::kDnsLabel: return &NameIsDnsLabel;
    case NameRule::kPathSegment: return &ValidatePathSegmentName;
  }
  return &NameIsDnsSubdomain;
}

std::string RenderValue(const Json& value) {
  if (value.is_string()) return QuoteValue(value.get<std::string>());
  if (value.is_null()) return "null";
  return value.dump();
}

FieldErrors InvalidEach(const std::string& field, std::string_view value,
                        const std::vector<std::string>& details) {
  FieldErrors errs;
  for (const auto& d : details) errs.push_back(InvalidString(field, value, d));
  return errs;
}

FieldErrors ValidateLabels(const Json* labels, const std::string& field) {
  FieldErrors errs;
  if (labels == nullptr || !labels->is_object()) return errs;
  for (auto it = labels->begin(); it != labels->end(); ++it) {
    Append(errs, InvalidEach(field, it.key(), IsQualifiedName(it.key())));
    std::string v = it->is_string() ? it->get<std::string>() : "";
    Append(errs, InvalidEach(field, v, IsValidLabelValue(v)));
  }
  return errs;
}

FieldErrors ValidateAnnotations(const Json* annotations, const std::string& field) {
  FieldErrors errs;
  if (annotations == nullptr || !annotations->is_object()) return errs;
  size_t total = 0;
  for (auto it = annotations->begin(); it != annotations->end(); ++it) {
    std::string lower = it.key();
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Append(errs, InvalidEach(field, it.key(), IsQualifiedName(lower)));
    total += it.key().size() + (it->is_string() ? it->get<std::string>().size() : 0);
  }
  if (total > static_cast<size_t>(kTotalAnnotationSizeLimitBytes)) {
    errs.push_back(TooLong(field, kTotalAnnotationSizeLimitBytes));
  }
  return errs;
}

FieldErrors ValidateFinalizers(const Json* finalizers, const std::string& field) {
  FieldErrors errs;
  if (finalizers == nullptr || !finalizers->is_array()) return errs;
  bool orphan = false, foreground = false;
  for (const Json& f : *finalizers) {
    std::string s = f.is_string() ? f.get<std::string>() : "";
    Append(errs, InvalidEach(field, s, IsQualifiedName(s)));
    orphan = orphan || s == "orphan";
    foreground = foreground || s == "foregroundDeletion";
  }
  if (orphan && foreground) {
    std::string rendered = "[]string{";
    for (size_t i = 0; i < finalizers->size(); ++i) {
      if (i > 0) rendered += ", ";
      rendered += RenderValue((*finalizers)[i]);
    }
    rendered += "}";
    errs.push_back(Invalid(field, rendered,
                           "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  return errs;
}

FieldErrors ValidateOwnerReferences(const Json* refs, const std::string& field) {
  FieldErrors errs;
  if (refs == nullptr || !refs->is_array()) return errs;
  std::string first_controller;
  for (const Json& ref : *refs) {
    std::string api_version = GetString(ref, {"apiVersion"});
    std::string kind = GetString(ref, {"kind"});
    std::string name = GetString(ref, {"name"});
    std::string uid = GetString(ref, {"uid"});
    std::string version = api_version.substr(api_version.find('/') == std::string::npos
                                                 ? 0
                                                 : api_version.find('/') + 1);
    if (version.empty()) {
      errs.push_back(InvalidString(Child(field, "apiVersion"), api_version,
                                   "version must not be empty"));
    }
    if (kind.empty()) errs.push_back(InvalidString(Child(field, "kind"), kind, "must not be empty"));
    if (name.empty()) errs.push_back(InvalidString(Child(field, "name"), name, "must not be empty"));
    if (uid.empty()) errs.push_back(InvalidString(Child(field, "uid"), uid, "must not be empty"));
    if (api_version == "v1" && kind == "Event") {
      errs.push_back(Invalid(field, ref.dump(), "/v1, Kind=Event is disallowed from being an owner"));
    }
    if (GetBool(ref, {"controller"})) {
      std::string current = kind + "/" + name;
      if (!first_controller.empty()) {
        errs.push_back(Invalid(field, refs->dump(),
                               "Only one reference can have Controller set to true. Found "
                               "\"true\" in references for " +
                                   first_controller + " and " + current));
      } else {
        first_controller = current;
      }
    }
  }
  return errs;
}

FieldErrors ValidateImmutableField(const Json* new_value, const Json* old_value,
                                   const std::string& field) {
  if (JsonEqual(new_value, old_value)) return {};
  return {Invalid(field, new_value ? RenderValue(*new_value) : "null", kFieldImmutableErrorMsg)};
}

FieldErrors ValidateObjectMeta(const Json& obj, bool namespaced, NameRule rule) {
  return ValidateObjectMetaWith(obj, namespaced, NameValidatorFor(rule));
}

FieldErrors ValidateObjectMetaWith(const Json& obj, bool namespaced, NameValidator name_fn) {
  FieldErrors errs;
  std::string generate_name = GetString(obj, {"metadata", "generateName"});
  if (!generate_name.empty()) {
    Append(errs, InvalidEach("metadata.generateName", generate_name, name_fn(generate_name, true)));
  }
  std::string name = GetString(obj, {"metadata", "name"});
  if (name.empty()) {
    errs.push_back(Required("metadata.name", "name or generateName is required"));
  } else {
    Append(errs, InvalidEach("metadata.name", name, name_fn(name, false)));
  }
  std::string ns = GetString(obj, {"metadata", "namespace"});
  if (namespaced) {
    if (ns.empty()) {
      errs.push_back(Required("metadata.namespace"));
    } else {
      Append(errs, InvalidEach("metadata.namespace", ns, IsDns1123Label(ns)));
    }
  } else if (!ns.empty()) {
    errs.push_back(Forbidden("metadata.namespace", "not allowed on this type"));
  }
  int64_t generation = GetInt(obj, {"metadata", "generation"});
  if (generation < 0) {
    errs.push_back(Invalid("metadata.generation", std::to_string(generation), kIsNegativeErrorMsg));
  }
  Append(errs, ValidateLabels(Meta(obj, "labels"), "metadata.labels"));
  Append(errs, ValidateAnnotations(Meta(obj, "annotations"), "metadata.annotations"));
  Append(errs, ValidateOwnerReferences(Meta(obj, "ownerReferences"), "metadata.ownerReferences"));
  Append(errs, ValidateFinalizers(Meta(obj, "finalizers"), "metadata.finalizers"));
  return errs;
}

FieldErrors ValidateObjectMetaUpdate(const Json& obj, const Json& old) {
  FieldErrors errs;
  if (Meta(old, "deletionTimestamp") && !Meta(old, "deletionTimestamp")->is_null()) {
    std::set<std::string> old_set;
    if (const Json* f = Meta(old, "finalizers"); f && f->is_array()) {
      for (const Json& s : *f) if (s.is_string()) old_set.insert(s.get<std::string>());
    }
    std::set<std::string> extra;
    if (const Json* f = Meta(obj, "finalizers"); f && f->is_array()) {
      for (const Json& s : *f) {
        if (s.is_string() && !old_set.count(s.get<std::string>())) extra.insert(s.get<std::string>());
      }
    }
    if (!extra.empty()) {
      std::string list = "[]string{";
      bool first = true;
      for (const auto& s : extra) {
        if (!first) list += ", ";
        first = false;
        list += QuoteValue(s);
      }
      list += "}";
      errs.push_back(Forbidden("metadata.finalizers",
                               "no new finalizers can be added if the object is being deleted, "
                               "found new finalizers " + list));
    }
  }
  std::string rv = GetString(obj, {"metadata", "resourceVersion"});
  if (rv.empty()) {
    errs.push_back(InvalidString("metadata.resourceVersion", rv, "must be specified for an update"));
  }
  int64_t generation = GetInt(obj, {"metadata", "generation"});
  if (generation < GetInt(old, {"metadata", "generation"})) {
    errs.push_back(Invalid("metadata.generation", std::to_string(generation), "must not be decremented"));
  }
  for (std::string_view key : {"name", "namespace", "uid", "creationTimestamp",
                               "deletionTimestamp", "deletionGracePeriodSeconds"}) {
    Append(errs, ValidateImmutableField(Meta(obj, key), Meta(old, key),
                                        "metadata." + std::string(key)));
  }
  Append(errs, ValidateLabels(Meta(obj, "labels"), "metadata.labels"));
  Append(errs, ValidateAnnotations(Meta(obj, "annotations"), "metadata.annotations"));
  Append(errs, ValidateOwnerReferences(Meta(obj, "ownerReferences"), "metadata.ownerReferences"));
  return errs;
}

FieldErrors ValidateProtocol(const std::string& protocol, const std::string& field) {
  if (protocol.empty()) return {Required(field)};
  if (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP") {
    return {NotSupported(field, protocol, {"SCTP", "TCP", "UDP"})};
  }
  return {};
}

}  // namespace haru::api
