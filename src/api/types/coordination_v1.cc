// coordination.k8s.io/v1 Lease.
// Format: see api/schema/declarations.h. Facts (names, types, merge keys, list types,
// enums) follow k8s.io/api v0.36.0; descriptions are haru's own.

#include "api/types/builtin_types.h"

namespace haru::api::types {

std::string_view CoordinationV1Declarations() {
  return R"decl(
package io.k8s.api.coordination.v1
use meta io.k8s.apimachinery.pkg.apis.meta.v1

type Lease gvk=coordination.k8s.io/v1/Lease "A Lease is a lightweight lock, used for leader election and node heartbeats."
  apiVersion string
  kind       string
  metadata   meta.ObjectMeta proto=1
  spec       LeaseSpec proto=2

type LeaseList gvk=coordination.k8s.io/v1/LeaseList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Lease proto=2       required

type LeaseSpec
  holderIdentity       string proto=1 "The identity of the current holder of the lease."
  leaseDurationSeconds int32 proto=2
      "How long, in seconds, other candidates wait after the last renewal before taking over."
  acquireTime          microtime proto=3 "When the current holder acquired the lease."
  renewTime            microtime proto=4 "When the current holder last renewed the lease."
  leaseTransitions     int32 proto=5 "How many times the lease changed holders."
  strategy             string proto=6
  preferredHolder      string proto=7
)decl";
}

}  // namespace haru::api::types
