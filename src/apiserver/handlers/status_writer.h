#pragma once
// The one exit for failures (upstream's scope.err): a Status becomes a metav1.Status JSON
// response with upstream's code, reason, message and details.

#include <string>

#include "apiserver/http/response.h"
#include "common/status.h"

namespace haru::apiserver {

// {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...}
std::string StatusJson(const Status& status);
http::Response StatusResponse(const Status& status);
// A metav1.Status with status "Success" (e.g. pods/binding create).
http::Response SuccessResponse(int code);

// A JSON response with the given body.
http::Response JsonResponse(int code, std::string body, std::string content_type = "application/json");

}  // namespace haru::apiserver
