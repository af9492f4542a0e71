#include "common/status.h"

namespace haru {

namespace {
struct CodeInfo {
  std::string_view reason;
  int http;
};

CodeInfo Info(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return {"", 200};
    case StatusCode::kBadRequest: return {"BadRequest", 400};
    case StatusCode::kUnauthorized: return {"Unauthorized", 401};
    case StatusCode::kForbidden: return {"Forbidden", 403};
    case StatusCode::kNotFound: return {"NotFound", 404};
    case StatusCode::kMethodNotAllowed: return {"MethodNotAllowed", 405};
    case StatusCode::kNotAcceptable: return {"NotAcceptable", 406};
    case StatusCode::kAlreadyExists: return {"AlreadyExists", 409};
    case StatusCode::kConflict: return {"Conflict", 409};
    case StatusCode::kGone: return {"Gone", 410};
    case StatusCode::kExpired: return {"Expired", 410};
    case StatusCode::kRequestEntityTooLarge: return {"RequestEntityTooLarge", 413};
    case StatusCode::kUnsupportedMediaType: return {"UnsupportedMediaType", 415};
    case StatusCode::kInvalid: return {"Invalid", 422};
    case StatusCode::kTooManyRequests: return {"TooManyRequests", 429};
    case StatusCode::kInternalError: return {"InternalError", 500};
    case StatusCode::kServerTimeout: return {"ServerTimeout", 500};
    case StatusCode::kServiceUnavailable: return {"ServiceUnavailable", 503};
    case StatusCode::kTimeout: return {"Timeout", 504};
  }
  return {"InternalError", 500};
}
}  // namespace

std::string_view StatusCodeReason(StatusCode code) { return Info(code).reason; }
int StatusCodeHttp(StatusCode code) { return Info(code).http; }

Status::Status(StatusCode code, std::string message) {
  if (code != StatusCode::kOk) {
    state_ = std::make_unique<State>(State{code, std::move(message), std::nullopt});
  }
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  return *this;
}

StatusCode Status::code() const { return state_ ? state_->code : StatusCode::kOk; }

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string_view Status::reason() const { return StatusCodeReason(code()); }
int Status::http_code() const { return StatusCodeHttp(code()); }

const StatusDetails* Status::details() const {
  return state_ && state_->details ? &*state_->details : nullptr;
}

StatusDetails& Status::mutable_details() {
  if (!state_->details) state_->details.emplace();
  return *state_->details;
}

Status&& Status::WithDetails(StatusDetails d) && {
  if (state_) state_->details = std::move(d);
  return std::move(*this);
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(reason()) + ": " + state_->message;
}

}  // namespace haru
