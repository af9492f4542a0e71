#include "registry/internal/object_util.h"

#include "api/managedfields/managed_fields.h"
#include "api/schema/schema.h"

#include "registry/object_meta.h"
#include "registry/registry.h"

namespace haru::registry::internal {

Json& Meta(Json& obj) {
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  return obj["metadata"];
}

std::string MetaString(const Json& obj, const char* field) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return "";
  auto it = m->find(field);
  return it != m->end() && it->is_string() ? it->get<std::string>() : "";
}

bool HasFinalizers(const Json& obj) {
  auto m = obj.find("metadata");
  if (m != obj.end() && m->is_object()) {
    auto f = m->find("finalizers");
    if (f != m->end() && f->is_array() && !f->empty()) return true;
  }
  // Namespaces are also held by spec.finalizers (the "kubernetes" finalizer).
  auto s = obj.find("spec");
  if (s != obj.end() && s->is_object()) {
    auto f = s->find("finalizers");
    if (f != s->end() && f->is_array() && !f->empty() && obj.value("kind", "") == "Namespace")
      return true;
  }
  return false;
}

void AddFinalizer(Json& obj, const std::string& finalizer) {
  Json& f = Meta(obj)["finalizers"];
  if (!f.is_array()) f = Json::array();
  for (const Json& v : f) {
    if (v == finalizer) return;
  }
  f.push_back(finalizer);
}

// Upstream's ObjectMeta marks these omitempty: an empty map or list is not stored or served
// (e.g. after `kubectl annotate x a-` removes the last annotation).
void DropEmptyMetadata(Json& obj) {
  auto m = obj.find("metadata");
  if (m == obj.end() || !m->is_object()) return;
  for (const char* field : {"labels", "annotations", "finalizers", "ownerReferences"}) {
    auto it = m->find(field);
    if (it != m->end() && (it->is_null() || (it->is_structured() && it->empty()))) m->erase(it);
  }
}

StatusOr<Json> ParseStored(const storage::KeyValue& kv) {
  Json obj = Json::parse(*kv.value, nullptr, false);
  if (!obj.is_object()) return Status::Internal("stored object at " + kv.key + " is corrupt");
  return obj;
}

// Everything but resourceVersion, for no-op detection.
bool SameIgnoringVersion(Json a, Json b) {
  for (Json* o : {&a, &b}) {
    if (o->contains("metadata") && (*o)["metadata"].is_object()) {
      (*o)["metadata"].erase("resourceVersion");
    }
  }
  return a == b;
}

void TrackManagedFields(const api::KindSpec& kind, const std::string& subresource,
                        const Json* live, Json& obj, const WriteOptions& options) {
  if (options.apply || !(subresource.empty() || subresource == "status")) return;
  api::managedfields::Operation op;
  op.manager = options.field_manager;
  op.api_version = kind.gvk.GroupVersion();
  op.subresource = subresource;
  op.time = NowRfc3339();
  op.has_status_subresource = kind.has_status;
  api::managedfields::RecordUpdate(live, obj, api::BuiltinSchemas().Find(kind.schema), op);
}

// Whether anything outside metadata and status changed (generation bump).
bool SpecChanged(const Json& a, const Json& b) {
  Json x = a, y = b;
  for (Json* o : {&x, &y}) {
    o->erase("metadata");
    o->erase("status");
  }
  return x != y;
}

Status MapStorageError(const api::KindSpec& kind, std::string_view name, const Status& s) {
  switch (s.code()) {
    case StatusCode::kNotFound: return NotFoundStatus(kind, name);
    case StatusCode::kAlreadyExists: return AlreadyExistsStatus(kind, name);
    case StatusCode::kConflict:
      return ConflictStatus(kind, name,
                            "the object has been modified; please apply your changes to the "
                            "latest version and try again");
    case StatusCode::kGone:
      return Status::Expired(s.message());
    default: return s;
  }
}

Status ValidationFailure(const api::KindSpec& kind, const Json& obj, const api::FieldErrors& errs) {
  std::string name = MetaString(obj, "name");
  if (name.empty()) name = MetaString(obj, "generateName");
  return api::InvalidStatus(kind.gvk.group, kind.gvk.kind, name, errs);
}

StatusOr<storage::Bytes> CommitObject(storage::Store& store, CommitOp op, const std::string& key,
                                      int64_t expected_revision, Json obj) {
  storage::ValueFn encode = EncodeWithRevision(std::move(obj));
  std::string stored;
  auto capture = [&](int64_t revision) {
    stored = encode(revision);
    return stored;
  };
  StatusOr<int64_t> rev = op == CommitOp::kCreate ? store.Create(key, capture)
                          : op == CommitOp::kUpdate ? store.Update(key, expected_revision, capture)
                                                    : store.Delete(key, expected_revision, capture);
  if (!rev.ok()) return rev.status();
  return std::make_shared<const std::string>(std::move(stored));
}

}  // namespace haru::registry::internal
