// UPDATE and GuaranteedUpdate: read-modify-write with optimistic concurrency.
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

StatusOr<WriteResult> Registry::Update(const api::KindSpec& kind, const std::string& ns,
                                       const std::string& name, const std::string& subresource,
                                       Json body, WriteOptions& options) {
  if (!body.is_object()) return Status::BadRequest("the request body must be a JSON object");
  std::string body_name = MetaString(body, "name");
  if (!body_name.empty() && body_name != name) {
    return Status::BadRequest("the name of the object (" + body_name +
                              ") does not match the name on the URL (" + name + ")");
  }
  if (kind.scope == api::Scope::kNamespaced) {
    std::string body_ns = MetaString(body, "namespace");
    if (!body_ns.empty() && body_ns != ns) {
      return Status::BadRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
  }
  // A PUT carries the full object; the client's resourceVersion (if any) is the precondition.
  return GuaranteedUpdate(
      kind, ns, name, subresource,
      [&body](const Json*) -> StatusOr<Json> { return body; }, options);
}

StatusOr<WriteResult> Registry::GuaranteedUpdate(const api::KindSpec& kind, const std::string& ns,
                                                 const std::string& name,
                                                 const std::string& subresource,
                                                 const MutateFn& mutate, WriteOptions& options,
                                                 bool create_if_missing) {
  const std::string key = ObjectKey(kind, ns, name);
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    auto kv = store_->Get(key);
    if (!kv.ok()) {
      if (kv.status().code() == StatusCode::kNotFound && create_if_missing) {
        HARU_ASSIGN_OR_RETURN(Json desired, mutate(nullptr));
        Meta(desired)["name"] = name;
        return Create(kind, ns, std::move(desired), options);
      }
      return MapStorageError(kind, name, kv.status());
    }
    HARU_ASSIGN_OR_RETURN(Json current, ParseStored(*kv));
    HARU_ASSIGN_OR_RETURN(Json desired, mutate(&current));
    if (!desired.is_object()) return Status::BadRequest("the object must be a JSON object");

    const std::string current_rv = std::to_string(kv->mod_revision);
    const std::string wanted_rv = MetaString(desired, "resourceVersion");
    const bool client_precondition = !wanted_rv.empty() && wanted_rv != current_rv;
    if (client_precondition) {
      return ConflictStatus(kind, name,
                            "the object has been modified; please apply your changes to the "
                            "latest version and try again");
    }
    std::string wanted_uid = MetaString(desired, "uid");
    if (!wanted_uid.empty() && wanted_uid != MetaString(current, "uid")) {
      return ConflictStatus(kind, name,
                            "Precondition failed: UID in precondition: " + wanted_uid +
                                ", UID in object meta: " + MetaString(current, "uid"));
    }

    Json next;
    if (subresource == "status") {
      next = current;
      if (desired.contains("status")) {
        next["status"] = desired["status"];
      } else {
        next.erase("status");
      }
      // A status apply computed its ownership on the whole object; keep that record.
      if (options.apply && desired.contains("metadata") && desired["metadata"].is_object() &&
          desired["metadata"].contains("managedFields")) {
        Meta(next)["managedFields"] = desired["metadata"]["managedFields"];
      }
    } else {
      next = std::move(desired);
      if (kind.has_status) {
        if (current.contains("status")) {
          next["status"] = current["status"];
        } else {
          next.erase("status");
        }
      }
    }
    next["apiVersion"] = kind.gvk.GroupVersion();
    next["kind"] = kind.gvk.kind;
    Json& meta = Meta(next);
    const Json& old_meta = current["metadata"];
    for (const char* field : {"uid", "creationTimestamp", "deletionTimestamp",
                              "deletionGracePeriodSeconds", "generation", "namespace", "name"}) {
      if (old_meta.contains(field)) {
        meta[field] = old_meta[field];
      } else {
        meta.erase(field);
      }
    }
    meta.erase("selfLink");

    if (subresource.empty()) {
      for (const MutationStep& step : impl_->Mutations()) {
        HARU_RETURN_IF_ERROR(step(kind, "UPDATE", next, &current, options.dry_run));
      }
      if (kind.prepare_for_update) kind.prepare_for_update(next, current);
    } else if (subresource == "status" && kind.prepare_for_status_update) {
      kind.prepare_for_status_update(next, current);
    }
    if (kind.default_fields) kind.default_fields(next);
    DropEmptyMetadata(next);
    if (kind.tracks_generation && SpecChanged(next, current)) {
      meta["generation"] = old_meta.value("generation", int64_t{0}) + 1;
    }
    TrackManagedFields(kind, subresource, &current, next, options);

    // Validation sees the version being replaced, as upstream's store sets it before
    // validating an unconditional update.
    meta["resourceVersion"] = current_rv;
    api::FieldErrors errs;
    auto generic_meta = [&] {
      errs = api::ValidateObjectMeta(next, kind.scope == api::Scope::kNamespaced, kind.name_rule);
      api::FieldErrors meta_update = api::ValidateObjectMetaUpdate(next, current);
      errs.insert(errs.end(), meta_update.begin(), meta_update.end());
    };
    if (subresource == "status") {
      if (!kind.validate_status_update) generic_meta();
      if (kind.validate_status_update) {
        auto more = kind.validate_status_update(next, current);
        errs.insert(errs.end(), more.begin(), more.end());
      }
    } else if (!subresource.empty()) {
      // binding, finalize: the handler changed one field on purpose; only metadata is checked.
      generic_meta();
    } else if (kind.validate_update) {
      auto more = kind.validate_update(next, current);
      errs.insert(errs.end(), more.begin(), more.end());
    } else if (kind.validate) {
      auto more = kind.validate(next);
      errs.insert(errs.end(), more.begin(), more.end());
    }
    if (!errs.empty()) return ValidationFailure(kind, next, errs);

    AdmissionAttributes attrs{&kind, "UPDATE", ns, name, subresource, &next, &current,
                              options.dry_run};
    for (const AdmissionCheck& check : impl_->Admission()) HARU_RETURN_IF_ERROR(check(attrs));
    if (kind.warnings && subresource.empty()) {
      for (std::string& w : kind.warnings(next, &current)) options.warnings.push_back(std::move(w));
    }

    WriteResult result;
    if (SameIgnoringVersion(next, current)) {
      result.object = kv->value;  // no-op: upstream does not write or bump the version
      return result;
    }
    if (options.dry_run) {
      meta["resourceVersion"] = current_rv;
      result.object = std::make_shared<const std::string>(ToJson(next));
      return result;
    }
    // The last finalizer of an object being deleted was removed: the object goes away now.
    if (meta.contains("deletionTimestamp") && !HasFinalizers(next)) {
      auto stored = CommitObject(*store_, CommitOp::kDelete, key, kv->mod_revision, std::move(next));
      if (!stored.ok() && stored.status().code() == StatusCode::kConflict) continue;  // lost a race
      if (!stored.ok()) return MapStorageError(kind, name, stored.status());
      result.object = *stored;
      return result;
    }
    auto stored = CommitObject(*store_, CommitOp::kUpdate, key, kv->mod_revision, std::move(next));
    if (!stored.ok() && stored.status().code() == StatusCode::kConflict) continue;  // lost a race
    if (!stored.ok()) return MapStorageError(kind, name, stored.status());
    result.object = *stored;
    return result;
  }
  return ConflictStatus(kind, name, "too many concurrent updates; please try again");
}

}  // namespace haru::registry
