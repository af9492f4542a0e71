#include "scheduler/fit_error.h"

#include <algorithm>
#include <vector>

namespace haru::scheduler {
namespace {

// "N reason" entries sorted as strings (upstream sorts the formatted entries), joined by ", ".
std::string Histogram(const std::map<std::string, int>& counts) {
  std::vector<std::string> entries;
  for (const auto& [reason, n] : counts) {
    if (n > 0) entries.push_back(std::to_string(n) + " " + reason);
  }
  std::sort(entries.begin(), entries.end());
  std::string out;
  for (const auto& e : entries) {
    if (!out.empty()) out += ", ";
    out += e;
  }
  return out;
}

}  // namespace

std::string FitErrorMessage(const Diagnosis& d) {
  std::string n = std::to_string(d.num_all_nodes);
  std::string msg = "0/" + n + " nodes are available:";
  if (!d.prefilter_message.empty()) {
    msg += " " + d.prefilter_message + ".";
  } else {
    std::string h = Histogram(d.reasons);
    if (!h.empty()) msg += " " + h + ".";
  }
  std::map<std::string, int> preemption;
  if (!d.prefilter_message.empty()) {
    preemption["Preemption is not helpful for scheduling"] = d.num_all_nodes;
  } else {
    preemption["Preemption is not helpful for scheduling"] = d.unresolvable_nodes;
    preemption["No preemption victims found for incoming pod"] = d.resolvable_nodes;
  }
  msg += d.pod_has_claims ? " still not schedulable" : " no new claims to deallocate";
  msg += ", preemption: 0/" + n + " nodes are available:";
  std::string h = Histogram(preemption);
  if (!h.empty()) msg += " " + h + ".";
  return msg;
}

}  // namespace haru::scheduler
