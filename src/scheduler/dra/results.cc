// Turning a found solution into status.allocation JSON (resource.k8s.io/v1 AllocationResult):
// device results, class and claim configuration, and the node selector.

#include <algorithm>
#include <set>

#include "scheduler/dra/internal/search.h"

namespace haru::scheduler::dra {
namespace {

bool SameRequirement(const NodeSelectorRequirement& a, const NodeSelectorRequirement& b) {
  if (a.key != b.key || a.op != b.op) return false;
  return std::set<std::string>(a.values.begin(), a.values.end()) ==
         std::set<std::string>(b.values.begin(), b.values.end());
}

void AddNew(const std::vector<NodeSelectorRequirement>& from, std::vector<const NodeSelectorRequirement*>* to) {
  for (const auto& r : from) {
    bool present = false;
    for (const auto* have : *to) present = present || SameRequirement(*have, r);
    if (!present) to->push_back(&r);
  }
}

}  // namespace

StatusOr<Json> Search::BuildNodeSelector(const ClaimData& cd) {
  std::vector<const NodeSelectorRequirement*> fields, exprs;
  for (const Entry& e : cd.entries) {
    const InvDevice& d = inv_.devs[cands_[e.cand].dev];
    const ResourceSlice& slice = inv_.slices[d.slice];
    const Device& device = slice.devices[d.index];
    const std::optional<std::string>& node_name = slice.per_device_node_selection ? device.node_name : slice.node_name;
    const std::optional<NodeSelector>& selector =
        slice.per_device_node_selection ? device.node_selector : slice.node_selector;
    if (node_name || (opts_.features.device_binding && device.binds_to_node)) {
      return Json{{"nodeSelectorTerms",
                   Json::array({Json{{"matchFields", Json::array({Json{{"key", "metadata.name"},
                                                                       {"operator", "In"},
                                                                       {"values", Json::array({node_.name})}}})}}})}};
    }
    if (!selector) continue;
    if (selector->terms.size() > 1) {
      return Status::Invalid("create NodeSelector for claim " + cd.claim->name +
                             ": unsupported ResourceSlice.NodeSelector with " +
                             std::to_string(selector->terms.size()) + " terms");
    }
    if (selector->terms.size() == 1) {
      AddNew(selector->terms[0].match_fields, &fields);
      AddNew(selector->terms[0].match_expressions, &exprs);
    }
  }
  if (fields.empty() && exprs.empty()) return Json();  // available everywhere
  Json term = Json::object();
  if (!exprs.empty()) {
    term["matchExpressions"] = Json::array();
    for (const auto* r : exprs) term["matchExpressions"].push_back(r->raw);
  }
  if (!fields.empty()) {
    term["matchFields"] = Json::array();
    for (const auto* r : fields) term["matchFields"].push_back(r->raw);
  }
  return Json{{"nodeSelectorTerms", Json::array({term})}};
}

StatusOr<Json> Search::BuildResult(int c) {
  const ClaimData& cd = claims_[c];
  Json results = Json::array();
  for (const Entry& e : cd.entries) {
    const Alt& alt = cd.reqs[e.req].alts[e.alt];
    const InvDevice& d = inv_.devs[cands_[e.cand].dev];
    const Device& device = inv_.slices[d.slice].devices[d.index];
    Json r = {{"request", alt.result_name}, {"driver", d.id.driver}, {"pool", d.id.pool}, {"device", d.id.device}};
    if (e.admin) r["adminAccess"] = true;
    if (!alt.spec->tolerations.empty()) {
      Json tols = Json::array();
      for (const auto& t : alt.spec->tolerations) tols.push_back(t.raw);
      r["tolerations"] = std::move(tols);
    }
    if (opts_.features.device_binding) {
      if (!device.binding_conditions.empty()) r["bindingConditions"] = device.binding_conditions;
      if (!device.binding_failure_conditions.empty()) {
        r["bindingFailureConditions"] = device.binding_failure_conditions;
      }
    }
    if (!e.share_id.empty()) r["shareID"] = e.share_id;
    if (e.multi && !e.consumed.empty()) {
      Json cc = Json::object();
      for (const auto& [name, q] : e.consumed) cc[name] = q.ToString();
      r["consumedCapacity"] = std::move(cc);
    }
    results.push_back(std::move(r));
  }

  // Configuration: each class's configs once (listing every request that used the class),
  // then the claim's configs that apply to an allocated request or chosen subrequest.
  Json config = Json::array();
  std::vector<std::pair<const DeviceClass*, std::pair<size_t, size_t>>> class_ranges;
  for (const Req& req : cd.reqs) {
    const Alt& alt = req.alts[req.has_subrequests ? req.selected : 0];
    if (!alt.cls) continue;
    auto seen = std::find_if(class_ranges.begin(), class_ranges.end(),
                             [&](const auto& x) { return x.first == alt.cls; });
    if (seen != class_ranges.end()) {
      for (size_t i = seen->second.first; i < seen->second.second; ++i) {
        config[i]["requests"].push_back(alt.result_name);
      }
      continue;
    }
    size_t begin = config.size();
    for (const Json& cfg : alt.cls->config) {
      Json entry = cfg;
      entry["source"] = "FromClass";
      entry["requests"] = Json::array({alt.result_name});
      config.push_back(std::move(entry));
    }
    class_ranges.push_back({alt.cls, {begin, config.size()}});
  }
  for (const ClaimConfig& cfg : cd.claim->config) {
    auto emit = [&] {
      Json entry = cfg.configuration;
      entry["source"] = "FromClaim";
      if (!cfg.requests.empty()) entry["requests"] = cfg.requests;
      config.push_back(std::move(entry));
    };
    if (cfg.requests.empty()) {
      emit();
      continue;
    }
    auto listed = [&](const std::string& n) {
      return std::find(cfg.requests.begin(), cfg.requests.end(), n) != cfg.requests.end();
    };
    for (const Req& req : cd.reqs) {
      if (listed(req.request->name)) {
        emit();
        continue;
      }
      if (req.has_subrequests && listed(req.alts[req.selected].result_name)) emit();
    }
  }
  for (Json& entry : config) {
    auto it = entry.find("requests");
    if (it != entry.end() && it->size() == cd.reqs.size()) entry.erase("requests");
  }

  Json devices = Json::object();
  if (!results.empty()) devices["results"] = std::move(results);
  if (!config.empty()) devices["config"] = std::move(config);
  Json allocation = {{"devices", std::move(devices)}};
  HARU_ASSIGN_OR_RETURN(Json selector, BuildNodeSelector(cd));
  if (!selector.is_null()) allocation["nodeSelector"] = std::move(selector);
  return allocation;
}

}  // namespace haru::scheduler::dra
