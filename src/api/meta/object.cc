#include "api/meta/object.h"

namespace haru::api {

const Json* FindPath(const Json& obj, std::initializer_list<std::string_view> path) {
  const Json* cur = &obj;
  for (std::string_view step : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(step);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string GetString(const Json& obj, std::initializer_list<std::string_view> path) {
  const Json* v = FindPath(obj, path);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

int64_t GetInt(const Json& obj, std::initializer_list<std::string_view> path, int64_t fallback) {
  const Json* v = FindPath(obj, path);
  if (v && v->is_number_integer()) return v->get<int64_t>();
  if (v && v->is_number_float()) return static_cast<int64_t>(v->get<double>());
  return fallback;
}

bool GetBool(const Json& obj, std::initializer_list<std::string_view> path) {
  const Json* v = FindPath(obj, path);
  return v && v->is_boolean() && v->get<bool>();
}

Json& MutablePath(Json& obj, std::initializer_list<std::string_view> path) {
  Json* cur = &obj;
  if (!cur->is_object()) *cur = Json::object();
  for (std::string_view step : path) {
    Json& next = (*cur)[std::string(step)];
    if (!next.is_object()) next = Json::object();
    cur = &next;
  }
  return *cur;
}

}  // namespace haru::api
