// events.k8s.io/v1 Event.
// Format: see api/schema/declarations.h. Facts (names, types, merge keys, list types,
// enums) follow k8s.io/api v0.36.0; descriptions are haru's own.

#include "api/types/builtin_types.h"

namespace haru::api::types {

std::string_view EventsV1Declarations() {
  return R"decl(
package io.k8s.api.events.v1
use meta io.k8s.apimachinery.pkg.apis.meta.v1
use core io.k8s.api.core.v1

type Event gvk=events.k8s.io/v1/Event "A report of something that happened in the cluster (core/v1 form)."
  apiVersion               string
  kind                     string
  metadata                 meta.ObjectMeta proto=1
  eventTime                microtime proto=2            required
  series                   EventSeries proto=3
  reportingController      string proto=4
  reportingInstance        string proto=5
  action                   string proto=6
  reason                   string proto=7
  regarding                core.ObjectReference proto=8
  related                  core.ObjectReference proto=9
  note                     string proto=10
  type                     string proto=11
  deprecatedSource         core.EventSource proto=12
  deprecatedFirstTimestamp time proto=13
  deprecatedLastTimestamp  time proto=14
  deprecatedCount          int32 proto=15

type EventList gvk=events.k8s.io/v1/EventList
  apiVersion string
  kind       string
  metadata   meta.ListMeta proto=1
  items      []Event proto=2       required

type EventSeries
  count            int32 proto=1     required
  lastObservedTime microtime proto=2 required
)decl";
}

}  // namespace haru::api::types
