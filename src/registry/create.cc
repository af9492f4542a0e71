// CREATE: system metadata, kind hooks, validation, admission, then the store.
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

StatusOr<WriteResult> Registry::Create(const api::KindSpec& kind, const std::string& ns,
                                       Json body, WriteOptions& options) {
  if (!body.is_object()) return Status::BadRequest("the request body must be a JSON object");
  Json& meta = Meta(body);
  if (kind.scope == api::Scope::kNamespaced) {
    std::string body_ns = MetaString(body, "namespace");
    if (!body_ns.empty() && body_ns != ns) {
      return Status::BadRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    meta["namespace"] = ns;
  } else {
    meta.erase("namespace");
  }
  body["apiVersion"] = kind.gvk.GroupVersion();
  body["kind"] = kind.gvk.kind;

  std::string name = MetaString(body, "name");
  std::string generate_name = MetaString(body, "generateName");
  if (name.empty() && !generate_name.empty()) {
    name = generate_name + RandomNameSuffix();
    meta["name"] = name;
  }
  // System fields (upstream's FillObjectMetaSystemFields).
  meta["uid"] = NewUid();
  meta["creationTimestamp"] = NowRfc3339();
  meta.erase("resourceVersion");
  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");
  meta.erase("selfLink");
  if (kind.tracks_generation) {
    meta["generation"] = 1;
  } else {
    meta.erase("generation");
  }

  for (const MutationStep& step : impl_->Mutations()) {
    HARU_RETURN_IF_ERROR(step(kind, "CREATE", body, nullptr, options.dry_run));
  }
  if (kind.prepare_for_create) kind.prepare_for_create(body);
  if (kind.default_fields) kind.default_fields(body);
  DropEmptyMetadata(body);
  TrackManagedFields(kind, "", nullptr, body, options);

  // A kind's validate includes ObjectMeta validation with its name rule, as upstream's.
  api::FieldErrors errs =
      kind.validate ? kind.validate(body)
                    : api::ValidateObjectMeta(body, kind.scope == api::Scope::kNamespaced,
                                              kind.name_rule);
  if (!errs.empty()) return ValidationFailure(kind, body, errs);

  AdmissionAttributes attrs{&kind, "CREATE", ns, name, "", &body, nullptr, options.dry_run};
  for (const AdmissionCheck& check : impl_->Admission()) HARU_RETURN_IF_ERROR(check(attrs));

  if (kind.warnings) {
    for (std::string& w : kind.warnings(body, nullptr)) options.warnings.push_back(std::move(w));
  }

  WriteResult result;
  result.created = true;
  if (options.dry_run) {
    if (store_->Get(ObjectKey(kind, ns, name)).ok()) return AlreadyExistsStatus(kind, name);
    result.object = std::make_shared<const std::string>(EncodeWithoutRevision(std::move(body)));
    return result;
  }
  auto stored = CommitObject(*store_, CommitOp::kCreate, ObjectKey(kind, ns, name), 0,
                             std::move(body));
  if (!stored.ok()) return MapStorageError(kind, name, stored.status());
  result.object = *stored;
  return result;
}

}  // namespace haru::registry
