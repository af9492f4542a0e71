#include "apiserver/handlers/status_writer.h"

#include "common/json.h"

namespace haru::apiserver {

std::string StatusJson(const Status& status) {
  Json doc = {{"kind", "Status"},
              {"apiVersion", "v1"},
              {"metadata", Json::object()},
              {"status", "Failure"},
              {"message", status.message()},
              {"reason", std::string(status.reason())},
              {"code", status.http_code()}};
  if (const StatusDetails* d = status.details()) {
    Json details = Json::object();
    if (!d->name.empty()) details["name"] = d->name;
    if (!d->group.empty()) details["group"] = d->group;
    if (!d->kind.empty()) details["kind"] = d->kind;
    if (!d->uid.empty()) details["uid"] = d->uid;
    if (!d->causes.empty()) {
      Json causes = Json::array();
      for (const StatusCause& c : d->causes) {
        Json cause = Json::object();
        if (!c.type.empty()) cause["reason"] = c.type;
        if (!c.message.empty()) cause["message"] = c.message;
        if (!c.field.empty()) cause["field"] = c.field;
        causes.push_back(std::move(cause));
      }
      details["causes"] = std::move(causes);
    }
    if (d->retry_after_seconds > 0) details["retryAfterSeconds"] = d->retry_after_seconds;
    doc["details"] = std::move(details);
  }
  return ToJson(doc);
}

http::Response StatusResponse(const Status& status) {
  http::Response r = JsonResponse(status.http_code(), StatusJson(status));
  if (const StatusDetails* d = status.details(); d && d->retry_after_seconds > 0) {
    r.headers.Set("Retry-After", std::to_string(d->retry_after_seconds));
  }
  return r;
}

http::Response SuccessResponse(int code) {
  Json doc = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
              {"status", "Success"}, {"code", code}};
  return JsonResponse(code, ToJson(doc));
}

http::Response JsonResponse(int code, std::string body, std::string content_type) {
  http::Response r;
  r.status = code;
  r.headers.Set("Content-Type", content_type);
  r.SetBody(std::move(body));
  return r;
}

}  // namespace haru::apiserver
