#pragma once
// Field errors in upstream's shape (k8s.io/apimachinery field.Error): a type, a field path, the
// bad value and a detail. Validation returns a list; the registry turns it into a 422 Invalid
// metav1.Status whose message is exactly what kubectl prints, e.g.
//   The Pod "p" is invalid: spec.containers[0].image: Required value

#include <string>
#include <vector>

#include "common/status.h"

namespace haru::api {

struct FieldError {
  enum class Type {
    kRequired,      // "Required value"                  cause FieldValueRequired
    kInvalid,       // "Invalid value: <v>: <detail>"    cause FieldValueInvalid
    kNotSupported,  // "Unsupported value: <v>: supported values: ..." FieldValueNotSupported
    kForbidden,     // "Forbidden: <detail>"             cause FieldValueForbidden
    kDuplicate,     // "Duplicate value: <v>"            cause FieldValueDuplicate
    kTooLong,       // "Too long: may not be more than N bytes"  FieldValueTooLong
    kTooMany,       // "Too many: N: must have at most M items"  FieldValueTooMany
    kNotFound,      // "Not found: <v>"                  cause FieldValueNotFound
    kTypeInvalid,   // "Invalid value: <v>: <detail>"    cause FieldValueTypeInvalid
    kInternal,      // "Internal error: <detail>"        cause InternalError
  };
  Type type = Type::kInvalid;
  std::string field;      // "spec.containers[0].image"
  std::string bad_value;  // already rendered as upstream prints it (e.g. "\"Mount\"", "5"); "" = omitted
  std::string detail;

  // "spec.containers[0].image: Required value"
  std::string Message() const;
  // The part after "<field>: ", e.g. "Required value", "Invalid value: \"x\": must be ...".
  std::string ErrorBody() const;
  std::string CauseType() const;
};

using FieldErrors = std::vector<FieldError>;

// Constructors mirroring upstream's field.Required/Invalid/NotSupported/Forbidden/... helpers.
// `value` arguments are plain strings rendered with quotes (strings) by the helper.
FieldError Required(std::string field, std::string detail = "");
FieldError Invalid(std::string field, std::string rendered_value, std::string detail);
FieldError InvalidString(std::string field, std::string_view value, std::string detail);
FieldError NotSupported(std::string field, std::string_view value, const std::vector<std::string>& supported);
FieldError Forbidden(std::string field, std::string detail);
FieldError Duplicate(std::string field, std::string rendered_value);
FieldError TooLong(std::string field, int max_length);
FieldError TooMany(std::string field, int actual, int max_items);
FieldError NotFoundField(std::string field, std::string rendered_value);

// Quotes a string the way Go's %q does for ASCII text.
std::string QuoteValue(std::string_view value);

// 422 Invalid: `The <Kind> "<name>" is invalid: <errors>`; a single error is printed bare,
// several as "[a, b]", as upstream's errors.NewInvalid. details.causes carry each field error.
Status InvalidStatus(std::string_view group, std::string_view kind, std::string_view name,
                     const FieldErrors& errors);

}  // namespace haru::api
