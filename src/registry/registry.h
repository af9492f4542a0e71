#pragma once
// The generic registry: every verb of every kind, driven by KindSpec declarations, on top of a
// storage::Store (the watch cache). It is upstream's generic Store plus the kind strategies:
// system metadata, defaulting, validation, admission, optimistic concurrency, graceful and
// finalizer-driven deletion. Handlers and in-process clients (controllers) both call it, so
// nothing goes around validation or admission.
//
// Thread-safe: all methods may be called concurrently.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/kind_spec.h"
#include "common/json.h"
#include "common/selectors/field_selector.h"
#include "common/selectors/label_selector.h"
#include "storage/store.h"

namespace haru::registry {

enum class FieldValidation { kIgnore, kWarn, kStrict };

// Per-request options and outputs shared by the write verbs.
struct WriteOptions {
  bool dry_run = false;
  FieldValidation field_validation = FieldValidation::kWarn;
  // The manager recorded in metadata.managedFields (the fieldManager parameter, else the
  // User-Agent's product); "" records no entry of its own.
  std::string field_manager;
  // A server-side apply: the handler's apply already set managedFields (an Apply entry), so
  // the write records no Update entry.
  bool apply = false;
  std::string user;                   // authenticated user name (audit, admission)
  std::vector<std::string> warnings;  // out: Warning headers
};

struct WriteResult {
  storage::Bytes object;  // the object as stored (or as it would be, for dry-run)
  bool created = false;   // 201 instead of 200
};

struct DeleteOptions {
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;  // "", "Orphan", "Background", "Foreground"
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
};

struct ListRequest {
  LabelSelector label_selector;
  FieldSelector field_selector;
  int64_t limit = 0;
  std::string continue_token;
  std::string resource_version;        // "", "0", or a number
  std::string resource_version_match;  // "", "Exact", "NotOlderThan"
};

struct ListResult {
  std::vector<storage::KeyValue> items;
  int64_t revision = 0;
  std::string continue_token;
  int64_t remaining = -1;  // -1 = unknown / not set
};

// One admission check on writes (a seam for the admission chain). Runs after validation,
// before storage. Returning a non-OK Status rejects the request.
struct AdmissionAttributes {
  const api::KindSpec* kind;
  std::string operation;  // CREATE, UPDATE, DELETE
  std::string ns;
  std::string name;
  std::string subresource;
  const Json* object;      // null on DELETE
  const Json* old_object;  // null on CREATE
  bool dry_run;
};
using AdmissionCheck = std::function<Status(const AdmissionAttributes&)>;
// Mutating step run before validation on create/update (e.g. ServiceAccount defaulting, ClusterIP
// allocation). May modify obj.
using MutationStep = std::function<Status(const api::KindSpec&, const std::string& operation,
                                          Json& obj, const Json* old, bool dry_run)>;

class Registry {
 public:
  explicit Registry(storage::Store* store);
  ~Registry();

  void AddAdmission(AdmissionCheck check);
  void AddMutation(MutationStep step);

  // Reads.
  StatusOr<storage::KeyValue> Get(const api::KindSpec& kind, const std::string& ns,
                                  const std::string& name);
  StatusOr<ListResult> List(const api::KindSpec& kind, const std::string& ns,
                            const ListRequest& request);
  // Whether an object's index passes the request's selectors (also used by watch).
  static StatusOr<std::function<bool(const storage::KeyValue&)>> MakeFilter(
      const api::KindSpec& kind, const LabelSelector& labels, const FieldSelector& fields);

  // Writes. `body` is the decoded request object.
  StatusOr<WriteResult> Create(const api::KindSpec& kind, const std::string& ns, Json body,
                               WriteOptions& options);
  StatusOr<WriteResult> Update(const api::KindSpec& kind, const std::string& ns,
                               const std::string& name, const std::string& subresource, Json body,
                               WriteOptions& options);
  // Read-modify-write with retries on conflict: `mutate` gets the current object and returns
  // the desired one (patch, in-process clients). `create_if_missing` lets server-side apply
  // create the object (mutate then gets null).
  using MutateFn = std::function<StatusOr<Json>(const Json* current)>;
  StatusOr<WriteResult> GuaranteedUpdate(const api::KindSpec& kind, const std::string& ns,
                                         const std::string& name, const std::string& subresource,
                                         const MutateFn& mutate, WriteOptions& options,
                                         bool create_if_missing = false);
  StatusOr<WriteResult> Delete(const api::KindSpec& kind, const std::string& ns,
                               const std::string& name, const DeleteOptions& options,
                               WriteOptions& write_options);
  // Deletes every object the request selects; returns them.
  StatusOr<std::vector<storage::Bytes>> DeleteCollection(const api::KindSpec& kind,
                                                         const std::string& ns,
                                                         const ListRequest& request,
                                                         const DeleteOptions& options,
                                                         WriteOptions& write_options);

  storage::Store* store() { return store_; }

 private:
  struct Impl;
  storage::Store* store_;
  std::unique_ptr<Impl> impl_;
};

// `pods "p1" not found` etc., with details {name, group, kind: plural}, as upstream.
Status NotFoundStatus(const api::KindSpec& kind, std::string_view name);
Status AlreadyExistsStatus(const api::KindSpec& kind, std::string_view name);
Status ConflictStatus(const api::KindSpec& kind, std::string_view name, std::string_view why);
// 504 "Timeout: Too large resource version: <requested>, current: <current>" with upstream's
// ResourceVersionTooLarge cause and retryAfterSeconds 1.
Status TooLargeResourceVersion(int64_t requested, int64_t current);

}  // namespace haru::registry
