#pragma once
// A set of field paths in one object, as structured-merge-diff's fieldpath.Set, with the
// FieldsV1 JSON encoding upstream stores in metadata.managedFields[].fieldsV1:
//   {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:data": {"f:key": {}}}
// Keys name path elements: "f:<field>" (struct field or map key), "k:<json object>" (an
// item of a list-map, by its key fields), "v:<json value>" (an item of a set), "i:<n>" (an
// index; haru never produces it, but decodes it). "." marks the node's own path as a member
// when it also has children; a member without children is encoded as {}.
// Plain values: no locking, copyable.

#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace haru::api::managedfields {

struct FieldSet {
  bool member = false;                       // this node's own path is in the set
  std::map<std::string, FieldSet> children;  // by path element key ("f:name", "k:{...}")

  bool empty() const { return !member && children.empty(); }
  bool operator==(const FieldSet&) const = default;
};

FieldSet Union(const FieldSet& a, const FieldSet& b);
FieldSet Intersection(const FieldSet& a, const FieldSet& b);
// Members of `a` that are not members of `b`.
FieldSet Difference(const FieldSet& a, const FieldSet& b);
// Drops child nodes that hold no member (after edits in place).
void Compact(FieldSet& set);

// The FieldsV1 object of a set whose root is the object itself (the root is never a member).
Json ToFieldsV1(const FieldSet& set);
StatusOr<FieldSet> FromFieldsV1(const Json& fields);

// Every member as upstream prints a fieldpath.Path: `.spec.replicas`,
// `.spec.containers[name="c"].image`, `.metadata.finalizers[="x"]`, in set order.
std::vector<std::string> MemberPaths(const FieldSet& set);

}  // namespace haru::api::managedfields
