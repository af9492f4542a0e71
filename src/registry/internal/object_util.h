#pragma once
// Helpers shared by the registry's verb files: metadata access on a full object, finalizer
// checks, no-op and generation detection, storage error mapping, and the one place that
// encodes an object with its revision and writes it.

#include <string>
#include <string_view>

#include "api/kind_spec.h"
#include "common/json.h"
#include "registry/registry.h"
#include "storage/store.h"

namespace haru::registry::internal {

// Optimistic-concurrency retries before a write gives up with 409.
inline constexpr int kMaxUpdateAttempts = 32;

Json& Meta(Json& obj);  // metadata, created when missing
std::string MetaString(const Json& obj, const char* field);
// metadata.finalizers, or (for Namespaces) spec.finalizers, is not empty.
bool HasFinalizers(const Json& obj);
void AddFinalizer(Json& obj, const std::string& finalizer);
// Upstream omits empty labels, annotations, finalizers and ownerReferences.
void DropEmptyMetadata(Json& obj);
StatusOr<Json> ParseStored(const storage::KeyValue& kv);
// Equal but for resourceVersion (a no-op write; an apply that only changes ownership still
// writes its managedFields, as upstream).
bool SameIgnoringVersion(Json a, Json b);
// Anything outside metadata and status differs (a generation bump).
bool SpecChanged(const Json& a, const Json& b);
// Storage codes to API statuses naming the resource and object.
// Records the write that turns `live` (null on create) into `obj` in obj's managedFields:
// an Update entry for options.field_manager, as upstream's fieldmanager does on every
// create, update and patch. Applies (recorded by their handler) and the binding/finalize
// subresources are left as they are.
void TrackManagedFields(const api::KindSpec& kind, const std::string& subresource,
                        const Json* live, Json& obj, const WriteOptions& options);
Status MapStorageError(const api::KindSpec& kind, std::string_view name, const Status& s);
Status ValidationFailure(const api::KindSpec& kind, const Json& obj, const api::FieldErrors& errs);

enum class CommitOp { kCreate, kUpdate, kDelete };
// Encodes obj with the write's revision as its resourceVersion and stores it (for kDelete, as
// the final state the DELETED event carries). Returns the stored bytes, or the storage error
// unchanged so callers can retry a kConflict.
StatusOr<storage::Bytes> CommitObject(storage::Store& store, CommitOp op, const std::string& key,
                                      int64_t expected_revision, Json obj);

}  // namespace haru::registry::internal
