#pragma once
// Status is the result of an operation that may fail; StatusOr<T> carries a value or a
// Status. Success costs one null pointer. The codes are metav1's StatusReason set, so the API
// layer writes a `metav1.Status` with upstream's reason, code, message and causes.
// Both are values: copy, move and compare them freely. Not synchronized.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace haru {

// metav1.StatusReason values, in upstream's spelling (see Reason()).
enum class StatusCode {
  kOk = 0,
  kBadRequest,             // 400 BadRequest
  kUnauthorized,           // 401 Unauthorized
  kForbidden,              // 403 Forbidden
  kNotFound,               // 404 NotFound
  kMethodNotAllowed,       // 405 MethodNotAllowed
  kNotAcceptable,          // 406 NotAcceptable
  kAlreadyExists,          // 409 AlreadyExists
  kConflict,               // 409 Conflict
  kGone,                   // 410 Gone
  kExpired,                // 410 Expired
  kRequestEntityTooLarge,  // 413 RequestEntityTooLarge
  kUnsupportedMediaType,   // 415 UnsupportedMediaType
  kInvalid,                // 422 Invalid
  kTooManyRequests,        // 429 TooManyRequests
  kInternalError,          // 500 InternalError
  kServerTimeout,          // 500 ServerTimeout
  kServiceUnavailable,     // 503 ServiceUnavailable
  kTimeout,                // 504 Timeout
};

// One entry of metav1.StatusDetails.causes. `type` is a metav1.CauseType such as
// "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported", "FieldValueForbidden".
struct StatusCause {
  std::string type;
  std::string message;
  std::string field;
  bool operator==(const StatusCause&) const = default;
};

// metav1.StatusDetails: which object the status is about.
struct StatusDetails {
  std::string name;
  std::string group;
  std::string kind;
  std::string uid;
  std::vector<StatusCause> causes;
  int32_t retry_after_seconds = 0;
};

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status BadRequest(std::string msg) { return {StatusCode::kBadRequest, std::move(msg)}; }
  static Status Unauthorized(std::string msg) { return {StatusCode::kUnauthorized, std::move(msg)}; }
  static Status Forbidden(std::string msg) { return {StatusCode::kForbidden, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status MethodNotAllowed(std::string msg) { return {StatusCode::kMethodNotAllowed, std::move(msg)}; }
  static Status NotAcceptable(std::string msg) { return {StatusCode::kNotAcceptable, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {StatusCode::kConflict, std::move(msg)}; }
  static Status Gone(std::string msg) { return {StatusCode::kGone, std::move(msg)}; }
  static Status Expired(std::string msg) { return {StatusCode::kExpired, std::move(msg)}; }
  static Status RequestEntityTooLarge(std::string msg) { return {StatusCode::kRequestEntityTooLarge, std::move(msg)}; }
  static Status UnsupportedMediaType(std::string msg) { return {StatusCode::kUnsupportedMediaType, std::move(msg)}; }
  static Status Invalid(std::string msg) { return {StatusCode::kInvalid, std::move(msg)}; }
  static Status TooManyRequests(std::string msg) { return {StatusCode::kTooManyRequests, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternalError, std::move(msg)}; }
  static Status ServerTimeout(std::string msg) { return {StatusCode::kServerTimeout, std::move(msg)}; }
  static Status ServiceUnavailable(std::string msg) { return {StatusCode::kServiceUnavailable, std::move(msg)}; }
  static Status Timeout(std::string msg) { return {StatusCode::kTimeout, std::move(msg)}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const;
  const std::string& message() const;
  // Upstream's metav1.StatusReason string ("NotFound", "Invalid", ...); "" when OK.
  std::string_view reason() const;
  // The HTTP status code upstream returns for this reason; 200 when OK.
  int http_code() const;

  const StatusDetails* details() const;
  StatusDetails& mutable_details();  // REQUIRES: !ok()
  Status&& WithDetails(StatusDetails d) &&;

  std::string ToString() const;  // "NotFound: pods \"p\" not found"

  bool Is(StatusCode c) const { return code() == c; }

 private:
  struct State {
    StatusCode code;
    std::string message;
    std::optional<StatusDetails> details;
  };
  std::unique_ptr<State> state_;
};

std::string_view StatusCodeReason(StatusCode code);
int StatusCodeHttp(StatusCode code);

template <typename T>
class StatusOr {
 public:
  StatusOr(const Status& s) : v_(s) {}  // NOLINT: implicit by design, REQUIRES: !s.ok()
  StatusOr(Status&& s) : v_(std::move(s)) {}  // NOLINT
  StatusOr(const T& v) : v_(v) {}  // NOLINT
  StatusOr(T&& v) : v_(std::move(v)) {}  // NOLINT
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                                    !std::is_same_v<std::decay_t<U>, Status> &&
                                                    !std::is_same_v<std::decay_t<U>, T>>>
  StatusOr(U&& v) : v_(T(std::forward<U>(v))) {}  // NOLINT

  bool ok() const { return v_.index() == 1; }
  const Status& status() const& {
    static const Status kOk;
    return ok() ? kOk : std::get<0>(v_);
  }
  Status status() && { return ok() ? Status() : std::move(std::get<0>(v_)); }

  T& value() & { return std::get<1>(v_); }
  const T& value() const& { return std::get<1>(v_); }
  T&& value() && { return std::get<1>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace haru

#define HARU_STATUS_CONCAT_INNER(a, b) a##b
#define HARU_STATUS_CONCAT(a, b) HARU_STATUS_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define HARU_RETURN_IF_ERROR(expr)              \
  do {                                          \
    ::haru::Status haru_status_tmp_ = (expr);   \
    if (!haru_status_tmp_.ok()) return haru_status_tmp_; \
  } while (0)

// `lhs = value of rexpr`, or return its Status. lhs may declare a variable: `auto x`.
#define HARU_ASSIGN_OR_RETURN(lhs, rexpr) \
  HARU_ASSIGN_OR_RETURN_IMPL(HARU_STATUS_CONCAT(haru_statusor_, __LINE__), lhs, rexpr)
#define HARU_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                               \
  if (!tmp.ok()) return std::move(tmp).status();    \
  lhs = std::move(tmp).value()

// Coroutine variants: `return` cannot be used inside a coroutine.
#define HARU_CO_RETURN_IF_ERROR(expr)                   \
  do {                                                  \
    ::haru::Status haru_status_tmp_ = (expr);           \
    if (!haru_status_tmp_.ok()) co_return haru_status_tmp_; \
  } while (0)
