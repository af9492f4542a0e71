#include "controllers/internal/job_util.h"

#include <charconv>

#include "controllers/internal/controller_util.h"

namespace haru::controllers {

namespace {

// The longest generateName prefix the server keeps (63 minus the 5 random characters).
constexpr size_t kMaxGeneratedNameLength = 58;

bool ExitCodeMatches(int64_t code, const Json& requirement) {
  bool listed = false;
  for (const Json& v : Arr(requirement, "values")) {
    if (v.is_number_integer() && v.get<int64_t>() == code) listed = true;
  }
  std::string op = Str(requirement, "operator");
  if (op == "In") return listed;
  if (op == "NotIn") return !listed;
  return false;
}

// The first terminated container (regular, then init) with a non-zero exit code that the
// requirement matches.
const Json* MatchOnExitCodes(const Json& pod, const Json& requirement) {
  std::string only = Str(requirement, "containerName");
  for (const char* list : {"containerStatuses", "initContainerStatuses"}) {
    for (const Json& cs : Arr(Field(pod, "status"), list)) {
      const Json& terminated = Field(Field(cs, "state"), "terminated");
      if (!terminated.is_object()) continue;
      if (!only.empty() && Str(cs, "name") != only) continue;
      const Json& code = Field(terminated, "exitCode");
      if (!code.is_number_integer() || code.get<int64_t>() == 0) continue;
      if (ExitCodeMatches(code.get<int64_t>(), requirement)) return &cs;
    }
  }
  return nullptr;
}

const Json* MatchOnPodConditions(const Json& pod, const Json& patterns) {
  for (const Json& c : Arr(Field(pod, "status"), "conditions")) {
    for (const Json& p : patterns) {
      std::string status = Str(p, "status");
      if (status.empty()) status = "True";
      if (Str(c, "type") == Str(p, "type") && Str(c, "status") == status) return &c;
    }
  }
  return nullptr;
}

int64_t ParseInt(std::string_view s) {
  int64_t v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return -1;
  return v;
}

}  // namespace

PolicyMatch MatchPodFailurePolicy(const Json& job, const Json& pod) {
  PolicyMatch out;
  const Json& rules = Arr(Field(Field(job, "spec"), "podFailurePolicy"), "rules");
  for (size_t i = 0; i < rules.size(); ++i) {
    const Json& rule = rules[i];
    std::string action = Str(rule, "action");
    std::string why;
    if (Field(rule, "onExitCodes").is_object()) {
      const Json* cs = MatchOnExitCodes(pod, Field(rule, "onExitCodes"));
      if (cs == nullptr) continue;
      why = "Container " + Str(*cs, "name") + " for pod " + Namespace(pod) + "/" + Name(pod) +
            " failed with exit code " +
            std::to_string(Field(Field(Field(*cs, "state"), "terminated"), "exitCode").get<int64_t>()) +
            " matching " + action + " rule at index " + std::to_string(i);
    } else if (Field(rule, "onPodConditions").is_array()) {
      const Json* c = MatchOnPodConditions(pod, Field(rule, "onPodConditions"));
      if (c == nullptr) continue;
      why = "Pod " + Namespace(pod) + "/" + Name(pod) + " has condition " + Str(*c, "type") +
            " matching " + action + " rule at index " + std::to_string(i);
    } else {
      continue;
    }
    out.action = action;
    if (action == "Ignore") out.counts = false;
    if (action == "FailJob") out.fail_job_message = why;
    return out;
  }
  return out;
}

int64_t CompletionIndex(const Json& pod) {
  const Json& meta = Field(pod, "metadata");
  std::string v = Str(Field(meta, "annotations"), kJobCompletionIndex);
  if (v.empty()) v = Str(Field(meta, "labels"), kJobCompletionIndex);
  return v.empty() ? -1 : ParseInt(v);
}

std::set<int64_t> ParseIndexes(const std::string& text) {
  std::set<int64_t> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    std::string_view part(text.data() + start, (comma == std::string::npos ? text.size() : comma) - start);
    size_t dash = part.find('-');
    if (dash == std::string_view::npos) {
      if (int64_t v = ParseInt(part); v >= 0) out.insert(v);
    } else {
      int64_t a = ParseInt(part.substr(0, dash));
      int64_t b = ParseInt(part.substr(dash + 1));
      if (a >= 0 && b >= a && b - a < 1000000) {
        for (int64_t v = a; v <= b; ++v) out.insert(v);
      }
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string FormatIndexes(const std::set<int64_t>& indexes) {
  std::string out;
  for (auto it = indexes.begin(); it != indexes.end();) {
    int64_t first = *it;
    int64_t last = first;
    ++it;
    while (it != indexes.end() && *it == last + 1) last = *it++;
    if (!out.empty()) out += ',';
    out += std::to_string(first);
    if (last > first) out += '-' + std::to_string(last);
  }
  return out;
}

Json NewJobPod(const Json& job, int64_t index) {
  const Json& tmpl = Field(Field(job, "spec"), "template");
  const Json& tmeta = Field(tmpl, "metadata");
  const std::string job_name = Name(job);
  Json meta = Json::object();
  for (const char* key : {"labels", "annotations", "finalizers"}) {
    if (!Field(tmeta, key).is_null()) meta[key] = Field(tmeta, key);
  }
  Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"}};
  std::string generate_name;
  Json spec = Field(tmpl, "spec").is_object() ? Field(tmpl, "spec") : Json::object();
  if (index >= 0) {
    std::string idx = std::to_string(index);
    meta["annotations"][kJobCompletionIndex] = idx;
    meta["labels"][kJobCompletionIndex] = idx;
    std::string suffix = "-" + idx + "-";
    generate_name = job_name + suffix;
    if (generate_name.size() > kMaxGeneratedNameLength) {
      generate_name = job_name.substr(0, kMaxGeneratedNameLength - suffix.size()) + suffix;
    }
    spec["hostname"] = job_name + "-" + idx;
    for (const char* list : {"containers", "initContainers"}) {
      if (!spec.contains(list) || !spec[list].is_array()) continue;
      for (Json& c : spec[list]) {
        bool has = false;
        for (const Json& e : Arr(c, "env")) has |= Str(e, "name") == "JOB_COMPLETION_INDEX";
        if (has) continue;
        if (!c.contains("env") || !c["env"].is_array()) c["env"] = Json::array();
        c["env"].push_back(
            {{"name", "JOB_COMPLETION_INDEX"},
             {"valueFrom",
              {{"fieldRef",
                {{"fieldPath", std::string("metadata.annotations['") + kJobCompletionIndex + "']"}}}}}});
      }
    }
  } else {
    generate_name = (job_name + "-").substr(0, kMaxGeneratedNameLength);
  }
  meta["generateName"] = generate_name;
  meta["namespace"] = Namespace(job);
  meta["ownerReferences"] = Json::array({{{"apiVersion", "batch/v1"},
                                          {"kind", "Job"},
                                          {"name", job_name},
                                          {"uid", Uid(job)},
                                          {"controller", true},
                                          {"blockOwnerDeletion", true}}});
  pod["metadata"] = std::move(meta);
  AddFinalizer(pod, kJobTrackingFinalizer);
  pod["spec"] = std::move(spec);
  return pod;
}

}  // namespace haru::controllers
