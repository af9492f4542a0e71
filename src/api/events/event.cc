// events.k8s.io/v1 Event (pkg/registry/events/event): stricter validation than core/v1,
// printed and selected with core/v1 field names, as upstream stores one internal Event.

#include "api/core/event_common.h"
#include "api/events/events.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::events {

Json ToCoreEvent(const Json& e) {
  Json out = Json::object();
  if (!e.is_object()) return out;
  static const std::pair<const char*, const char*> kRenames[] = {
      {"regarding", "involvedObject"},
      {"note", "message"},
      {"deprecatedSource", "source"},
      {"deprecatedFirstTimestamp", "firstTimestamp"},
      {"deprecatedLastTimestamp", "lastTimestamp"},
      {"deprecatedCount", "count"},
      {"reportingController", "reportingComponent"},
  };
  for (auto it = e.begin(); it != e.end(); ++it) {
    std::string key = it.key();
    for (const auto& [from, to] : kRenames) {
      if (key == from) key = to;
    }
    out[key] = *it;
  }
  return out;
}

const KindSpec& EventKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"events.k8s.io", "v1", "Event"};
    s.plural = "events";
    s.singular = "event";
    s.short_names = {"ev"};
    s.name_rule = NameRule::kDnsSubdomain;
    s.schema = "io.k8s.api.events.v1.Event";
    s.validate = [](const Json& e) {
      return core::ValidateEventShape(ToCoreEvent(e), /*strict=*/true, "reportingController");
    };
    s.validate_update = [](const Json& e, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(e, old);
      Append(errs, core::ValidateEventShape(ToCoreEvent(e), false, "reportingController"));
      // events.k8s.io/v1 makes everything but series, note, and metadata immutable.
      for (const char* key : {"eventTime", "action", "reason", "regarding", "related",
                              "reportingController", "reportingInstance", "type"}) {
        Append(errs, ValidateImmutableField(FindPath(e, {key}), FindPath(old, {key}), key));
      }
      return errs;
    };
    s.columns = core::EventColumns(&ToCoreEvent);
    s.selectable_fields = core::EventSelectableFields(&ToCoreEvent);
    return s;
  }();
  return kSpec;
}

void RegisterEventsKinds(std::vector<const KindSpec*>& out) { out.push_back(&EventKind()); }

}  // namespace haru::api::events
