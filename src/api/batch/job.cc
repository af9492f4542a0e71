// batch/v1 Job: defaults (pkg/apis/batch/v1/defaults.go), strategy (pkg/registry/batch/job:
// generated selector and template labels, generation, status reset), validation
// (pkg/apis/batch/validation) and the printer's columns.

#include <algorithm>
#include <map>
#include <set>

#include "api/batch/batch.h"
#include "api/core/core.h"
#include "api/meta/columns.h"
#include "api/meta/object.h"
#include "api/meta/validation.h"
#include "common/selectors/label_selector.h"

namespace haru::api::batch {

namespace {

constexpr char kTemplatePrefix[] = "spec.template.";

const Json& ArrayOrEmpty(const Json* v) {
  static const Json kEmpty = Json::array();
  return v != nullptr && v->is_array() ? *v : kEmpty;
}

bool IsSet(const Json* v) { return v != nullptr && !v->is_null(); }

// The selector in upstream's string syntax, requirements sorted by key (labels.Selector's
// String()); "" when it selects everything or is unset.
std::string SelectorString(const Json* selector) {
  if (selector == nullptr || !selector->is_object()) return "";
  std::vector<std::pair<std::string, std::string>> reqs;  // key -> rendered requirement
  if (const Json* ml = FindPath(*selector, {"matchLabels"}); ml && ml->is_object()) {
    for (auto it = ml->begin(); it != ml->end(); ++it) {
      reqs.emplace_back(it.key(), it.key() + "=" + (it->is_string() ? it->get<std::string>() : ""));
    }
  }
  for (const Json& e : ArrayOrEmpty(FindPath(*selector, {"matchExpressions"}))) {
    std::string key = GetString(e, {"key"});
    std::string op = GetString(e, {"operator"});
    std::vector<std::string> values;
    for (const Json& v : ArrayOrEmpty(FindPath(e, {"values"}))) {
      if (v.is_string()) values.push_back(v.get<std::string>());
    }
    std::sort(values.begin(), values.end());
    std::string joined;
    for (size_t i = 0; i < values.size(); ++i) joined += (i ? "," : "") + values[i];
    if (op == "In") {
      reqs.emplace_back(key, key + " in (" + joined + ")");
    } else if (op == "NotIn") {
      reqs.emplace_back(key, key + " notin (" + joined + ")");
    } else if (op == "Exists") {
      reqs.emplace_back(key, key);
    } else if (op == "DoesNotExist") {
      reqs.emplace_back(key, "!" + key);
    }
  }
  std::stable_sort(reqs.begin(), reqs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t i = 0; i < reqs.size(); ++i) out += (i ? "," : "") + reqs[i].second;
  return out;
}

Labels LabelsAt(const Json* labels) {
  Labels out;
  if (labels == nullptr || !labels->is_object()) return out;
  for (auto it = labels->begin(); it != labels->end(); ++it) {
    if (it->is_string()) out[it.key()] = it->get<std::string>();
  }
  return out;
}

// Whether the selector matches `labels`; nullopt-like false when it cannot be parsed.
bool SelectorMatches(const Json* selector, const Labels& labels) {
  StatusOr<LabelSelector> parsed = LabelSelector::Parse(SelectorString(selector));
  return parsed.ok() && parsed->Matches(labels);
}

void CopyTemplateLabels(Json& job) {
  const Json* tl = FindPath(job, {"spec", "template", "metadata", "labels"});
  const Json* jl = FindPath(job, {"metadata", "labels"});
  if (tl != nullptr && tl->is_object() && (jl == nullptr || !jl->is_object() || jl->empty())) {
    MutablePath(job, {"metadata"})["labels"] = *tl;
  }
}

void GenerateSelector(Json& job) {
  std::string name = GetString(job, {"metadata", "name"});
  std::string uid = GetString(job, {"metadata", "uid"});
  Json& labels = MutablePath(job, {"spec", "template", "metadata", "labels"});
  for (const char* key : {kLegacyJobNameLabel, kJobNameLabel}) {
    if (!labels.contains(key)) labels[key] = name;
  }
  for (const char* key : {kLegacyControllerUidLabel, kControllerUidLabel}) {
    if (!labels.contains(key)) labels[key] = uid;
  }
  Json& match = MutablePath(job, {"spec", "selector", "matchLabels"});
  if (!match.contains(kControllerUidLabel)) match[kControllerUidLabel] = uid;
}

// Validates the pod template as a pod and moves the errors under spec.template.
FieldErrors ValidatePodTemplate(const Json& job) {
  Json pod = Json::object();
  pod["metadata"] = {{"name", "template"}, {"namespace", "default"}};
  if (const Json* tm = FindPath(job, {"spec", "template", "metadata"}); tm && tm->is_object()) {
    for (const char* key : {"labels", "annotations"}) {
      if (tm->contains(key)) pod["metadata"][key] = (*tm)[key];
    }
  }
  const Json* spec = FindPath(job, {"spec", "template", "spec"});
  pod["spec"] = spec && spec->is_object() ? *spec : Json::object();
  FieldErrors errs;
  for (FieldError& e : core::ValidatePod(pod)) {
    if (e.field.rfind("metadata.name", 0) == 0 || e.field.rfind("metadata.namespace", 0) == 0) continue;
    e.field = kTemplatePrefix + e.field;
    errs.push_back(std::move(e));
  }
  return errs;
}

FieldErrors ValidateHasLabel(const Json& job, const char* key, const std::string& expected) {
  const Json* labels = FindPath(job, {"spec", "template", "metadata", "labels"});
  std::string path = Key("spec.template.metadata.labels", key);
  const Json* actual = labels && labels->is_object() && labels->contains(key) ? &(*labels)[key] : nullptr;
  if (actual == nullptr) return {Required(path, expected)};
  if (!actual->is_string() || actual->get<std::string>() != expected) {
    return {Invalid(path, RenderValue(*actual), "must be '" + expected + "'")};
  }
  return {};
}

FieldErrors ValidateGeneratedSelector(const Json& job, bool require_prefixed) {
  FieldErrors errs;
  if (GetBool(job, {"spec", "manualSelector"})) return errs;
  const Json* selector = FindPath(job, {"spec", "selector"});
  if (!IsSet(selector)) return errs;
  std::string uid = GetString(job, {"metadata", "uid"});
  std::string name = GetString(job, {"metadata", "name"});
  if (uid.empty()) errs.push_back(Required("metadata.uid"));
  Append(errs, ValidateHasLabel(job, kLegacyControllerUidLabel, uid));
  Append(errs, ValidateHasLabel(job, kLegacyJobNameLabel, name));
  Labels expected = {{kLegacyControllerUidLabel, uid}, {kLegacyJobNameLabel, name}};
  if (require_prefixed) {
    Append(errs, ValidateHasLabel(job, kControllerUidLabel, uid));
    Append(errs, ValidateHasLabel(job, kJobNameLabel, name));
    expected[kControllerUidLabel] = uid;
    expected[kJobNameLabel] = name;
  }
  if (!SelectorMatches(selector, expected)) {
    errs.push_back(Invalid("spec.selector", RenderValue(*selector), "`selector` not auto-generated"));
  }
  return errs;
}

void NonNegative(const Json& spec, const char* field, const std::string& base, FieldErrors& errs) {
  const Json* v = FindPath(spec, {field});
  if (v != nullptr && v->is_number() && v->get<int64_t>() < 0) {
    errs.push_back(Invalid(Child(base, field), std::to_string(v->get<int64_t>()), kIsNegativeErrorMsg));
  }
}

FieldErrors ValidateJobSpec(const Json& job, bool require_prefixed) {
  FieldErrors errs;
  static const Json kEmpty = Json::object();
  const Json* spec_p = FindPath(job, {"spec"});
  const Json& spec = spec_p && spec_p->is_object() ? *spec_p : kEmpty;
  for (const char* f : {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                        "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes"}) {
    NonNegative(spec, f, "spec", errs);
  }
  std::string mode = GetString(spec, {"completionMode"});
  if (!mode.empty() && mode != "NonIndexed" && mode != "Indexed") {
    errs.push_back(NotSupported("spec.completionMode", mode, {"NonIndexed", "Indexed"}));
  }
  if (mode == "Indexed" && !IsSet(FindPath(spec, {"completions"}))) {
    errs.push_back(Required("spec.completions", "when completion mode is Indexed"));
  }
  if (const Json* policy = FindPath(spec, {"podReplacementPolicy"}); policy && policy->is_string()) {
    std::string p = policy->get<std::string>();
    if (p != "TerminatingOrFailed" && p != "Failed") {
      errs.push_back(NotSupported("spec.podReplacementPolicy", p, {"Failed", "TerminatingOrFailed"}));
    }
  }
  const Json& rules = ArrayOrEmpty(FindPath(spec, {"podFailurePolicy", "rules"}));
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string action = GetString(rules[i], {"action"});
    if (action != "FailJob" && action != "FailIndex" && action != "Ignore" && action != "Count") {
      errs.push_back(NotSupported(Index("spec.podFailurePolicy.rules", i) + ".action", action,
                                  {"Count", "FailIndex", "FailJob", "Ignore"}));
    }
  }

  Append(errs, ValidateGeneratedSelector(job, require_prefixed));
  const Json* selector = FindPath(spec, {"selector"});
  if (!IsSet(selector)) {
    errs.push_back(Required("spec.selector"));
  } else if (!SelectorMatches(selector, LabelsAt(FindPath(spec, {"template", "metadata", "labels"})))) {
    const Json* tl = FindPath(spec, {"template", "metadata", "labels"});
    errs.push_back(Invalid("spec.template.metadata.labels", tl ? RenderValue(*tl) : "null",
                           "`selector` does not match template `labels`"));
  }

  Append(errs, ValidatePodTemplate(job));
  std::string restart = GetString(spec, {"template", "spec", "restartPolicy"});
  if (restart != "OnFailure" && restart != "Never") {
    errs.push_back(NotSupported("spec.template.spec.restartPolicy", restart, {"OnFailure", "Never"}));
  } else if (!rules.empty() && restart != "Never") {
    errs.push_back(InvalidString("spec.template.spec.restartPolicy", restart,
                                 "only \"Never\" is supported when podFailurePolicy is specified"));
  }
  return errs;
}

bool IsConditionTrue(const Json& job, std::string_view type) {
  for (const Json& c : ArrayOrEmpty(FindPath(job, {"status", "conditions"}))) {
    if (GetString(c, {"type"}) == type && GetString(c, {"status"}) == "True") return true;
  }
  return false;
}

std::string DurationCell(const Json& job) {
  const Json* start = FindPath(job, {"status", "startTime"});
  if (start == nullptr || !start->is_string()) return "";
  std::optional<int64_t> s = ParseRfc3339(start->get<std::string>());
  if (!s) return "";
  const Json* done = FindPath(job, {"status", "completionTime"});
  std::optional<int64_t> e;
  if (done != nullptr && done->is_string()) e = ParseRfc3339(done->get<std::string>());
  return HumanDuration((e ? *e : NowUnix()) - *s);
}

std::string ContainerCell(const Json& job, const char* field) {
  std::string out;
  for (const Json& c : ArrayOrEmpty(FindPath(job, {"spec", "template", "spec", "containers"}))) {
    out += (out.empty() ? "" : ",") + GetString(c, {field});
  }
  return out;
}

}  // namespace

std::string FormatLabelSelector(const Json* selector) {
  std::string s = SelectorString(selector);
  return s.empty() ? "<none>" : s;
}

std::string JobStatusCell(const Json& job) {
  if (IsConditionTrue(job, "Complete")) return "Complete";
  if (IsConditionTrue(job, "Failed")) return "Failed";
  if (IsSet(FindPath(job, {"metadata", "deletionTimestamp"}))) return "Terminating";
  if (IsConditionTrue(job, "Suspended")) return "Suspended";
  if (IsConditionTrue(job, "FailureTarget")) return "FailureTarget";
  return "Running";
}

std::string JobCompletionsCell(const Json& job) {
  int64_t succeeded = GetInt(job, {"status", "succeeded"});
  const Json* completions = FindPath(job, {"spec", "completions"});
  if (completions != nullptr && completions->is_number()) {
    return std::to_string(succeeded) + "/" + std::to_string(completions->get<int64_t>());
  }
  int64_t parallelism = GetInt(job, {"spec", "parallelism"});
  if (parallelism > 1) {
    return std::to_string(succeeded) + "/1 of " + std::to_string(parallelism);
  }
  return std::to_string(succeeded) + "/1";
}

void DefaultJob(Json& job) {
  if (!job.is_object()) return;
  Json& spec = MutablePath(job, {"spec"});
  if (!IsSet(FindPath(spec, {"completions"})) && !IsSet(FindPath(spec, {"parallelism"}))) {
    spec["completions"] = 1;
    spec["parallelism"] = 1;
  }
  if (!IsSet(FindPath(spec, {"parallelism"}))) spec["parallelism"] = 1;
  if (!IsSet(FindPath(spec, {"backoffLimit"}))) {
    spec["backoffLimit"] = IsSet(FindPath(spec, {"backoffLimitPerIndex"})) ? 2147483647 : 6;
  }
  if (!IsSet(FindPath(spec, {"completionMode"}))) spec["completionMode"] = "NonIndexed";
  if (!IsSet(FindPath(spec, {"suspend"}))) spec["suspend"] = false;
  if (!IsSet(FindPath(spec, {"podReplacementPolicy"}))) {
    spec["podReplacementPolicy"] =
        IsSet(FindPath(spec, {"podFailurePolicy"})) ? "Failed" : "TerminatingOrFailed";
  }
  if (!IsSet(FindPath(spec, {"manualSelector"}))) spec["manualSelector"] = false;
  if (auto pfp = spec.find("podFailurePolicy"); pfp != spec.end() && pfp->is_object()) {
    auto rules = pfp->find("rules");
    if (rules != pfp->end() && rules->is_array()) {
      for (Json& rule : *rules) {
        if (!rule.is_object() || !rule.contains("onPodConditions") || !rule["onPodConditions"].is_array()) continue;
        for (Json& pattern : rule["onPodConditions"]) {
          if (pattern.is_object() && !pattern.contains("status")) pattern["status"] = "True";
        }
      }
    }
  }
  // The pod template gets a pod's defaults.
  Json& tmpl = MutablePath(spec, {"template"});
  Json pod = Json::object();
  pod["spec"] = tmpl.contains("spec") && tmpl["spec"].is_object() ? tmpl["spec"] : Json::object();
  core::DefaultPod(pod);
  tmpl["spec"] = std::move(pod["spec"]);
}

void PrepareJobForCreate(Json& job) {
  job.erase("status");
  CopyTemplateLabels(job);
  if (!GetBool(job, {"spec", "manualSelector"})) GenerateSelector(job);
}

FieldErrors ValidateJob(const Json& job) {
  FieldErrors errs = ValidateObjectMeta(job, true, NameRule::kDnsSubdomain);
  Append(errs, ValidateJobSpec(job, /*require_prefixed=*/true));
  return errs;
}

FieldErrors ValidateJobUpdate(const Json& job, const Json& old) {
  FieldErrors errs = ValidateObjectMeta(job, true, NameRule::kDnsSubdomain);
  // Jobs created before the prefixed labels existed keep validating without them.
  const Json* old_labels = FindPath(old, {"spec", "template", "metadata", "labels"});
  bool had_prefixed = old_labels && old_labels->is_object() && old_labels->contains(kJobNameLabel) &&
                      old_labels->contains(kControllerUidLabel);
  Append(errs, ValidateJobSpec(job, had_prefixed));
  Append(errs, ValidateObjectMetaUpdate(job, old));

  bool indexed = GetString(job, {"spec", "completionMode"}) == "Indexed";
  const Json* completions = FindPath(job, {"spec", "completions"});
  const Json* old_completions = FindPath(old, {"spec", "completions"});
  if (!indexed) {
    Append(errs, ValidateImmutableField(completions, old_completions, "spec.completions"));
  } else if (!(completions == nullptr ? old_completions == nullptr
                                      : old_completions != nullptr && *completions == *old_completions)) {
    // Elastic Indexed Jobs: completions may change together with parallelism.
    const Json* parallelism = FindPath(job, {"spec", "parallelism"});
    if (completions == nullptr || parallelism == nullptr || *completions != *parallelism) {
      errs.push_back(Invalid("spec.completions", completions ? RenderValue(*completions) : "null",
                             "can only be modified in tandem with spec.parallelism"));
    }
  }
  Append(errs, ValidateImmutableField(FindPath(job, {"spec", "selector"}),
                                      FindPath(old, {"spec", "selector"}), "spec.selector"));
  for (const char* f : {"completionMode", "podFailurePolicy", "backoffLimitPerIndex"}) {
    Append(errs, ValidateImmutableField(FindPath(job, {"spec", f}), FindPath(old, {"spec", f}),
                                        Child("spec", f)));
  }
  // The template is immutable, except scheduling directives of a suspended job that never
  // started.
  const Json* tmpl = FindPath(job, {"spec", "template"});
  const Json* old_tmpl = FindPath(old, {"spec", "template"});
  bool mutable_scheduling = GetBool(old, {"spec", "suspend"}) &&
                            !IsSet(FindPath(old, {"status", "startTime"}));
  if (mutable_scheduling && tmpl != nullptr && old_tmpl != nullptr) {
    Json masked = *tmpl;
    Json& mspec = MutablePath(masked, {"spec"});
    const Json* old_spec = FindPath(*old_tmpl, {"spec"});
    for (const char* f : {"nodeSelector", "affinity", "tolerations", "schedulingGates"}) {
      const Json* ov = old_spec ? FindPath(*old_spec, {f}) : nullptr;
      if (ov) {
        mspec[f] = *ov;
      } else {
        mspec.erase(f);
      }
    }
    Json& mmeta = MutablePath(masked, {"metadata"});
    for (const char* f : {"labels", "annotations"}) {
      const Json* ov = FindPath(*old_tmpl, {"metadata", f});
      if (ov) {
        mmeta[f] = *ov;
      } else {
        mmeta.erase(f);
      }
    }
    if (mmeta.empty() && !old_tmpl->contains("metadata")) masked.erase("metadata");
    Append(errs, ValidateImmutableField(&masked, old_tmpl, "spec.template"));
  } else {
    Append(errs, ValidateImmutableField(tmpl, old_tmpl, "spec.template"));
  }
  return errs;
}

FieldErrors ValidateJobStatusUpdate(const Json& job, const Json& old) {
  FieldErrors errs = ValidateObjectMetaUpdate(job, old);
  static const Json kEmpty = Json::object();
  const Json* status = FindPath(job, {"status"});
  for (const char* f : {"active", "succeeded", "failed", "ready", "terminating"}) {
    NonNegative(status && status->is_object() ? *status : kEmpty, f, "status", errs);
  }
  return errs;
}

const KindSpec& JobKind() {
  static const KindSpec kSpec = [] {
    KindSpec s;
    s.gvk = {"batch", "v1", "Job"};
    s.plural = "jobs";
    s.singular = "job";
    s.categories = {"all"};
    s.scope = Scope::kNamespaced;
    s.schema = "io.k8s.api.batch.v1.Job";
    s.has_status = true;
    s.tracks_generation = true;
    s.prepare_for_create = &PrepareJobForCreate;
    s.prepare_for_update = [](Json& job, const Json&) { CopyTemplateLabels(job); };
    s.default_fields = &DefaultJob;
    s.validate = &ValidateJob;
    s.validate_update = &ValidateJobUpdate;
    s.validate_status_update = &ValidateJobStatusUpdate;
    s.warnings = [](const Json& job, const Json* old) {
      std::vector<std::string> out;
      if (old != nullptr) return out;
      std::vector<std::string> msgs = IsDns1123Label(GetString(job, {"metadata", "name"}));
      if (!msgs.empty()) {
        std::string joined;
        for (size_t i = 0; i < msgs.size(); ++i) joined += (i ? " " : "") + msgs[i];
        out.push_back(
            "metadata.name: this is used in Pod names and hostnames, which can result in "
            "surprising behavior; a DNS label is recommended: [" + joined + "]");
      }
      return out;
    };
    s.columns = {
        NameColumn(),
        {"Status", "string", "", "Status of the job.", 0,
         [](const Json& o) { return Json(JobStatusCell(o)); }},
        {"Completions", "string", "", "The number of pods which reached phase Succeeded.", 0,
         [](const Json& o) { return Json(JobCompletionsCell(o)); }},
        {"Duration", "string", "", "Time required to complete the job.", 0,
         [](const Json& o) { return Json(DurationCell(o)); }},
        AgeColumn(),
        {"Containers", "string", "", "Names of each container in the template.", 1,
         [](const Json& o) { return Json(ContainerCell(o, "name")); }},
        {"Images", "string", "", "Images referenced by each container in the template.", 1,
         [](const Json& o) { return Json(ContainerCell(o, "image")); }},
        {"Selector", "string", "", "A label query over pods that should match the pod count.", 1,
         [](const Json& o) { return Json(FormatLabelSelector(FindPath(o, {"spec", "selector"}))); }},
    };
    return s;
  }();
  return kSpec;
}

void RegisterBatchKinds(std::vector<const KindSpec*>& out) { out.push_back(&JobKind()); }

}  // namespace haru::api::batch
