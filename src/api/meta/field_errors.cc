#include "api/meta/field_errors.h"

#include <set>
#include <utility>

namespace haru::api {

namespace {

std::string_view TypeString(FieldError::Type type) {
  switch (type) {
    case FieldError::Type::kRequired: return "Required value";
    case FieldError::Type::kInvalid: return "Invalid value";
    case FieldError::Type::kNotSupported: return "Unsupported value";
    case FieldError::Type::kForbidden: return "Forbidden";
    case FieldError::Type::kDuplicate: return "Duplicate value";
    case FieldError::Type::kTooLong: return "Too long";
    case FieldError::Type::kTooMany: return "Too many";
    case FieldError::Type::kNotFound: return "Not found";
    case FieldError::Type::kTypeInvalid: return "Invalid value";
    case FieldError::Type::kInternal: return "Internal error";
  }
  return "Invalid value";
}

FieldError Make(FieldError::Type type, std::string field, std::string value, std::string detail) {
  FieldError e;
  e.type = type;
  e.field = std::move(field);
  e.bad_value = std::move(value);
  e.detail = std::move(detail);
  return e;
}

}  // namespace

std::string FieldError::ErrorBody() const {
  std::string s(TypeString(type));
  // Like upstream, these types never print the bad value.
  bool omit_value = type == Type::kRequired || type == Type::kForbidden ||
                    type == Type::kTooLong || type == Type::kInternal || bad_value.empty();
  if (!omit_value) {
    s += ": ";
    s += bad_value;
  }
  if (!detail.empty()) {
    s += ": ";
    s += detail;
  }
  return s;
}

std::string FieldError::Message() const { return field + ": " + ErrorBody(); }

std::string FieldError::CauseType() const {
  switch (type) {
    case Type::kRequired: return "FieldValueRequired";
    case Type::kInvalid: return "FieldValueInvalid";
    case Type::kNotSupported: return "FieldValueNotSupported";
    case Type::kForbidden: return "FieldValueForbidden";
    case Type::kDuplicate: return "FieldValueDuplicate";
    case Type::kTooLong: return "FieldValueTooLong";
    case Type::kTooMany: return "FieldValueTooMany";
    case Type::kNotFound: return "FieldValueNotFound";
    case Type::kTypeInvalid: return "FieldValueTypeInvalid";
    case Type::kInternal: return "InternalError";
  }
  return "FieldValueInvalid";
}

std::string QuoteValue(std::string_view value) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through, as %q does for printable runes
        }
    }
  }
  out += '"';
  return out;
}

FieldError Required(std::string field, std::string detail) {
  return Make(FieldError::Type::kRequired, std::move(field), "", std::move(detail));
}

FieldError Invalid(std::string field, std::string rendered_value, std::string detail) {
  return Make(FieldError::Type::kInvalid, std::move(field), std::move(rendered_value),
              std::move(detail));
}

FieldError InvalidString(std::string field, std::string_view value, std::string detail) {
  return Make(FieldError::Type::kInvalid, std::move(field), QuoteValue(value), std::move(detail));
}

FieldError NotSupported(std::string field, std::string_view value,
                        const std::vector<std::string>& supported) {
  std::string detail;
  if (!supported.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < supported.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += QuoteValue(supported[i]);
    }
  }
  return Make(FieldError::Type::kNotSupported, std::move(field), QuoteValue(value),
              std::move(detail));
}

FieldError Forbidden(std::string field, std::string detail) {
  return Make(FieldError::Type::kForbidden, std::move(field), "", std::move(detail));
}

FieldError Duplicate(std::string field, std::string rendered_value) {
  return Make(FieldError::Type::kDuplicate, std::move(field), std::move(rendered_value), "");
}

FieldError TooLong(std::string field, int max_length) {
  std::string detail = max_length >= 0
                           ? "may not be more than " + std::to_string(max_length) +
                                 (max_length == 1 ? " byte" : " bytes")
                           : "value is too long";
  return Make(FieldError::Type::kTooLong, std::move(field), "", std::move(detail));
}

FieldError TooMany(std::string field, int actual, int max_items) {
  std::string detail = max_items >= 0 ? "must have at most " + std::to_string(max_items) +
                                            (max_items == 1 ? " item" : " items")
                                      : "has too many items";
  return Make(FieldError::Type::kTooMany, std::move(field),
              actual >= 0 ? std::to_string(actual) : "", std::move(detail));
}

FieldError NotFoundField(std::string field, std::string rendered_value) {
  return Make(FieldError::Type::kNotFound, std::move(field), std::move(rendered_value), "");
}

Status InvalidStatus(std::string_view group, std::string_view kind, std::string_view name,
                     const FieldErrors& errors) {
  // Upstream's errors.NewInvalid: "<Kind>[.<group>] \"<name>\" is invalid: <aggregate>", where
  // the aggregate drops repeated messages and prints one error bare, several as "[a, b]".
  std::string qualified(kind);
  if (!group.empty()) {
    qualified += ".";
    qualified += group;
  }
  std::string message = qualified + " " + QuoteValue(name) + " is invalid";
  std::vector<std::string> messages;
  std::set<std::string> seen;
  for (const FieldError& e : errors) {
    std::string m = e.Message();
    if (seen.insert(m).second) messages.push_back(std::move(m));
  }
  if (messages.size() == 1) {
    message += ": " + messages[0];
  } else if (messages.size() > 1) {
    message += ": [";
    for (size_t i = 0; i < messages.size(); ++i) {
      if (i > 0) message += ", ";
      message += messages[i];
    }
    message += "]";
  }
  StatusDetails details;
  details.name = std::string(name);
  details.group = std::string(group);
  details.kind = std::string(kind);
  for (const FieldError& e : errors) {
    details.causes.push_back({e.CauseType(), e.ErrorBody(), e.field});
  }
  return Status(StatusCode::kInvalid, std::move(message)).WithDetails(std::move(details));
}

}  // namespace haru::api
