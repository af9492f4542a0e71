#include "client/https/rest.h"

#include "api/kinds.h"

namespace haru::client {

namespace {

StatusCode CodeFromHttp(int code) {
  switch (code) {
    case 400: return StatusCode::kBadRequest;
    case 401: return StatusCode::kUnauthorized;
    case 403: return StatusCode::kForbidden;
    case 404: return StatusCode::kNotFound;
    case 405: return StatusCode::kMethodNotAllowed;
    case 406: return StatusCode::kNotAcceptable;
    case 409: return StatusCode::kConflict;
    case 410: return StatusCode::kGone;
    case 413: return StatusCode::kRequestEntityTooLarge;
    case 415: return StatusCode::kUnsupportedMediaType;
    case 422: return StatusCode::kInvalid;
    case 429: return StatusCode::kTooManyRequests;
    case 503: return StatusCode::kServiceUnavailable;
    case 504: return StatusCode::kTimeout;
    default: return StatusCode::kInternalError;
  }
}

StatusCode CodeFromReason(std::string_view reason, int http_code) {
  for (int c = static_cast<int>(StatusCode::kBadRequest); c <= static_cast<int>(StatusCode::kTimeout); ++c) {
    auto code = static_cast<StatusCode>(c);
    if (StatusCodeReason(code) == reason) return code;
  }
  return CodeFromHttp(http_code);
}

std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string ResourcePath(const Resource& r, std::string_view ns, std::string_view name,
                         std::string_view subresource) {
  std::string path = r.group.empty() ? "/api/" + r.version : "/apis/" + r.group + "/" + r.version;
  const api::KindSpec* kind = api::FindKindByResource(r.group, r.version, r.plural);
  bool namespaced = kind == nullptr || kind->scope == api::Scope::kNamespaced;
  if (namespaced && !ns.empty()) {
    path += "/namespaces/";
    path += PercentEncode(ns);
  }
  path += "/" + r.plural;
  if (!name.empty()) {
    path += "/";
    path += PercentEncode(name);
    if (!subresource.empty()) {
      path += "/";
      path += subresource;
    }
  }
  return path;
}

std::string ListQuery(const ListOptions& o) {
  std::string q;
  auto add = [&q](const char* key, std::string_view value) {
    q += q.empty() ? "?" : "&";
    q += key;
    q += "=";
    q += PercentEncode(value);
  };
  if (!o.label_selector.empty()) add("labelSelector", o.label_selector);
  if (!o.field_selector.empty()) add("fieldSelector", o.field_selector);
  if (o.limit > 0) add("limit", std::to_string(o.limit));
  if (!o.continue_token.empty()) add("continue", o.continue_token);
  if (!o.resource_version.empty()) add("resourceVersion", o.resource_version);
  return q;
}

Status StatusFromJson(const Json& s, int fallback_http_code) {
  if (!s.is_object()) {
    return Status(CodeFromHttp(fallback_http_code), "unknown error (HTTP " + std::to_string(fallback_http_code) + ")");
  }
  int http_code = fallback_http_code;
  if (auto c = s.find("code"); c != s.end() && c->is_number_integer()) http_code = c->get<int>();
  std::string message = Str(s, "message");
  if (message.empty()) message = "the server returned HTTP " + std::to_string(http_code);
  Status out(CodeFromReason(Str(s, "reason"), http_code), message);
  if (auto d = s.find("details"); d != s.end() && d->is_object()) {
    StatusDetails details;
    details.name = Str(*d, "name");
    details.group = Str(*d, "group");
    details.kind = Str(*d, "kind");
    details.uid = Str(*d, "uid");
    if (auto r = d->find("retryAfterSeconds"); r != d->end() && r->is_number_integer()) {
      details.retry_after_seconds = r->get<int32_t>();
    }
    if (auto causes = d->find("causes"); causes != d->end() && causes->is_array()) {
      for (const Json& c : *causes) {
        if (!c.is_object()) continue;
        details.causes.push_back({Str(c, "reason"), Str(c, "message"), Str(c, "field")});
      }
    }
    out.mutable_details() = std::move(details);
  }
  return out;
}

Status StatusFromResponse(int http_code, std::string_view body) {
  auto parsed = ParseJson(body);
  if (parsed.ok() && parsed->is_object() && parsed->value("kind", "") == "Status") {
    return StatusFromJson(*parsed, http_code);
  }
  std::string text(body.substr(0, 512));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) text = "the server returned HTTP " + std::to_string(http_code);
  return Status(CodeFromHttp(http_code), text);
}

}  // namespace haru::client
