#pragma once
// KindSpec declares one served kind: identity, scope, schema, hooks and output. The generic
// registry (src/registry) runs every verb from these declarations, so adding a kind is one
// <kind>.cc plus one line in its group's register.cc, and no handler changes.
// A hook left null means the default behaviour. Specs are immutable after registration.

#include <functional>
#include <string>
#include <vector>

#include "api/meta/field_errors.h"
#include "api/schema/schema.h"
#include "common/json.h"

namespace haru::api {

enum class Scope { kNamespaced, kCluster };

// One column of the kind's Table output (`kubectl get`). cell returns the cell value (string,
// integer, ...). priority 0 is always shown; 1 only with `-o wide`.
struct TableColumn {
  std::string name;         // "Name", "Ready", "Status", "Age"
  std::string type;         // "string", "integer", "date", ...
  std::string format;       // "name" for the name column, else ""
  std::string description;
  int priority = 0;
  std::function<Json(const Json& object)> cell;
};

// A field usable in fieldSelector (besides metadata.name and metadata.namespace, which every
// kind has). value returns the field's string form, "" when unset.
// json_path, when set, lets the watch cache's index read the field in its streaming pass
// without building the object: a dotted path of object keys ("spec.nodeName") whose value is
// the string there ("" when absent or not a string) or, with json_bool, "true"/"false" (true
// only for JSON true). It must agree with value; fields without a path are computed by value.
struct SelectableField {
  std::string name;  // "spec.nodeName"
  std::function<std::string(const Json& object)> value;
  std::string json_path = {};
  bool json_bool = false;
};

struct Subresource {
  std::string name;  // "status", "binding", "scale", ...
};

// How metadata.name is validated (upstream's ValidateNameFunc per kind).
enum class NameRule {
  kDnsSubdomain,  // most kinds (ConfigMap, Pod, Secret, Node, ...)
  kDnsLabel,      // Namespace, Service
  kPathSegment,   // only "may not be '.' or '..' and may not contain '/' or '%'" (Event, ...)
};

struct KindSpec {
  // Identity.
  GroupVersionKind gvk;
  std::string plural;    // "pods"
  std::string singular;  // "pod"
  std::vector<std::string> short_names;  // {"po"}
  std::vector<std::string> categories;   // {"all"}
  Scope scope = Scope::kNamespaced;
  // Default: get list watch create update patch delete deletecollection.
  std::vector<std::string> verbs;
  NameRule name_rule = NameRule::kDnsSubdomain;
  // The definition name of the kind's schema, e.g. "io.k8s.api.core.v1.Pod".
  std::string schema;

  // The status subresource: writes to the main resource keep the old status, writes to
  // /status keep everything but status (and metadata labels/annotations may change).
  bool has_status = false;
  // Bumps metadata.generation when anything outside metadata/status changes.
  bool tracks_generation = false;
  std::vector<Subresource> extra_subresources;  // e.g. {"binding"} for pods

  // Hooks, run by the registry in upstream's order (Store.Create / Store.Update):
  //   create: system metadata -> prepare_for_create -> default_fields -> validate
  //           -> ObjectMeta validation -> admission -> store
  //   update: prepare_for_update -> default_fields -> validate_update -> ... -> store
  // prepare hooks may mutate; validate hooks only read.
  std::function<void(Json& obj)> prepare_for_create;
  std::function<void(Json& obj, const Json& old)> prepare_for_update;
  std::function<void(Json& obj)> default_fields;
  std::function<FieldErrors(const Json& obj)> validate;
  std::function<FieldErrors(const Json& obj, const Json& old)> validate_update;
  // Warnings for the Warning header (deprecations). old is null on create.
  std::function<std::vector<std::string>(const Json& obj, const Json* old)> warnings;
  // Status subresource variants (default: keep old spec, validate nothing extra).
  std::function<void(Json& obj, const Json& old)> prepare_for_status_update;
  std::function<FieldErrors(const Json& obj, const Json& old)> validate_status_update;

  // Output and lookup.
  // The complete Table columns in upstream order, Name first (see api/meta/columns.h helpers).
  std::vector<TableColumn> columns;
  std::vector<SelectableField> selectable_fields;
};

}  // namespace haru::api
