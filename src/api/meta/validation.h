#pragma once
// Upstream's name, label, annotation and ObjectMeta validators (k8s.io/apimachinery
// util/validation and api/validation), with upstream's exact messages. The Is* functions return
// the problems as detail strings (empty = valid); the Validate* functions return FieldErrors.
// Stateless; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "api/kind_spec.h"
#include "api/meta/field_errors.h"
#include "common/json.h"

namespace haru::api {

inline constexpr int kDns1123LabelMaxLength = 63;
inline constexpr int kDns1123SubdomainMaxLength = 253;
inline constexpr int kDns1035LabelMaxLength = 63;
inline constexpr int kLabelValueMaxLength = 63;
inline constexpr int kTotalAnnotationSizeLimitBytes = 256 * 1024;
inline constexpr char kFieldImmutableErrorMsg[] = "field is immutable";
inline constexpr char kIsNegativeErrorMsg[] = "must be greater than or equal to 0";

std::string MaxLenError(int length);     // "must be no more than 63 characters"
std::string EmptyError();                // "must be non-empty"
std::string InclusiveRangeError(int64_t lo, int64_t hi);
// "<msg> (e.g. 'a' or 'b', regex used for validation is '<fmt>')"
std::string RegexError(std::string_view msg, std::string_view fmt,
                       const std::vector<std::string>& examples);

std::vector<std::string> IsDns1123Label(std::string_view value);
std::vector<std::string> IsDns1123Subdomain(std::string_view value);
std::vector<std::string> IsDns1035Label(std::string_view value);
std::vector<std::string> IsQualifiedName(std::string_view value);
std::vector<std::string> IsValidLabelValue(std::string_view value);
std::vector<std::string> IsConfigMapKey(std::string_view value);
std::vector<std::string> IsValidPathSegmentName(std::string_view value);
std::vector<std::string> IsValidPathSegmentPrefix(std::string_view value);
std::vector<std::string> IsValidPortNum(int64_t port);
std::vector<std::string> IsValidPortName(std::string_view port);
// True for a dotted-quad IPv4 or an IPv6 address (no zone).
bool IsValidIp(std::string_view value);

// Upstream's ValidateNameFunc: `prefix` is true when validating metadata.generateName.
using NameValidator = std::vector<std::string> (*)(std::string_view name, bool prefix);
std::vector<std::string> NameIsDnsSubdomain(std::string_view name, bool prefix);
std::vector<std::string> NameIsDnsLabel(std::string_view name, bool prefix);
std::vector<std::string> NameIsDns1035Label(std::string_view name, bool prefix);
std::vector<std::string> ValidatePathSegmentName(std::string_view name, bool prefix);
NameValidator NameValidatorFor(NameRule rule);

// Renders a JSON value the way upstream prints a bad value: strings quoted (%q), numbers and
// booleans bare, null as "null", anything else as compact JSON.
std::string RenderValue(const Json& value);

// One Invalid error per detail message.
FieldErrors InvalidEach(const std::string& field, std::string_view value,
                        const std::vector<std::string>& details);

FieldErrors ValidateLabels(const Json* labels, const std::string& field);
FieldErrors ValidateAnnotations(const Json* annotations, const std::string& field);
FieldErrors ValidateFinalizers(const Json* finalizers, const std::string& field);
// A port's protocol: required, one of TCP, UDP, SCTP (upstream's validateProtocol).
FieldErrors ValidateProtocol(const std::string& protocol, const std::string& field);
FieldErrors ValidateOwnerReferences(const Json* refs, const std::string& field);
// `field` is Invalid with "field is immutable" when new and old differ (absent == absent).
FieldErrors ValidateImmutableField(const Json* new_value, const Json* old_value,
                                   const std::string& field);

// ObjectMeta of `obj` (paths under "metadata."): name or generateName, namespace presence,
// generation, labels, annotations, ownerReferences, finalizers.
FieldErrors ValidateObjectMeta(const Json& obj, bool namespaced, NameRule rule);
FieldErrors ValidateObjectMetaWith(const Json& obj, bool namespaced, NameValidator name_fn);
// Update rules: immutable name/namespace/uid/creationTimestamp/deletionTimestamp/
// deletionGracePeriodSeconds, resourceVersion required, generation not decremented, no new
// finalizers while deleting, plus the label/annotation/ownerReference shape checks.
FieldErrors ValidateObjectMetaUpdate(const Json& obj, const Json& old);

// Appends `more` to `errs`.
inline void Append(FieldErrors& errs, FieldErrors more) {
  for (auto& e : more) errs.push_back(std::move(e));
}

}  // namespace haru::api
