#pragma once
// metadata.managedFields: who owns which fields of an object, kept on every write, and
// server-side apply on top of it. Upstream's k8s.io/apiserver fieldmanager over
// structured-merge-diff, as pure functions over Json and the kind's Schema:
//   - RecordUpdate: a create/update/patch by `manager` (operation Update) owns what it
//     added or changed; other managers lose those fields and the ones it removed.
//   - Apply: merges an applied configuration, removes the fields the applier stopped
//     applying that nobody else owns, and reports conflicts with other managers' fields
//     unless forced.
// Stateless; safe to call concurrently.

#include <string>
#include <string_view>
#include <vector>

#include "api/managedfields/field_set.h"
#include "api/schema/schema.h"
#include "common/json.h"
#include "common/status.h"

namespace haru::api::managedfields {

// One write: who makes it, through which version and subresource, and when.
struct Operation {
  std::string manager;      // e.g. "kubectl-client-side-apply"; "" records no entry
  std::string api_version;  // of the resource written, e.g. "v1", "apps/v1"
  std::string subresource;  // "" or "status"
  std::string time;         // RFC 3339, stamped on the entry when the write changes the object
  // The kind has a status subresource: the main resource then does not own status, and the
  // status subresource owns only status (upstream's reset fields).
  bool has_status_subresource = false;
};

// One metav1.ManagedFieldsEntry.
struct ManagedFieldsEntry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string time;
  std::string subresource;
  FieldSet fields;
};

// Decodes metadata.managedFields; an entry that is not valid fails the whole list.
StatusOr<std::vector<ManagedFieldsEntry>> DecodeManagedFields(const Json& obj);
// Sets metadata.managedFields, in upstream's order (Apply before Update, then by time and
// manager); removes it when there is no entry.
void EncodeManagedFields(std::vector<ManagedFieldsEntry> entries, Json& obj);

// Records an Update by op.manager that turned `live` (null on create) into `next`, into
// next's metadata.managedFields. As upstream, the entries come from `next` when its writer
// set them (an empty list resets them), else from `live`.
void RecordUpdate(const Json* live, Json& next, const Schema* schema, const Operation& op);

// Server-side apply of `config` (the decoded apply-patch) onto `live` (null: the object does
// not exist yet). Returns the new object with its managedFields. A conflict with another
// manager's field is a 409 Conflict naming each one, unless `force` takes them over.
StatusOr<Json> Apply(const Json* live, Json config, const Schema* schema, const Operation& op,
                     bool force);

// The default manager of a request without fieldManager: the User-Agent up to its first
// "/", printable characters only, at most 128 bytes ("kubectl/v1.36.3 (...)" -> "kubectl").
std::string ManagerFromUserAgent(std::string_view user_agent);

}  // namespace haru::api::managedfields
