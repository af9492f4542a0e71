#include "controllers/internal/controller_util.h"

#include <chrono>

#include "api/meta/columns.h"
#include "registry/object_meta.h"

namespace haru::controllers {

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const Json& Field(const Json& obj, std::string_view key) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::string Str(const Json& obj, std::string_view key) {
  const Json& v = Field(obj, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

const Json& Arr(const Json& obj, std::string_view key) {
  static const Json kEmpty = Json::array();
  const Json& v = Field(obj, key);
  return v.is_array() ? v : kEmpty;
}

std::string Namespace(const Json& obj) { return Str(Field(obj, "metadata"), "namespace"); }
std::string Name(const Json& obj) { return Str(Field(obj, "metadata"), "name"); }
std::string Uid(const Json& obj) { return Str(Field(obj, "metadata"), "uid"); }

bool IsDeleting(const Json& obj) {
  const Json& ts = Field(Field(obj, "metadata"), "deletionTimestamp");
  return ts.is_string() && !ts.get<std::string>().empty();
}

bool HasFinalizer(const Json& obj, std::string_view finalizer) {
  for (const Json& f : Arr(Field(obj, "metadata"), "finalizers")) {
    if (f.is_string() && f.get<std::string>() == finalizer) return true;
  }
  return false;
}

bool AddFinalizer(Json& obj, std::string_view finalizer) {
  if (HasFinalizer(obj, finalizer)) return false;
  Json& meta = obj["metadata"];
  if (!meta.contains("finalizers") || !meta["finalizers"].is_array()) meta["finalizers"] = Json::array();
  meta["finalizers"].push_back(std::string(finalizer));
  return true;
}

bool RemoveFinalizer(Json& obj, std::string_view finalizer) {
  if (!HasFinalizer(obj, finalizer)) return false;
  Json kept = Json::array();
  for (const Json& f : obj["metadata"]["finalizers"]) {
    if (!(f.is_string() && f.get<std::string>() == finalizer)) kept.push_back(f);
  }
  if (kept.empty()) {
    obj["metadata"].erase("finalizers");
  } else {
    obj["metadata"]["finalizers"] = std::move(kept);
  }
  return true;
}

const Json& ControllerRef(const Json& obj) {
  static const Json kNull;
  for (const Json& ref : Arr(Field(obj, "metadata"), "ownerReferences")) {
    const Json& c = Field(ref, "controller");
    if (c.is_boolean() && c.get<bool>()) return ref;
  }
  return kNull;
}

std::string PodPhase(const Json& pod) { return Str(Field(pod, "status"), "phase"); }

bool IsPodTerminal(const Json& pod) {
  std::string phase = PodPhase(pod);
  return phase == "Succeeded" || phase == "Failed";
}

const Json& FindCondition(const Json& obj, std::string_view type) {
  static const Json kNull;
  for (const Json& c : Arr(Field(obj, "status"), "conditions")) {
    if (Str(c, "type") == type) return c;
  }
  return kNull;
}

bool IsConditionTrue(const Json& obj, std::string_view type) {
  return Str(FindCondition(obj, type), "status") == "True";
}

bool IsPodReady(const Json& pod) { return IsConditionTrue(pod, "Ready"); }

std::string FormatTime(int64_t unix_seconds) { return registry::RfcTime(unix_seconds); }

int64_t ParseTime(std::string_view text) {
  std::optional<int64_t> t = api::ParseRfc3339(text);
  return t ? *t : -1;
}

StatusOr<Json> UpdateWithRetry(client::Client& client, const client::Resource& resource,
                               const Json& current, std::string_view subresource,
                               const std::function<bool(Json&)>& mutate) {
  Json base = current;
  for (int attempt = 0; attempt < 3; ++attempt) {
    Json next = base;
    if (!mutate(next)) return base;
    StatusOr<Json> written = client.Update(resource, Namespace(base), next, subresource);
    if (written.ok() || !written.status().Is(StatusCode::kConflict)) return written;
    StatusOr<Json> fresh = client.Get(resource, Namespace(base), Name(base));
    if (!fresh.ok()) return fresh.status();
    if (Uid(*fresh) != Uid(current)) return Status::Conflict("object was replaced");
    base = std::move(*fresh);
  }
  return Status::Conflict("too many conflicts updating " + Name(current));
}

}  // namespace haru::controllers
