#pragma once
// The schema of every served type, declared once (src/api/<group>/*.types) and loaded into a
// SchemaRegistry. It drives OpenAPI v2/v3, `kubectl explain`, strict field validation
// (unknown fields) and strategic merge patch (merge keys and patch strategies).
// Immutable after loading; safe to share across threads.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace haru::api {

struct GroupVersionKind {
  std::string group;    // "" for core
  std::string version;  // "v1"
  std::string kind;     // "Pod"
  std::string GroupVersion() const { return group.empty() ? version : group + "/" + version; }
  bool operator==(const GroupVersionKind&) const = default;
};

enum class SchemaType {
  kObject,       // named properties
  kArray,        // items
  kMap,          // string keys -> additional_properties
  kString,
  kInteger,      // format int32 / int64
  kNumber,       // format double
  kBoolean,
  kIntOrString,  // x-kubernetes-int-or-string
  kQuantity,     // resource.Quantity: a string or a number on input, a string on output
  kTime,         // metav1.Time: RFC 3339 string
  kAny,          // x-kubernetes-preserve-unknown-fields (RawExtension, JSON)
};

struct Schema;

struct Field {
  std::string name;
  const Schema* schema = nullptr;
  std::string description;
  bool required = false;
  // Strategic merge patch, for arrays (and maps of structs):
  //   patch_strategy: "" (replace), "merge", "retainKeys", "merge,retainKeys"
  //   patch_merge_key: the key identifying list elements under "merge" (e.g. "name")
  std::string patch_strategy;
  std::string patch_merge_key;
  // Server-side apply list semantics: "atomic", "set", "map" ("" = atomic by default).
  std::string list_type;
  std::vector<std::string> list_map_keys;
  // The field number in upstream's generated.proto (0: the field has no protobuf form, e.g.
  // apiVersion/kind, which travel in the runtime.Unknown envelope instead).
  int proto_tag = 0;
  // Non-zero when Go embeds the field's struct (VolumeSource in Volume, ProbeHandler in Probe):
  // JSON flattens it, protobuf nests it, so the field is number proto_inner_tag inside the
  // message at proto_tag. Declared as proto=<outer>.<inner>.
  int proto_inner_tag = 0;
};

struct Schema {
  std::string name;  // definition name, e.g. "io.k8s.api.core.v1.PodSpec"; "" when inline
  SchemaType type = SchemaType::kAny;
  std::string format;  // "int32", "int64", "double", "byte", "date-time", ...
  std::string description;
  std::vector<Field> properties;                 // kObject
  const Schema* items = nullptr;                 // kArray
  const Schema* additional_properties = nullptr; // kMap
  std::vector<std::string> enum_values;          // strings allowed, when declared
  std::vector<GroupVersionKind> gvks;            // x-kubernetes-group-version-kind (top-level kinds)

  const Field* FindField(std::string_view field_name) const;
};

// Owns every schema. Lookup by definition name ("io.k8s.api.core.v1.Pod").
class SchemaRegistry {
 public:
  SchemaRegistry();
  ~SchemaRegistry();
  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

  const Schema* Find(std::string_view name) const;
  const std::map<std::string, const Schema*, std::less<>>& all() const { return by_name_; }

  // Building (done once at load time).
  Schema* Add(std::unique_ptr<Schema> schema);  // named schemas are indexed by name

 private:
  std::vector<std::unique_ptr<Schema>> owned_;
  std::map<std::string, const Schema*, std::less<>> by_name_;
};

// The registry of every built-in type, parsed from the declarations compiled into the binary.
// Parsed once, on first use.
const SchemaRegistry& BuiltinSchemas();

}  // namespace haru::api
