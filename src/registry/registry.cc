#include "registry/registry.h"

#include <chrono>
#include <mutex>
#include <thread>

#include "api/meta/validation.h"
#include "registry/continue_token.h"
#include "registry/keys.h"
#include "registry/object_index.h"
#include "registry/object_meta.h"

namespace haru::registry {

namespace {

constexpr int kMaxUpdateAttempts = 32;

std::string GroupOf(const api::KindSpec& kind) { return kind.gvk.group; }

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

// Everything but resourceVersion and managedFields, for no-op detection.
bool SameIgnoringVersion(Json a, Json b) {
  for (Json* o : {&a, &b}) {
    if (o->contains("metadata") && (*o)["metadata"].is_object()) {
      (*o)["metadata"].erase("resourceVersion");
      (*o)["metadata"].erase("managedFields");
    }
  }
  return a == b;
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

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

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

struct Registry::Impl {
  std::mutex mu;
  std::vector<AdmissionCheck> admission;
  std::vector<MutationStep> mutations;

  std::vector<AdmissionCheck> Admission() {
    std::lock_guard lock(mu);
    return admission;
  }
  std::vector<MutationStep> Mutations() {
    std::lock_guard lock(mu);
    return mutations;
  }
};

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

StatusOr<ListResult> Registry::List(const api::KindSpec& kind, const std::string& ns,
                                    const ListRequest& request) {
  HARU_ASSIGN_OR_RETURN(auto filter,
                        MakeFilter(kind, request.label_selector, request.field_selector));
  const std::string prefix = ListPrefix(kind, ns);
  int64_t revision = 0;
  std::string start_after;
  if (!request.continue_token.empty()) {
    HARU_ASSIGN_OR_RETURN(ContinueToken token, DecodeContinueToken(request.continue_token));
    revision = token.revision;
    start_after = prefix + token.start_after;
  } else if (!request.resource_version.empty() && request.resource_version != "0") {
    int64_t rv = 0;
    try {
      rv = std::stoll(request.resource_version);
    } catch (...) {
      return Status::BadRequest("invalid resource version: " + request.resource_version);
    }
    // Both matches wait briefly for the cache to reach rv, as upstream's watch cache does.
    for (int i = 0; i < 300 && store_->Revision() < rv; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (store_->Revision() < rv) return TooLargeResourceVersion(rv, store_->Revision());
    if (request.resource_version_match == "Exact") revision = rv;
  }
  // The cache serves the newest revision; an older snapshot comes from the backend's history.
  if (revision != 0 && revision == store_->Revision()) revision = 0;

  ListResult out;
  int64_t snapshot = 0;
  bool more = true;
  std::string cursor = start_after;
  const int64_t want = request.limit > 0 ? request.limit : 0;
  while (more) {
    storage::ListOptions opts;
    opts.prefix = prefix;
    opts.start_after = cursor;
    opts.revision = revision != 0 ? revision : snapshot;
    opts.limit = want > 0 ? std::max<int64_t>(want - int64_t(out.items.size()), 64) : 0;
    if (revision == 0 && snapshot == 0) opts.limit = 0;  // the cache: one pass, no paging
    auto page = store_->List(opts);
    if (!page.ok()) {
      if (page.status().code() == StatusCode::kGone && !request.continue_token.empty()) {
        // Upstream also offers a token that continues at the latest revision (rv -1) in the
        // Status's ListMeta; haru's Status carries no ListMeta, so it answers like upstream
        // does when it cannot encode one.
        return Status::Expired(
            "The provided continue parameter is too old to display a consistent list result. "
            "You can start a new list without the continue parameter.");
      }
      if (page.status().code() == StatusCode::kGone) {
        return Status::Expired("The resourceVersion for the provided list is too old.");
      }
      if (page.status().code() == StatusCode::kTimeout) {
        return TooLargeResourceVersion(revision, store_->Revision());
      }
      return page.status();
    }
    if (snapshot == 0) snapshot = page->revision;
    more = page->more;
    for (auto& kv : page->items) {
      cursor = kv.key;
      if (want > 0 && int64_t(out.items.size()) >= want) {
        more = true;
        break;
      }
      if (filter(kv)) out.items.push_back(std::move(kv));
    }
    if (want > 0 && int64_t(out.items.size()) >= want) {
      // Is there anything after the last returned item?
      if (!out.items.empty()) cursor = out.items.back().key;
      storage::ListOptions probe;
      probe.prefix = prefix;
      probe.start_after = cursor;
      probe.limit = 1;
      probe.revision = revision;
      auto rest = store_->List(probe);
      more = rest.ok() && !rest->items.empty();
      if (more && request.label_selector.empty() && request.field_selector.empty()) {
        // The probe's own item plus what the store counted after it.
        const int64_t probed = static_cast<int64_t>(rest->items.size());
        out.remaining = rest->remaining > 0 ? probed + rest->remaining : (rest->more ? -1 : probed);
      }
      break;
    }
    if (revision == 0 && page->revision != 0 && opts.limit == 0) break;
  }
  out.revision = revision != 0 ? revision : snapshot;
  if (out.revision == 0) out.revision = store_->Revision();
  if (more && !out.items.empty()) {
    out.continue_token =
        EncodeContinueToken({out.revision, out.items.back().key.substr(prefix.size())});
  }
  return out;
}

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
  storage::ValueFn encode = EncodeWithRevision(std::move(body));
  std::string stored;
  auto rev = store_->Create(ObjectKey(kind, ns, name), [&](int64_t revision) {
    stored = encode(revision);
    return stored;
  });
  if (!rev.ok()) return MapStorageError(kind, name, rev.status());
  result.object = std::make_shared<const std::string>(std::move(stored));
  return result;
}

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
      storage::ValueFn encode = EncodeWithRevision(next);
      std::string stored;
      auto rev = store_->Delete(key, kv->mod_revision, [&](int64_t revision) {
        stored = encode(revision);
        return stored;
      });
      if (!rev.ok() && rev.status().code() == StatusCode::kConflict) continue;
      if (!rev.ok()) return MapStorageError(kind, name, rev.status());
      result.object = std::make_shared<const std::string>(std::move(stored));
      return result;
    }
    storage::ValueFn encode = EncodeWithRevision(std::move(next));
    std::string stored;
    auto rev = store_->Update(key, kv->mod_revision, [&](int64_t revision) {
      stored = encode(revision);
      return stored;
    });
    if (!rev.ok() && rev.status().code() == StatusCode::kConflict) continue;  // lost a race
    if (!rev.ok()) return MapStorageError(kind, name, rev.status());
    result.object = std::make_shared<const std::string>(std::move(stored));
    return result;
  }
  return ConflictStatus(kind, name, "too many concurrent updates; please try again");
}

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
      storage::ValueFn encode = EncodeWithRevision(std::move(next));
      std::string stored;
      auto rev = store_->Update(key, kv->mod_revision, [&](int64_t revision) {
        stored = encode(revision);
        return stored;
      });
      if (!rev.ok() && rev.status().code() == StatusCode::kConflict) continue;
      if (!rev.ok()) return MapStorageError(kind, name, rev.status());
      r.object = std::make_shared<const std::string>(std::move(stored));
      return r;
    }

    WriteResult r;
    if (dry_run) {
      r.object = kv->value;
      return r;
    }
    storage::ValueFn encode = EncodeWithRevision(std::move(current));
    std::string stored;
    auto rev = store_->Delete(key, kv->mod_revision, [&](int64_t revision) {
      stored = encode(revision);
      return stored;
    });
    if (!rev.ok() && rev.status().code() == StatusCode::kConflict) continue;
    if (!rev.ok()) return MapStorageError(kind, name, rev.status());
    r.object = std::make_shared<const std::string>(std::move(stored));
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
