// DELETE: preconditions, finalizers, graceful deletion, propagation; deletecollection.
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

StatusOr<WriteResult> Registry::Delete(const api::KindSpec& kind, const std::string& ns,
                                       const std::string& name, const DeleteOptions& options,
                                       WriteOptions& write_options) {
  const std::string key = ObjectKey(kind, ns, name);
  for (int attempt = 0; attempt < kMaxUpdateAttempts; ++attempt) {
    auto kv = store_->Get(key);
    if (!kv.ok()) return MapStorageError(kind, name, kv.status());
    HARU_ASSIGN_OR_RETURN(Json current, ParseStored(*kv));
    std::string uid = MetaString(current, "uid");
    if (!options.precondition_uid.empty() && options.precondition_uid != uid) {
      return ConflictStatus(kind, name,
                            "Precondition failed: UID in precondition: " +
                                options.precondition_uid + ", UID in object meta: " + uid);
    }
    if (!options.precondition_resource_version.empty() &&
        options.precondition_resource_version != std::to_string(kv->mod_revision)) {
      return ConflictStatus(kind, name,
                            "Precondition failed: ResourceVersion in precondition: " +
                                options.precondition_resource_version +
                                ", ResourceVersion in object meta: " +
                                std::to_string(kv->mod_revision));
    }
    AdmissionAttributes attrs{&kind, "DELETE", ns, name, "", nullptr, &current,
                              options.dry_run || write_options.dry_run};
    for (const AdmissionCheck& check : impl_->Admission()) HARU_RETURN_IF_ERROR(check(attrs));

    const bool dry_run = options.dry_run || write_options.dry_run;
    Json next = current;
    Json& meta = Meta(next);
    const bool already_deleting = meta.contains("deletionTimestamp");
    if (options.propagation_policy == "Foreground") AddFinalizer(next, "foregroundDeletion");
    if (options.propagation_policy == "Orphan") AddFinalizer(next, "orphan");

    // Graceful deletion: pods bound to a node wait for the node agent to stop them.
    int64_t grace = 0;
    if (kind.gvk.kind == "Pod" && kind.gvk.group.empty()) {
      const Json& spec = current.contains("spec") ? current["spec"] : Json::object();
      std::string phase = current.contains("status") ? current["status"].value("phase", "") : "";
      bool on_node = spec.is_object() && !spec.value("nodeName", "").empty();
      grace = options.grace_period_seconds.value_or(
          spec.is_object() ? spec.value("terminationGracePeriodSeconds", int64_t{30}) : 30);
      if (!on_node || phase == "Succeeded" || phase == "Failed") grace = 0;
    }
    if (kind.gvk.kind == "Namespace" && kind.gvk.group.empty()) {
      next["status"]["phase"] = "Terminating";
    }

    if (HasFinalizers(next) || grace > 0) {
      if (already_deleting && next == current) {
        WriteResult r;
        r.object = kv->value;
        return r;
      }
      if (!already_deleting) {
        meta["deletionTimestamp"] = RfcTime(
            std::chrono::duration_cast<std::chrono::seconds>(
                std::chrono::system_clock::now().time_since_epoch()).count() + grace);
        meta["deletionGracePeriodSeconds"] = grace;
      }
      WriteResult r;
      if (dry_run) {
        r.object = std::make_shared<const std::string>(ToJson(next));
        return r;
      }
      auto stored = CommitObject(*store_, CommitOp::kUpdate, key, kv->mod_revision, std::move(next));
      if (!stored.ok() && stored.status().code() == StatusCode::kConflict) continue;  // lost a race
      if (!stored.ok()) return MapStorageError(kind, name, stored.status());
      r.object = *stored;
      return r;
    }

    WriteResult r;
    if (dry_run) {
      r.object = kv->value;
      return r;
    }
    auto stored = CommitObject(*store_, CommitOp::kDelete, key, kv->mod_revision, std::move(current));
    if (!stored.ok() && stored.status().code() == StatusCode::kConflict) continue;  // lost a race
    if (!stored.ok()) return MapStorageError(kind, name, stored.status());
    r.object = *stored;
    return r;
  }
  return ConflictStatus(kind, name, "too many concurrent updates; please try again");
}

StatusOr<std::vector<storage::Bytes>> Registry::DeleteCollection(
    const api::KindSpec& kind, const std::string& ns, const ListRequest& request,
    const DeleteOptions& options, WriteOptions& write_options) {
  ListRequest all = request;
  all.limit = 0;
  all.continue_token.clear();
  HARU_ASSIGN_OR_RETURN(ListResult listed, List(kind, ns, all));
  std::vector<storage::Bytes> out;
  for (const storage::KeyValue& kv : listed.items) {
    auto index = IndexOf(kv);
    auto r = Delete(kind, index->ns, index->name, options, write_options);
    if (r.ok()) {
      out.push_back(r->object);
    } else if (r.status().code() != StatusCode::kNotFound) {
      return r.status();
    }
  }
  return out;
}

}  // namespace haru::registry
