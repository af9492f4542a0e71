// meta/v1 shapes shared by every kind (ObjectMeta, ListMeta, Status, Condition, ...).
// Format: see api/schema/declarations.h. Facts (names, types, merge keys, list types,
// enums) follow k8s.io/api v0.36.0; descriptions are haru's own.

#include "api/types/builtin_types.h"

namespace haru::api::types {

std::string_view MetaV1Declarations() {
  return R"decl(
package io.k8s.apimachinery.pkg.apis.meta.v1

type ObjectMeta "Metadata every persisted object has: identity, labels, annotations, ownership and bookkeeping."
  name                       string proto=1
      "The object's name, unique within its namespace (or cluster-wide for cluster-scoped kinds). Cannot be changed."
  generateName               string proto=2 "A prefix from which the server generates a unique name when name is empty."
  namespace                  string proto=3 "The namespace of the object. Empty for cluster-scoped kinds."
  selfLink                   string proto=4 "Deprecated; never set."
  uid                        string proto=5 "A unique ID the server assigns when the object is created. Read-only."
  resourceVersion            string proto=6
      "An opaque version of the object, changed on every write; used for optimistic concurrency and watches. Read-only."
  generation                 int64 proto=7 "A counter of changes to the desired state. Set by the system; read-only."
  creationTimestamp          time proto=8 "When the object was created (RFC 3339, UTC). Set by the server; read-only."
  deletionTimestamp          time proto=9 "When the object will be removed, set when deletion was requested. Read-only."
  deletionGracePeriodSeconds int64 proto=10 "The grace period in seconds granted for the pending deletion. Read-only."
  labels                     map[string]string proto=11 "Key-value pairs used to select and group objects."
  annotations                map[string]string proto=12
      "Arbitrary non-identifying key-value metadata for tools and controllers."
  ownerReferences            []OwnerReference proto=13     merge=uid strategy=merge listType=map keys=uid
      "Objects this object depends on; it is garbage collected when all owners are gone."
  finalizers                 []string proto=14             strategy=merge listType=set
      "Tasks that must finish (and remove their entry) before the object is deleted from storage."
  managedFields              []ManagedFieldsEntry proto=17 listType=atomic
      "Which field manager owns which fields, for server-side apply."

type ListMeta "Metadata of a list response."
  selfLink           string proto=1
  resourceVersion    string proto=2 "The version of the collection the list was read at; watch from here."
  continue           string proto=3 "A token for fetching the next chunk of a paginated list."
  remainingItemCount int64 proto=4 "An estimate of the items not yet returned in a paginated list."
  shardInfo          ShardInfo proto=5

type OwnerReference "Identifies an owner of an object."
  apiVersion         string proto=5 required
  kind               string proto=1 required
  name               string proto=3 required
  uid                string proto=4 required
  controller         bool proto=6
  blockOwnerDeletion bool proto=7

type ManagedFieldsEntry
  manager     string proto=1
  operation   string proto=2
  apiVersion  string proto=3
  time        time proto=4
  fieldsType  string proto=6
  fieldsV1    any proto=7
  subresource string proto=8

type LabelSelector "A label query. Its matchLabels and matchExpressions are ANDed; an empty selector matches everything."
  matchLabels      map[string]string proto=1
  matchExpressions []LabelSelectorRequirement proto=2 listType=atomic

type LabelSelectorRequirement
  key      string proto=1   required
  operator string proto=2   required
  values   []string proto=3 listType=atomic

type Status gvk=v1/Status "The result of an operation that returns no object, usually an error."
  apiVersion string
  kind       string proto=5.3
  metadata   ListMeta proto=1
  status     string proto=2
  message    string proto=3
  reason     string proto=4
  details    StatusDetails proto=5
  code       int32 proto=6

type StatusDetails
  name              string proto=1
  group             string proto=2
  kind              string proto=3
  uid               string proto=6
  causes            []StatusCause proto=4 listType=atomic
  retryAfterSeconds int32 proto=5

type StatusCause
  reason  string proto=1
  message string proto=2
  field   string proto=3

type Condition "One aspect of an object's current state."
  type               string proto=1 required
  status             string proto=2 required
  observedGeneration int64 proto=3
  lastTransitionTime time proto=4   required
  reason             string proto=5 required
  message            string proto=6 required

type DeleteOptions
  apiVersion                                       string
  kind                                             string
  gracePeriodSeconds                               int64 proto=1
  preconditions                                    Preconditions proto=2
  orphanDependents                                 bool proto=3
  propagationPolicy                                string proto=4
  dryRun                                           []string proto=5      listType=atomic
  ignoreStoreReadErrorWithClusterBreakingPotential bool proto=6

type Preconditions
  uid             string proto=1
  resourceVersion string proto=2

type ShardInfo
  selector string proto=1 required
)decl";
}

}  // namespace haru::api::types
