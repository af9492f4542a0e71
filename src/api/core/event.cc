// core/v1 Event (pkg/registry/core/event) and the validation and printing shared with
// events.k8s.io/v1.

#include <algorithm>
#include <cctype>

#include "api/core/core.h"
#include "api/core/event_common.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"

namespace haru::api::core {

namespace {

constexpr size_t kReportingInstanceLengthLimit = 128;
constexpr size_t kActionLengthLimit = 128;
constexpr size_t kReasonLengthLimit = 128;
constexpr size_t kNoteLengthLimit = 1024;

bool IsSetTime(const Json& e, std::string_view key) {
  const Json* v = FindPath(e, {key});
  return v && v->is_string() && !v->get<std::string>().empty();
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Json Identity(const Json& o) { return o; }

}  // namespace

FieldErrors ValidateEventShape(const Json& e, bool strict, const char* reporting_field) {
  FieldErrors errs;
  std::string ns = GetString(e, {"metadata", "namespace"});
  std::string involved_ns = GetString(e, {"involvedObject", "namespace"});
  if (!IsSetTime(e, "eventTime")) {
    if (involved_ns.empty()) {
      if (!ns.empty() && ns != "default") {
        errs.push_back(InvalidString("involvedObject.namespace", involved_ns,
                                     "does not match event.namespace"));
      }
    } else if (ns != involved_ns) {
      errs.push_back(InvalidString("involvedObject.namespace", involved_ns,
                                   "does not match event.namespace"));
    }
  } else {
    if (involved_ns.empty() && ns != "default" && ns != "kube-system") {
      errs.push_back(InvalidString("involvedObject.namespace", involved_ns,
                                   "does not match event.namespace"));
    }
    std::string controller = GetString(e, {"reportingComponent"});
    if (controller.empty()) errs.push_back(Required(reporting_field));
    Append(errs, InvalidEach(reporting_field, controller, IsQualifiedName(controller)));
    std::string instance = GetString(e, {"reportingInstance"});
    if (instance.empty()) errs.push_back(Required("reportingInstance"));
    if (instance.size() > kReportingInstanceLengthLimit) {
      errs.push_back(InvalidString("reportingInstance", "", "can have at most 128 characters"));
    }
    std::string action = GetString(e, {"action"});
    if (action.empty()) errs.push_back(Required("action"));
    if (action.size() > kActionLengthLimit) {
      errs.push_back(InvalidString("action", "", "can have at most 128 characters"));
    }
    std::string reason = GetString(e, {"reason"});
    if (reason.empty()) errs.push_back(Required("reason"));
    if (reason.size() > kReasonLengthLimit) {
      errs.push_back(InvalidString("reason", "", "can have at most 128 characters"));
    }
    if (GetString(e, {"message"}).size() > kNoteLengthLimit) {
      errs.push_back(InvalidString("message", "", "can have at most 1024 characters"));
    }
  }
  Append(errs, InvalidEach("namespace", ns, IsDns1123Subdomain(ns)));
  if (!strict) return errs;
  Append(errs, ValidateObjectMeta(e, true, NameRule::kDnsSubdomain));
  if (const Json* series = FindPath(e, {"series"}); series && series->is_object()) {
    if (GetInt(*series, {"count"}) < 2) {
      errs.push_back(InvalidString("series.count", "", "should be at least 2"));
    }
    if (!IsSetTime(*series, "lastObservedTime")) errs.push_back(Required("series.lastObservedTime"));
  }
  if (!IsSetTime(e, "eventTime")) errs.push_back(Required("eventTime"));
  std::string type = GetString(e, {"type"});
  if (type != "Normal" && type != "Warning") {
    errs.push_back(InvalidString("type", "", "has invalid value: " + type));
  }
  if (IsSetTime(e, "firstTimestamp")) errs.push_back(InvalidString("firstTimestamp", "", "needs to be unset"));
  if (IsSetTime(e, "lastTimestamp")) errs.push_back(InvalidString("lastTimestamp", "", "needs to be unset"));
  if (GetInt(e, {"count"}) != 0) errs.push_back(InvalidString("count", "", "needs to be unset"));
  if (!GetString(e, {"source", "component"}).empty() || !GetString(e, {"source", "host"}).empty()) {
    errs.push_back(InvalidString("source", "", "needs to be unset"));
  }
  return errs;
}

std::vector<TableColumn> EventColumns(std::function<Json(const Json&)> to_core) {
  auto first_seen = [](const Json& e) {
    if (IsSetTime(e, "firstTimestamp")) return TranslateTimestampSince(FindPath(e, {"firstTimestamp"}));
    return TranslateTimestampSince(FindPath(e, {"eventTime"}));
  };
  auto last_seen = [first_seen](const Json& e) {
    if (const Json* s = FindPath(e, {"series"}); s && s->is_object()) {
      return TranslateTimestampSince(FindPath(*s, {"lastObservedTime"}));
    }
    if (IsSetTime(e, "lastTimestamp")) return TranslateTimestampSince(FindPath(e, {"lastTimestamp"}));
    return first_seen(e);
  };
  auto cell = [to_core](std::function<Json(const Json&)> f) {
    return [to_core, f](const Json& o) { return f(to_core(o)); };
  };
  return {
      {"Last Seen", "string", "", "The time at which the most recent occurrence of this event was recorded.", 0,
       cell([last_seen](const Json& e) { return Json(last_seen(e)); })},
      {"Type", "string", "", "Type of this event (Normal, Warning), new types could be added in the future", 0,
       cell([](const Json& e) { return Json(GetString(e, {"type"})); })},
      {"Reason", "string", "",
       "This should be a short, machine understandable string that gives the reason for the "
       "transition into the object's current status.",
       0, cell([](const Json& e) { return Json(GetString(e, {"reason"})); })},
      {"Object", "string", "", "The object that this event is about.", 0,
       cell([](const Json& e) {
         std::string kind = Lower(GetString(e, {"involvedObject", "kind"}));
         std::string name = GetString(e, {"involvedObject", "name"});
         return Json(name.empty() ? kind : kind + "/" + name);
       })},
      {"Subobject", "string", "",
       "If referring to a piece of an object instead of an entire object, this string should "
       "contain a valid JSON/Go field access statement, such as "
       "desiredState.manifest.containers[2].",
       1, cell([](const Json& e) { return Json(GetString(e, {"involvedObject", "fieldPath"})); })},
      {"Source", "string", "", "The component reporting this event. Should be a short machine understandable string.", 1,
       cell([](const Json& e) {
         std::string component = GetString(e, {"source", "component"});
         if (component.empty()) component = GetString(e, {"reportingComponent"});
         std::string host = GetString(e, {"source", "host"});
         if (host.empty()) host = GetString(e, {"reportingInstance"});
         return Json(host.empty() ? component : component + ", " + host);
       })},
      {"Message", "string", "", "A human-readable description of the status of this operation.", 0,
       cell([](const Json& e) {
         std::string m = GetString(e, {"message"});
         size_t b = m.find_first_not_of(" \t\n\r");
         size_t en = m.find_last_not_of(" \t\n\r");
         return Json(b == std::string::npos ? "" : m.substr(b, en - b + 1));
       })},
      {"First Seen", "string", "", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1,
       cell([first_seen](const Json& e) { return Json(first_seen(e)); })},
      {"Count", "string", "", "The number of times this event has occurred.", 1,
       cell([](const Json& e) {
         if (const Json* s = FindPath(e, {"series"}); s && s->is_object()) {
           return Json(GetInt(*s, {"count"}));
         }
         int64_t count = GetInt(e, {"count"});
         return Json(count == 0 ? 1 : count);
       })},
      {"Name", "string", "name", kNameColumnDescription, 1,
       cell([](const Json& e) { return Json(GetString(e, {"metadata", "name"})); })},
  };
}

std::vector<SelectableField> EventSelectableFields(std::function<Json(const Json&)> to_core) {
  auto field = [to_core](std::string name, std::string a, std::string b) {
    return SelectableField{std::move(name), [to_core, a, b](const Json& o) {
                             Json e = to_core(o);
                             return b.empty() ? GetString(e, {a}) : GetString(e, {a, b});
                           }};
  };
  std::vector<SelectableField> out;
  for (const char* f : {"kind", "namespace", "name", "uid", "apiVersion", "resourceVersion",
                        "fieldPath"}) {
    out.push_back(field(std::string("involvedObject.") + f, "involvedObject", f));
  }
  out.push_back(field("reason", "reason", ""));
  out.push_back(field("reportingComponent", "reportingComponent", ""));
  out.push_back(field("source", "source", "component"));
  out.push_back(field("type", "type", ""));
  return out;
}

const KindSpec& EventKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"", "v1", "Event"};
    s.plural = "events";
    s.singular = "event";
    s.short_names = {"ev"};
    s.name_rule = NameRule::kPathSegment;
    s.schema = "io.k8s.api.core.v1.Event";
    s.validate = [](const Json& e) {
      return ValidateEventShape(e, /*strict=*/false, "reportingComponent");
    };
    s.validate_update = [](const Json& e, const Json& old) {
      FieldErrors errs = ValidateObjectMetaUpdate(e, old);
      Append(errs, ValidateEventShape(e, false, "reportingComponent"));
      return errs;
    };
    s.columns = EventColumns(&Identity);
    s.selectable_fields = EventSelectableFields(&Identity);
    // core/v1 Events need no conversion: each field is the plain path of its name.
    for (SelectableField& f : s.selectable_fields) {
      f.json_path = f.name == "source" ? "source.component" : f.name;
    }
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::core
