// resource.k8s.io/v1beta2 DeviceTaintRule (pkg/registry/resource/devicetaintrule):
// cluster-scoped, status subresource, timeAdded defaulted and bumped when the effect changes.
// Served by default in haru (upstream: beta, off unless enabled with --runtime-config).

#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "api/resource/resource.h"
#include "api/resource/validation.h"

namespace haru::api::resource {

namespace {

FieldErrors ValidateRuleSpec(const Json& rule, const Json* old) {
  FieldErrors errs;
  if (const Json* sel = FindPath(rule, {"spec", "deviceSelector"}); sel && sel->is_object()) {
    if (const Json* d = FindPath(*sel, {"driver"}); d && d->is_string()) {
      Append(errs, ValidateDriverName(d->get<std::string>(), "spec.deviceSelector.driver"));
    }
    if (const Json* p = FindPath(*sel, {"pool"}); p && p->is_string()) {
      Append(errs, ValidatePoolName(p->get<std::string>(), "spec.deviceSelector.pool"));
    }
    if (const Json* d = FindPath(*sel, {"device"}); d && d->is_string()) {
      Append(errs, ValidateDnsLabelName(d->get<std::string>(), "spec.deviceSelector.device"));
    }
  }
  static const Json kEmpty = Json::object();
  const Json* taint = FindPath(rule, {"spec", "taint"});
  const Json* old_taint = old ? FindPath(*old, {"spec", "taint"}) : nullptr;
  Append(errs, ValidateDeviceTaint(taint ? *taint : kEmpty, old_taint, "spec.taint"));
  return errs;
}

void DefaultRule(Json& rule) {
  if (!rule.is_object()) return;
  auto spec = rule.find("spec");
  if (spec == rule.end() || !spec->is_object()) return;
  auto taint = spec->find("taint");
  if (taint != spec->end()) DefaultDeviceTaint(*taint);
}

FieldErrors ValidateRuleUpdate(const Json& rule, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(rule, old);
  Append(errs, ValidateRuleSpec(rule, &old));
  return errs;
}

FieldErrors ValidateRuleStatusUpdate(const Json& rule, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(rule, old);
  const Json& conditions = ArrayOrEmpty(FindPath(rule, {"status", "conditions"}));
  if (static_cast<int>(conditions.size()) > kDeviceTaintRuleStatusMaxConditions) {
    errs.push_back(TooMany("status.conditions", static_cast<int>(conditions.size()),
                           kDeviceTaintRuleStatusMaxConditions));
  }
  return errs;
}

}  // namespace

FieldErrors ValidateDeviceTaintRule(const Json& rule) {
  FieldErrors errs = ValidateObjectMeta(rule, false, NameRule::kDnsSubdomain);
  Append(errs, ValidateRuleSpec(rule, nullptr));
  return errs;
}

const KindSpec& DeviceTaintRuleKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"resource.k8s.io", "v1beta2", "DeviceTaintRule"};
    s.plural = "devicetaintrules";
    s.singular = "devicetaintrule";
    s.scope = Scope::kCluster;
    s.schema = "io.k8s.api.resource.v1beta2.DeviceTaintRule";
    s.has_status = true;
    s.tracks_generation = true;
    s.prepare_for_create = [](Json& rule) { rule.erase("status"); };
    s.prepare_for_update = [](Json& rule, const Json& old) {
      // A changed effect restarts the clock unless the client set a new time itself.
      const Json* effect = FindPath(rule, {"spec", "taint", "effect"});
      const Json* old_effect = FindPath(old, {"spec", "taint", "effect"});
      const Json* added = FindPath(rule, {"spec", "taint", "timeAdded"});
      const Json* old_added = FindPath(old, {"spec", "taint", "timeAdded"});
      bool effect_changed = (effect == nullptr) != (old_effect == nullptr) ||
                            (effect != nullptr && *effect != *old_effect);
      bool time_kept = (added == nullptr && old_added == nullptr) ||
                       (added != nullptr && old_added != nullptr && *added == *old_added);
      if (effect_changed && time_kept) {
        MutablePath(rule, {"spec", "taint"})["timeAdded"] = NowRfc3339Seconds();
      }
    };
    s.default_fields = &DefaultRule;
    s.validate = &ValidateDeviceTaintRule;
    s.validate_update = &ValidateRuleUpdate;
    s.validate_status_update = &ValidateRuleStatusUpdate;
    return s;
  }();
  return kSpec;
}

}  // namespace haru::api::resource
