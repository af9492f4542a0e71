// The generic registry: construction, status builders, GET and selector filters.
#include <chrono>
#include <thread>

#include "api/meta/validation.h"
#include "registry/internal/object_util.h"
#include "registry/internal/registry_impl.h"
#include "registry/keys.h"
#include "registry/object_index.h"
#include "registry/object_meta.h"
#include "registry/registry.h"

namespace haru::registry {

using namespace internal;  // NOLINT: the registry's own helpers

Status TooLargeResourceVersion(int64_t requested, int64_t current) {
  // Upstream's storage.NewTooLargeResourceVersionError wrapped in errors.NewTimeoutError.
  Status s = Status::Timeout("Timeout: Too large resource version: " + std::to_string(requested) +
                             ", current: " + std::to_string(current));
  s.mutable_details().causes.push_back(
      {"ResourceVersionTooLarge", "Too large resource version", ""});
  s.mutable_details().retry_after_seconds = 1;
  return s;
}

Status NotFoundStatus(const api::KindSpec& kind, std::string_view name) {
  std::string resource = kind.plural;
  if (!kind.gvk.group.empty()) resource += "." + kind.gvk.group;
  Status s = Status::NotFound(resource + " \"" + std::string(name) + "\" not found");
  s.mutable_details() = StatusDetails{std::string(name), kind.gvk.group, kind.plural, "", {}, 0};
  return s;
}

Status AlreadyExistsStatus(const api::KindSpec& kind, std::string_view name) {
  std::string resource = kind.plural;
  if (!kind.gvk.group.empty()) resource += "." + kind.gvk.group;
  Status s = Status::AlreadyExists(resource + " \"" + std::string(name) + "\" already exists");
  s.mutable_details() = StatusDetails{std::string(name), kind.gvk.group, kind.plural, "", {}, 0};
  return s;
}

Status ConflictStatus(const api::KindSpec& kind, std::string_view name, std::string_view why) {
  std::string resource = kind.plural;
  if (!kind.gvk.group.empty()) resource += "." + kind.gvk.group;
  Status s = Status::Conflict("Operation cannot be fulfilled on " + resource + " \"" +
                              std::string(name) + "\": " + std::string(why));
  s.mutable_details() = StatusDetails{std::string(name), kind.gvk.group, kind.plural, "", {}, 0};
  return s;
}


Registry::Registry(storage::Store* store) : store_(store), impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

void Registry::AddAdmission(AdmissionCheck check) {
  std::lock_guard lock(impl_->mu);
  impl_->admission.push_back(std::move(check));
}

void Registry::AddMutation(MutationStep step) {
  std::lock_guard lock(impl_->mu);
  impl_->mutations.push_back(std::move(step));
}

StatusOr<storage::KeyValue> Registry::Get(const api::KindSpec& kind, const std::string& ns,
                                          const std::string& name) {
  auto kv = store_->Get(ObjectKey(kind, ns, name));
  if (!kv.ok()) return MapStorageError(kind, name, kv.status());
  return kv;
}

StatusOr<std::function<bool(const storage::KeyValue&)>> Registry::MakeFilter(
    const api::KindSpec& kind, const LabelSelector& labels, const FieldSelector& fields) {
  for (const auto& req : fields.requirements()) {
    if (req.field == "metadata.name" || req.field == "metadata.namespace") continue;
    bool known = false;
    for (const auto& f : kind.selectable_fields) known |= f.name == req.field;
    if (!known) {
      return Status::BadRequest("field label not supported: " + req.field);
    }
  }
  if (labels.empty() && fields.empty()) {
    return std::function<bool(const storage::KeyValue&)>(
        [](const storage::KeyValue&) { return true; });
  }
  return std::function<bool(const storage::KeyValue&)>(
      [labels, fields](const storage::KeyValue& kv) {
        auto index = IndexOf(kv);
        if (!labels.Matches(index->labels)) return false;
        for (const auto& req : fields.requirements()) {
          std::string value;
          if (req.field == "metadata.name") {
            value = index->name;
          } else if (req.field == "metadata.namespace") {
            value = index->ns;
          } else {
            for (const auto& [n, v] : index->fields) {
              if (n == req.field) value = v;
            }
          }
          if ((value == req.value) != req.equals) return false;
        }
        return true;
      });
}

}  // namespace haru::registry
