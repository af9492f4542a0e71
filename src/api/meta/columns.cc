#include "api/meta/columns.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "api/meta/object.h"

namespace haru::api {

const char kNameColumnDescription[] =
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const char kAgeColumnDescription[] =
    "CreationTimestamp is a timestamp representing the server time when this object was "
    "created. It is not guaranteed to be set in happens-before order across separate "
    "operations. Clients may not set this value. It is represented in RFC3339 form and is in "
    "UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata";

namespace {
std::atomic<bool> g_has_test_now{false};
std::atomic<int64_t> g_test_now{0};
}  // namespace

TableColumn NameColumn() {
  return {"Name", "string", "name", kNameColumnDescription, 0,
          [](const Json& o) { return Json(GetString(o, {"metadata", "name"})); }};
}

TableColumn AgeColumn() {
  return {"Age", "string", "", kAgeColumnDescription, 0, [](const Json& o) {
            return Json(TranslateTimestampSince(FindPath(o, {"metadata", "creationTimestamp"})));
          }};
}

TableColumn StringColumn(std::string name, std::string description, std::string_view first,
                         std::string_view second, std::string_view third, int priority) {
  std::string a(first), b(second), c(third);
  return {std::move(name), "string", "", std::move(description), priority,
          [a, b, c](const Json& o) {
            if (!c.empty()) return Json(GetString(o, {a, b, c}));
            if (!b.empty()) return Json(GetString(o, {a, b}));
            return Json(GetString(o, {a}));
          }};
}

std::string HumanDuration(int64_t seconds) {
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  int64_t minutes = seconds / 60;
  if (minutes < 10) {
    int64_t s = seconds % 60;
    if (s == 0) return std::to_string(minutes) + "m";
    return std::to_string(minutes) + "m" + std::to_string(s) + "s";
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  int64_t hours = seconds / 3600;
  if (hours < 8) {
    int64_t m = minutes % 60;
    if (m == 0) return std::to_string(hours) + "h";
    return std::to_string(hours) + "h" + std::to_string(m) + "m";
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    int64_t h = hours % 24;
    if (h == 0) return std::to_string(hours / 24) + "d";
    return std::to_string(hours / 24) + "d" + std::to_string(h) + "h";
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    int64_t dy = (hours / 24) % 365;
    if (dy == 0) return std::to_string(hours / 24 / 365) + "y";
    return std::to_string(hours / 24 / 365) + "y" + std::to_string(dy) + "d";
  }
  return std::to_string(hours / 24 / 365) + "y";
}

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  int y, mo, d, h, mi, s;
  std::string str(text);
  int consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                  &consumed) != 6) {
    return std::nullopt;
  }
  size_t pos = static_cast<size_t>(consumed);
  if (pos < str.size() && str[pos] == '.') {
    ++pos;
    while (pos < str.size() && std::isdigit(static_cast<unsigned char>(str[pos]))) ++pos;
  }
  int64_t offset = 0;
  if (pos < str.size() && (str[pos] == '+' || str[pos] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(str.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (str[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else if (pos >= str.size() || (str[pos] != 'Z' && str[pos] != 'z')) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

int64_t NowUnix() {
  if (g_has_test_now.load()) return g_test_now.load();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SetNowForTest(std::optional<int64_t> now_unix) {
  g_test_now = now_unix.value_or(0);
  g_has_test_now = now_unix.has_value();
}

std::string TranslateTimestampSince(const Json* timestamp) {
  return TranslateTimestampSince(timestamp, NowUnix());
}

std::string TranslateTimestampSince(const Json* timestamp, int64_t now_unix) {
  if (timestamp == nullptr || !timestamp->is_string()) return "<unknown>";
  auto t = ParseRfc3339(timestamp->get<std::string>());
  if (!t) return "<unknown>";
  return HumanDuration(now_unix - *t);
}

std::string FormatLabels(const Json* labels) {
  if (labels == nullptr || !labels->is_object() || labels->empty()) return "<none>";
  std::string out;
  for (auto it = labels->begin(); it != labels->end(); ++it) {  // nlohmann keeps keys sorted
    if (!out.empty()) out += ",";
    out += it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
  }
  return out;
}

}  // namespace haru::api
