// RecordUpdate and Apply: ownership bookkeeping on every write, and server-side apply.
#include "api/managedfields/managed_fields.h"

#include <algorithm>

#include "api/managedfields/field_walk.h"
#include "api/managedfields/internal/conflict.h"
#include "api/managedfields/internal/merge.h"

namespace haru::api::managedfields {

namespace {

constexpr const char* kApply = "Apply";
constexpr const char* kUpdate = "Update";
// Upstream's owner of the fields an object had before its first apply.
constexpr const char* kBeforeFirstApply = "before-first-apply";

// Fields nobody owns: the ones the server sets (upstream's StripMetaManager), and those the
// written (sub)resource resets (GetResetFields).
FieldSet ScopeToOperation(FieldSet set, const Operation& op) {
  set.children.erase("f:apiVersion");
  set.children.erase("f:kind");
  auto meta = set.children.find("f:metadata");
  if (meta != set.children.end()) {
    meta->second.member = false;
    for (const char* f : {"f:name", "f:namespace", "f:creationTimestamp", "f:selfLink", "f:uid",
                          "f:clusterName", "f:generation", "f:managedFields", "f:resourceVersion",
                          "f:deletionTimestamp", "f:deletionGracePeriodSeconds"}) {
      meta->second.children.erase(f);
    }
  }
  if (op.has_status_subresource) {
    if (op.subresource == "status") {
      auto status = set.children.find("f:status");
      FieldSet only;
      if (status != set.children.end()) only.children.emplace(status->first, status->second);
      set = std::move(only);
    } else {
      set.children.erase("f:status");
    }
  }
  Compact(set);
  return set;
}

bool IsEntryOf(const ManagedFieldsEntry& e, const Operation& op, const char* operation) {
  return e.manager == op.manager && e.operation == operation && e.subresource == op.subresource &&
         (e.operation == std::string(kApply) || e.api_version == op.api_version);
}

// Upstream's decodeLiveOrNew: the writer's own managedFields win when it set some (an empty
// list, or a list of one empty entry, resets them); otherwise the live object's are kept, so
// clients unaware of managedFields cannot drop them.
std::vector<ManagedFieldsEntry> EntriesForUpdate(const Json* live, const Json& next,
                                                 const Operation& op) {
  if (op.subresource.empty()) {
    auto meta = next.find("metadata");
    if (meta != next.end() && meta->is_object()) {
      auto list = meta->find("managedFields");
      if (list != meta->end() && list->is_array()) {
        if (list->empty() || (list->size() == 1 && (*list)[0].is_object() && (*list)[0].empty())) {
          return {};
        }
        auto decoded = DecodeManagedFields(next);
        if (decoded.ok() && !decoded->empty()) return *std::move(decoded);
      }
    }
  }
  if (live == nullptr) return {};
  auto decoded = DecodeManagedFields(*live);
  return decoded.ok() ? *std::move(decoded) : std::vector<ManagedFieldsEntry>{};
}

void DropEmpty(std::vector<ManagedFieldsEntry>& entries) {
  std::erase_if(entries, [](const ManagedFieldsEntry& e) { return e.fields.empty(); });
}

}  // namespace

void RecordUpdate(const Json* live, Json& next, const Schema* schema, const Operation& op) {
  std::vector<ManagedFieldsEntry> entries = EntriesForUpdate(live, next, op);
  Comparison c = Compare(live, next, schema);
  FieldSet changed = ScopeToOperation(Union(c.added, c.modified), op);
  FieldSet removed = ScopeToOperation(std::move(c.removed), op);
  ManagedFieldsEntry* self = nullptr;
  for (ManagedFieldsEntry& e : entries) {
    if (IsEntryOf(e, op, kUpdate)) {
      self = &e;
      e.fields = Difference(e.fields, removed);
    } else {
      e.fields = Difference(Difference(e.fields, changed), removed);
    }
  }
  if (!changed.empty() && !op.manager.empty()) {
    if (self == nullptr) {
      self = &entries.emplace_back();
      self->manager = op.manager;
      self->operation = kUpdate;
      self->subresource = op.subresource;
    }
    self->api_version = op.api_version;
    self->time = op.time;
    self->fields = Union(self->fields, changed);
  }
  DropEmpty(entries);
  EncodeManagedFields(std::move(entries), next);
}

StatusOr<Json> Apply(const Json* live, Json config, const Schema* schema, const Operation& op,
                     bool force) {
  if (!config.is_object()) return Status::BadRequest("the applied configuration must be an object");
  internal::DropNulls(config);
  if (config.contains("metadata") && config["metadata"].is_object() &&
      config["metadata"].contains("managedFields")) {
    return Status::BadRequest("metadata.managedFields must be nil");
  }
  Json current = live != nullptr ? *live : Json::object();
  std::vector<ManagedFieldsEntry> entries;
  if (live != nullptr) {
    auto decoded = DecodeManagedFields(*live);
    if (decoded.ok()) entries = *std::move(decoded);
  }
  if (current.contains("metadata") && current["metadata"].is_object()) {
    current["metadata"].erase("managedFields");
  }
  if (live != nullptr && entries.empty()) {
    // An object no write has tracked yet: its fields become one manager's, so that apply
    // can neither silently take them nor silently drop them.
    FieldSet existing = ScopeToOperation(Compare(nullptr, current, schema).added, op);
    if (!existing.empty()) {
      entries.push_back({kBeforeFirstApply, kUpdate, op.api_version, op.time, op.subresource,
                         std::move(existing)});
    }
  }

  const internal::Type root = internal::RootType(schema);
  Json merged = internal::Merge(&current, config, root);
  FieldSet applied = ScopeToOperation(FieldsOf(config, schema), op);
  auto self = std::find_if(entries.begin(), entries.end(),
                           [&](const ManagedFieldsEntry& e) { return IsEntryOf(e, op, kApply); });
  if (self == entries.end()) {
    entries.push_back({op.manager, kApply, op.api_version, "", op.subresource, FieldSet()});
    self = entries.end() - 1;
  }
  FieldSet last = std::move(self->fields);
  self->fields = applied;
  self->api_version = op.api_version;
  const size_t self_index = self - entries.begin();
  if (!last.empty()) {
    FieldSet owned;
    for (const ManagedFieldsEntry& e : entries) owned = Union(owned, e.fields);
    internal::Prune(merged, root, last, &owned);
  }

  Comparison c = Compare(&current, merged, schema);
  FieldSet changed = ScopeToOperation(Union(c.added, c.modified), op);
  FieldSet removed = ScopeToOperation(std::move(c.removed), op);
  std::vector<internal::Conflict> conflicts;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i == self_index) continue;
    FieldSet taken = Intersection(entries[i].fields, changed);
    for (std::string& path : MemberPaths(taken)) {
      conflicts.push_back({internal::PrintManager(entries[i]), std::move(path)});
    }
  }
  if (!conflicts.empty() && !force) return internal::ConflictError(std::move(conflicts));
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i == self_index) continue;
    entries[i].fields = Difference(Difference(entries[i].fields, changed), removed);
  }
  if (merged != current) entries[self_index].time = op.time;
  DropEmpty(entries);
  EncodeManagedFields(std::move(entries), merged);
  return merged;
}

}  // namespace haru::api::managedfields
