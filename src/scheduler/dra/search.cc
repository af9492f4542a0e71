// The per-call work of Allocator::Allocate (see internal/search.h): pool gathering, request
// validation with upstream's error texts, static eligibility, pruning, and the search.

#include "scheduler/dra/internal/search.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace haru::scheduler::dra {
namespace {

bool DeviceNodeMatches(const Device& d, const Node& node) {
  if (d.node_name) return *d.node_name == node.name;
  if (d.all_nodes) return true;
  if (d.node_selector) return NodeSelectorMatches(*d.node_selector, node);
  return false;
}

const AttributeValue* LookupAttribute(const Device& d, const std::string& driver, const std::string& fq) {
  for (const auto& [name, v] : d.attributes) {
    if (name == fq) return &v;
  }
  size_t slash = fq.find('/');
  if (slash == std::string::npos || fq.compare(0, slash, driver) != 0 || slash != driver.size()) return nullptr;
  std::string_view id(fq.data() + slash + 1, fq.size() - slash - 1);
  for (const auto& [name, v] : d.attributes) {
    if (name == id) return &v;
  }
  return nullptr;
}

std::string ClaimName(const ResourceClaim& c) {
  return c.namespace_name.empty() ? c.name : c.namespace_name + "/" + c.name;
}

}  // namespace

Search::Search(const Allocator::Inventory& inv, const AllocatorOptions& options, SelectorCache& cache,
               const Node& node, const std::vector<const ResourceClaim*>& claims, const AllocatedState& state)
    : inv_(inv), opts_(options), cache_(cache), node_(node), claims_in_(claims), state_(state) {}

// ---------------------------------------------------------------------------------------
// Pools

Status Search::GatherPools() {
  struct Acc {
    int64_t generation;
    std::vector<int> slices;
  };
  std::map<std::string, Acc> acc;
  auto visit = [&](int si) {
    const ResourceSlice& s = inv_.slices[si];
    if (!opts_.features.partitionable_devices && s.per_device_node_selection) return;
    bool match = false;
    if (s.node_name || s.all_nodes || s.node_selector) {
      match = s.node_name ? *s.node_name == node_.name
                          : (s.all_nodes || NodeSelectorMatches(*s.node_selector, node_));
    } else if (s.per_device_node_selection) {
      for (const Device& d : s.devices) {
        if (DeviceNodeMatches(d, node_)) {
          match = true;
          break;
        }
      }
    }
    if (!match) return;
    std::string key = PoolKey(s.driver, s.pool);
    auto it = acc.find(key);
    if (it == acc.end()) {
      acc.emplace(key, Acc{s.generation, {si}});
      return;
    }
    if (s.generation < it->second.generation) return;
    if (s.generation > it->second.generation) {
      it->second.generation = s.generation;
      it->second.slices.clear();
    }
    it->second.slices.push_back(si);
  };
  if (auto it = inv_.slices_by_node.find(node_.name); it != inv_.slices_by_node.end()) {
    for (int si : it->second) visit(si);
  }
  for (int si : inv_.shared_slices) visit(si);

  for (auto& [key, a] : acc) {
    const ResourceSlice& first = inv_.slices[a.slices[0]];
    const PoolGen* pg = &inv_.pool_gens[inv_.slice_pool_gen[a.slices[0]]];
    bool complete = static_cast<int64_t>(a.slices.size()) == first.resource_slice_count;
    if (!complete) {
      bool obsolete = false;
      for (int g : inv_.pool_gens_by_key.at(key)) {
        if (inv_.pool_gens[g].generation > a.generation) obsolete = true;
      }
      if (obsolete) continue;
      complete = static_cast<int64_t>(pg->slices.size()) == first.resource_slice_count;
    }
    PoolView pv;
    pv.gen = pg;
    pv.incomplete = !complete;
    pv.invalid = !pg->invalid_reason.empty();
    for (int si : a.slices) {
      if (!inv_.slices[si].devices.empty()) pv.device_slices.push_back(si);
    }
    std::sort(pv.device_slices.begin(), pv.device_slices.end(),
              [&](int x, int y) { return inv_.slices[x].name < inv_.slices[y].name; });
    pools_.push_back(std::move(pv));
  }
  std::sort(pools_.begin(), pools_.end(), [](const PoolView& x, const PoolView& y) {
    return std::tie(x.gen->has_binding_conditions, x.gen->driver, x.gen->pool) <
           std::tie(y.gen->has_binding_conditions, y.gen->driver, y.gen->pool);
  });

  // Cluster usage: exclusive allocations and shared devices with capacity in use.
  for (size_t p = 0; p < pools_.size(); ++p) {
    PoolView& pv = pools_[p];
    pv.available = pv.gen->counter_total;
    pv.consumed.assign(pv.available.size(), 0);
    for (int si : pv.gen->slices) {
      int first_dev = inv_.slice_first_dev[si];
      for (size_t di = 0; di < inv_.slices[si].devices.size(); ++di) {
        const InvDevice& dev = inv_.devs[first_dev + di];
        bool exclusive = !state_.allocated_devices.empty() && state_.allocated_devices.count(dev.id);
        if (!exclusive && (state_.consumed_capacity.empty() || !state_.consumed_capacity.count(dev.id))) continue;
        cluster_used_.insert(first_dev + static_cast<int>(di));
        if (exclusive) cluster_exclusive_.insert(first_dev + static_cast<int>(di));
        for (auto [idx, amount] : dev.consumption) pv.available[idx] -= amount;
      }
    }
    for (int si : pv.device_slices) {
      const ResourceSlice& s = inv_.slices[si];
      for (size_t di = 0; di < s.devices.size(); ++di) {
        if (s.per_device_node_selection && !DeviceNodeMatches(s.devices[di], node_)) continue;
        int dev = inv_.slice_first_dev[si] + static_cast<int>(di);
        cand_of_dev_[dev] = static_cast<int>(cands_.size());
        cands_.push_back(Cand{dev, static_cast<int>(p)});
        cand_exclusive_.push_back(cluster_exclusive_.count(dev) > 0);
      }
    }
  }
  alloc_count_.assign(cands_.size(), 0);
  allocating_cap_.assign(cands_.size(), {});
  return Status::OK();
}

// ---------------------------------------------------------------------------------------
// Requests

StatusOr<bool> Search::Matches(const std::vector<Sel>& sels, const DeviceClass* cls, const ClaimData& cd,
                               int dev) {
  for (size_t i = 0; i < sels.size(); ++i) {
    const Sel& s = sels[i];
    int8_t cached = s.cache[dev].load(std::memory_order_relaxed);
    if (cached == 0) return false;
    if (cached == 1) continue;
    std::string who = cls ? "class " + cls->name : "claim " + cd.name;
    if (!s.compiled->program) {
      return Status::Invalid(who + ": selector #" + std::to_string(i) + ": CEL compile error: " +
                             s.compiled->error);
    }
    StatusOr<bool> r = EvaluateSelector(*s.compiled, inv_.Cel(dev));
    if (!r.ok()) {
      return Status::Invalid(who + ": selector #" + std::to_string(i) + ": CEL runtime error: " +
                             r.status().message());
    }
    s.cache[dev].store(*r ? 1 : 0, std::memory_order_relaxed);
    if (!*r) return false;
  }
  return true;
}

StatusOr<bool> Search::Selectable(const Alt& alt, int cand) {
  int dev = cands_[cand].dev;
  const InvDevice& d = inv_.devs[dev];
  const Device& device = inv_.slices[d.slice].devices[d.index];
  if (!opts_.features.device_binding && !device.binding_conditions.empty()) return false;
  const ClaimData& cd = claims_.back();
  HARU_ASSIGN_OR_RETURN(bool ok, Matches(alt.class_sels, alt.cls, cd, dev));
  if (!ok) return false;
  return Matches(alt.req_sels, nullptr, cd, dev);
}

bool Search::TaintBlocks(int dev, const RequestSpec& spec) const {
  if (!opts_.features.device_taints) return false;
  for (const DeviceTaint* t : inv_.devs[dev].taints) {
    if (t->effect != "NoSchedule" && t->effect != "NoExecute") continue;
    bool tolerated = false;
    for (const DeviceToleration& tol : spec.tolerations) {
      if (ToleratesTaint(tol, *t)) {
        tolerated = true;
        break;
      }
    }
    if (!tolerated) return true;
  }
  return false;
}

bool Search::ClusterUses(int cand) const { return cand_exclusive_[cand]; }

const std::vector<std::pair<std::string, Quantity>>* Search::ClusterCapacity(int cand) const {
  auto it = state_.consumed_capacity.find(inv_.devs[cands_[cand].dev].id);
  return it == state_.consumed_capacity.end() ? nullptr : &it->second;
}

bool Search::CountersFit(int cand) const {
  const PoolView& pv = pools_[cands_[cand].pool];
  for (auto [idx, amount] : inv_.devs[cands_[cand].dev].consumption) {
    if (pv.consumed[idx] + amount > pv.available[idx]) return false;
  }
  return true;
}

namespace {

// Consumed amount for one capacity under its policy (upstream's calculateConsumedQuantity).
Quantity ConsumedFor(const Quantity* requested, const DeviceCapacity& cap) {
  const auto& p = cap.policy;
  if (!requested) return p && p->default_value ? *p->default_value : cap.value;
  if (!p) return *requested;
  if (p->has_range && p->range_min) {
    if (requested->Cmp(*p->range_min) < 0) return *p->range_min;
    if (!p->range_step) return *requested;
    int64_t req = requested->MilliValue(), step = p->range_step->MilliValue(), min = p->range_min->MilliValue();
    if (step <= 0) return *requested;
    int64_t added = req - min, n = added / step + (added % step != 0 ? 1 : 0);
    int64_t v = min + step * n;
    return v % 1000 == 0 ? Quantity::FromInt(v / 1000, p->range_step->format())
                         : Quantity::FromMilli(v, p->range_step->format());
  }
  if (!p->valid_values.empty()) {
    for (const Quantity& v : p->valid_values) {
      if (requested->Cmp(v) <= 0) return v;
    }
  }
  return *requested;
}

bool ViolatesPolicy(const Quantity& v, const DeviceCapacity& cap) {
  const auto& p = cap.policy;
  if (!p) return false;
  if (p->default_value && v.Cmp(*p->default_value) == 0) return false;
  if (p->has_range) {
    if (p->range_max && v.Cmp(*p->range_max) > 0) return true;
    if (p->range_step && p->range_min) {
      int64_t step = p->range_step->MilliValue();
      if (step > 0 && (v.MilliValue() - p->range_min->MilliValue()) % step != 0) return true;
    }
    return false;
  }
  if (!p->valid_values.empty()) {
    for (const Quantity& x : p->valid_values) {
      if (v.Cmp(x) == 0) return false;
    }
    return true;
  }
  return false;
}

const Quantity* FindQ(const std::vector<std::pair<std::string, Quantity>>* list, const std::string& name) {
  if (!list) return nullptr;
  for (const auto& [n, q] : *list) {
    if (n == name) return &q;
  }
  return nullptr;
}

}  // namespace

int Search::CapacityCheck(int cand, const RequestSpec& spec,
                          std::vector<std::pair<std::string, Quantity>>* consumed) {
  const InvDevice& d = inv_.devs[cands_[cand].dev];
  const Device& device = inv_.slices[d.slice].devices[d.index];
  const std::string& driver = d.id.driver;
  // Resolve each requested name to a published capacity name.
  std::vector<std::pair<const DeviceCapacity*, const Quantity*>> resolved;
  for (const auto& [name, q] : spec.capacity_requests) {
    const DeviceCapacity* hit = nullptr;
    for (const DeviceCapacity& c : device.capacity) {
      if (c.name == name) hit = &c;
    }
    if (!hit) {
      size_t slash = name.find('/');
      std::string alt = slash == std::string::npos
                            ? driver + "/" + name
                            : (name.compare(0, slash, driver) == 0 && slash == driver.size() ? name.substr(slash + 1) : "");
      for (const DeviceCapacity& c : device.capacity) {
        if (!alt.empty() && c.name == alt) hit = &c;
      }
    }
    if (!hit) return 0;
    for (const auto& r : resolved) {
      if (r.first == hit) {
        status_ = Status::Invalid("capacity \"" + hit->name + "\" requested twice under different names");
        return -1;
      }
    }
    resolved.emplace_back(hit, &q);
  }
  const auto* cluster = ClusterCapacity(cand);
  const auto& allocating = allocating_cap_[cand];
  for (const DeviceCapacity& c : device.capacity) {
    const Quantity* requested = nullptr;
    for (const auto& r : resolved) {
      if (r.first == &c) requested = r.second;
    }
    Quantity use = ConsumedFor(requested, c);
    if (use.Sign() < 0) {
      status_ = Status::Invalid("capacity \"" + c.name + "\": capacity value is negative");
      return -1;
    }
    if (ViolatesPolicy(use, c)) return 0;
    Quantity total = use;
    if (const Quantity* q = FindQ(cluster, c.name)) total = total.Add(*q);
    if (const Quantity* q = FindQ(&allocating, c.name)) total = total.Add(*q);
    if (total.Cmp(c.value) > 0) return 0;
    if (consumed) consumed->emplace_back(c.name, use);
  }
  return 1;
}

Status Search::PrepareAlt(ClaimData& cd, const DeviceRequest& req, const RequestSpec& spec, bool is_sub,
                          Alt* alt) {
  alt->spec = &spec;
  alt->base = req.name;
  alt->sub = is_sub ? spec.name : "";
  alt->result_name = is_sub ? req.name + "/" + spec.name : req.name;
  alt->admin = spec.admin_access.value_or(false);
  for (size_t i = 0; i < spec.selectors.size(); ++i) {
    if (!spec.selectors[i].has_cel) {
      return Status::Invalid("claim " + cd.name + ", request " + spec.name + ", selector #" + std::to_string(i) +
                             ": CEL expression empty (unsupported selector type?)");
    }
  }
  if (!opts_.features.admin_access && spec.admin_access.has_value()) {
    return Status::Invalid("claim " + cd.name + ", request " + spec.name +
                           ": admin access is requested, but the feature is disabled");
  }
  if (spec.device_class_name.empty()) {
    return Status::Invalid("claim " + cd.name + ", request " + spec.name +
                           ": missing device class name (unsupported request type?)");
  }
  auto cls = inv_.class_by_name.find(spec.device_class_name);
  if (cls == inv_.class_by_name.end()) {
    return Status::Invalid("claim " + cd.name + ", request " + spec.name + ": could not retrieve device class " +
                           spec.device_class_name + ": deviceclass.resource.k8s.io \"" +
                           spec.device_class_name + "\" not found");
  }
  alt->cls = &inv_.classes[cls->second];
  auto add = [&](const std::vector<DeviceSelector>& from, std::vector<Sel>* to) {
    for (const DeviceSelector& s : from) {
      if (!s.has_cel) continue;  // class selectors of unknown type: nothing to check
      to->push_back(Sel{&cache_.GetOrCompile(s.expression),
                        const_cast<Allocator::Inventory&>(inv_).MatchCache(s.expression), &s.expression});
    }
  };
  add(alt->cls->selectors, &alt->class_sels);
  add(spec.selectors, &alt->req_sels);
  if (spec.allocation_mode == "ExactCount") {
    alt->num_devices = static_cast<int>(std::clamp<int64_t>(spec.count, 0, 1 << 30));
  } else if (spec.allocation_mode == "All") {
    alt->all_mode = true;
    for (const PoolView& pv : pools_) {
      std::string id = pv.gen->driver + "/" + pv.gen->pool;
      if (pv.incomplete) {
        return Status::Invalid("claim " + cd.name + ", request " + spec.name +
                               ": asks for all devices, but resource pool " + id + " is currently being updated");
      }
      if (pv.invalid) {
        return Status::Invalid("claim " + cd.name + ", request " + spec.name +
                               ": asks for all devices, but resource pool " + id + " is currently invalid");
      }
    }
  } else {
    return Status::Invalid("claim " + cd.name + ", request " + spec.name + ": unsupported count mode " +
                           spec.allocation_mode);
  }
  return Status::OK();
}

Status Search::ComputeEligible(ClaimData& cd, Alt& alt) {
  (void)cd;
  const bool consumable = opts_.features.consumable_capacity;
  for (size_t ci = 0; ci < cands_.size(); ++ci) {
    int cand = static_cast<int>(ci);
    const PoolView& pv = pools_[cands_[ci].pool];
    if (!alt.all_mode && (pv.incomplete || pv.invalid)) continue;
    HARU_ASSIGN_OR_RETURN(bool ok, Selectable(alt, cand));
    if (!ok) continue;
    const InvDevice& d = inv_.devs[cands_[ci].dev];
    const Device& device = inv_.slices[d.slice].devices[d.index];
    if (consumable) {
      int c = CapacityCheck(cand, *alt.spec, nullptr);
      if (c < 0) return status_;
      if (c == 0) continue;
    }
    bool multi = consumable && device.allow_multiple_allocations;
    bool blocked = (!opts_.features.partitionable_devices && !device.consumes_counters.empty()) ||
                   (!alt.admin && ClusterUses(cand)) || TaintBlocks(cands_[ci].dev, *alt.spec) ||
                   (!(multi && ClusterCapacity(cand)) && !CountersFit(cand));
    if (alt.all_mode) {
      alt.all_devices.push_back(cand);
      if (blocked) alt.infeasible = true;
    } else if (!blocked) {
      alt.eligible.push_back(cand);
    }
  }
  if (alt.all_mode) {
    alt.num_devices = static_cast<int>(alt.all_devices.size());
    if (alt.all_devices.empty()) alt.infeasible = true;
  } else if (static_cast<int>(alt.eligible.size()) < alt.num_devices) {
    alt.infeasible = true;
  }
  return Status::OK();
}

Status Search::PrepareClaims() {
  const Features& f = opts_.features;
  claims_.reserve(claims_in_.size());
  for (const ResourceClaim* claim : claims_in_) {
    ClaimData cd;
    cd.claim = claim;
    cd.name = ClaimName(*claim);
    claims_.push_back(std::move(cd));
    ClaimData& c = claims_.back();
    int64_t min_devices = 0;
    for (const DeviceRequest& req : claim->requests) {
      Req r;
      r.request = &req;
      r.has_subrequests = !req.first_available.empty();
      if (!f.prioritized_list && r.has_subrequests) {
        return Status::Invalid("claim " + c.name + ", request " + req.name +
                               ": has subrequests, but the DRAPrioritizedList feature is disabled");
      }
      if (!f.consumable_capacity) {
        if (req.exactly && req.exactly->has_capacity) {
          return Status::Invalid("claim " + c.name + ", request " + req.name +
                                 ": has capacity requests, but the DRAConsumableCapacity feature is disabled");
        }
        for (const RequestSpec& sub : req.first_available) {
          if (sub.has_capacity) {
            return Status::Invalid("claim " + c.name + ", subrequest " + sub.name +
                                   ": has capacity requests, but the DRAConsumableCapacity feature is disabled");
          }
        }
      }
      if (!req.exactly && req.first_available.empty()) {
        return Status::Invalid("claim " + c.name + ", request " + req.name +
                               ": missing device class name (unsupported request type?)");
      }
      int64_t min_for_request = INT64_MAX;
      auto prepare = [&](const RequestSpec& spec, bool is_sub) -> Status {
        Alt alt;
        HARU_RETURN_IF_ERROR(PrepareAlt(c, req, spec, is_sub, &alt));
        HARU_RETURN_IF_ERROR(ComputeEligible(c, alt));
        min_for_request = std::min<int64_t>(min_for_request, alt.num_devices);
        r.alts.push_back(std::move(alt));
        return Status::OK();
      };
      if (r.has_subrequests) {
        for (const RequestSpec& sub : req.first_available) HARU_RETURN_IF_ERROR(prepare(sub, true));
      } else {
        HARU_RETURN_IF_ERROR(prepare(*req.exactly, false));
      }
      min_devices += min_for_request;
      c.reqs.push_back(std::move(r));
    }
    if (min_devices > kAllocationResultsMaxSize) {
      return Status::Invalid("claim " + c.name + ": number of requested devices " + std::to_string(min_devices) +
                             " exceeds the claim limit of " + std::to_string(kAllocationResultsMaxSize));
    }
    for (size_t i = 0; i < claim->constraints.size(); ++i) {
      const DeviceConstraint& dc = claim->constraints[i];
      ConstraintState cs;
      cs.requests = dc.requests;
      if (dc.match_attribute) {
        cs.is_match = true, cs.attribute = *dc.match_attribute;
      } else if (dc.distinct_attribute) {
        cs.is_match = false, cs.attribute = *dc.distinct_attribute;
      } else {
        return Status::Invalid("claim " + c.name + ", constraint #" + std::to_string(i) +
                               ": empty constraint (unsupported constraint type?)");
      }
      c.constraints.push_back(std::move(cs));
    }
  }
  return Status::OK();
}

// Fails at once when the claims cannot fit whatever the search does: a request (every
// alternative of it) has fewer eligible devices than it needs, or the exclusive single-alt
// requests of the pod need more distinct devices than their eligible sets hold together.
bool Search::PruneByCounting() {
  std::unordered_set<int> pool_of_devices;
  int64_t needed = 0;
  bool shared_possible = false;
  for (const ClaimData& c : claims_) {
    for (const Req& r : c.reqs) {
      bool any = false;
      for (const Alt& a : r.alts) any = any || !a.infeasible;
      if (!any) {
        prune_reason_ = "claim " + c.name + ", request " + r.request->name + ": not enough matching free devices";
        return true;
      }
      if (r.alts.size() != 1 || r.alts[0].all_mode || r.alts[0].admin) continue;
      needed += r.alts[0].num_devices;
      for (int cand : r.alts[0].eligible) {
        const InvDevice& d = inv_.devs[cands_[cand].dev];
        if (opts_.features.consumable_capacity && inv_.slices[d.slice].devices[d.index].allow_multiple_allocations) {
          shared_possible = true;
        }
        pool_of_devices.insert(cand);
      }
    }
  }
  if (!shared_possible && static_cast<int64_t>(pool_of_devices.size()) < needed) {
    prune_reason_ = "the pod's requests need " + std::to_string(needed) + " devices, only " +
                    std::to_string(pool_of_devices.size()) + " eligible";
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Search

void Search::ChargeCounters(int cand, int sign) {
  PoolView& pv = pools_[cands_[cand].pool];
  for (auto [idx, amount] : inv_.devs[cands_[cand].dev].consumption) pv.consumed[idx] += sign * amount;
}

bool Search::ConstraintAdd(ConstraintState& cs, const Alt& alt, int dev, Status* fatal) {
  if (!cs.requests.empty()) {
    bool applies = false;
    for (const std::string& n : cs.requests) {
      if (n == alt.base || (!alt.sub.empty() && n == alt.result_name)) applies = true;
    }
    if (!applies) return true;
  }
  const InvDevice& d = inv_.devs[dev];
  const AttributeValue* v = LookupAttribute(inv_.slices[d.slice].devices[d.index], d.id.driver, cs.attribute);
  if (!v) return false;
  if (cs.is_match) {
    if (cs.count == 0) {
      cs.first = v;
      cs.count = 1;
      return true;
    }
    if (v->kind == AttributeValue::Kind::kUnknown || !(*v == *cs.first)) return false;
    ++cs.count;
    return true;
  }
  if (v->kind == AttributeValue::Kind::kUnknown) {
    *fatal = Status::Invalid("device " + d.id.ToString() + ": attribute " + cs.attribute +
                             ": unsupported attribute value");
    return false;
  }
  for (const AttributeValue* x : cs.values) {
    if (x->kind == v->kind && *x == *v) return false;
  }
  cs.values.push_back(v);
  return true;
}

void Search::ConstraintRemove(ConstraintState& cs, const Alt& alt) {
  if (!cs.requests.empty()) {
    bool applies = false;
    for (const std::string& n : cs.requests) {
      if (n == alt.base || (!alt.sub.empty() && n == alt.result_name)) applies = true;
    }
    if (!applies) return;
  }
  if (cs.is_match) {
    if (--cs.count == 0) cs.first = nullptr;
  } else {
    cs.values.pop_back();
  }
}

int Search::TryAllocate(int c, int r, int a, int cand, bool must) {
  ClaimData& cd = claims_[c];
  const Alt& alt = cd.reqs[r].alts[a];
  const InvDevice& d = inv_.devs[cands_[cand].dev];
  const Device& device = inv_.slices[d.slice].devices[d.index];
  const bool multi = opts_.features.consumable_capacity && device.allow_multiple_allocations;
  if (!multi && alt.admin) {
    for (const Entry& e : cd.entries) {
      if (e.cand == cand) return 0;
    }
  }
  if (!alt.admin && (ClusterUses(cand) || alloc_count_[cand] > 0)) return 0;
  if (!opts_.features.partitionable_devices && !device.consumes_counters.empty()) return 0;
  Entry e{cand, r, a};
  e.admin = alt.admin;
  e.multi = multi;
  bool skip_counters = multi && (ClusterCapacity(cand) || !allocating_cap_[cand].empty());
  if (!skip_counters && !d.consumption.empty()) {
    if (!CountersFit(cand)) return 0;
    ChargeCounters(cand, +1);
    e.counters_charged = true;
  }
  auto release = [&] {
    if (e.counters_charged) ChargeCounters(cand, -1);
  };
  if (TaintBlocks(cands_[cand].dev, *alt.spec)) {
    release();
    return 0;
  }
  for (size_t i = 0; i < cd.constraints.size(); ++i) {
    Status fatal;
    if (!ConstraintAdd(cd.constraints[i], alt, cands_[cand].dev, &fatal)) {
      for (size_t j = 0; j < i; ++j) ConstraintRemove(cd.constraints[j], alt);
      release();
      if (!fatal.ok()) {
        status_ = std::move(fatal);
        return -1;
      }
      if (must) {
        status_ = Status::Invalid("claim " + cd.name + ", request " + alt.spec->name + ": cannot add device " +
                                  d.id.ToString() + " because a claim constraint would not be satisfied");
        return -1;
      }
      return 0;
    }
  }
  if (opts_.features.consumable_capacity) {
    std::vector<std::pair<std::string, Quantity>> consumed;
    int fits = CapacityCheck(cand, *alt.spec, &consumed);
    if (fits <= 0) {
      for (auto& cs : cd.constraints) ConstraintRemove(cs, alt);
      release();
      return fits;
    }
    if (multi) {
      for (const auto& [name, q] : consumed) {
        bool found = false;
        for (auto& [n, have] : allocating_cap_[cand]) {
          if (n == name) have = have.Add(q), found = true;
        }
        if (!found) allocating_cap_[cand].emplace_back(name, q);
      }
      e.consumed = std::move(consumed);
      e.share_id = opts_.share_id_generator();
    }
  }
  if (!multi) ++alloc_count_[cand];
  cd.entries.push_back(std::move(e));
  return 1;
}

void Search::Undo(int c) {
  ClaimData& cd = claims_[c];
  Entry e = std::move(cd.entries.back());
  cd.entries.pop_back();
  const Alt& alt = cd.reqs[e.req].alts[e.alt];
  for (auto& cs : cd.constraints) ConstraintRemove(cs, alt);
  if (e.counters_charged) ChargeCounters(e.cand, -1);
  if (!e.multi) --alloc_count_[e.cand];
  for (const auto& [name, q] : e.consumed) {
    auto& list = allocating_cap_[e.cand];
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i].first != name) continue;
      list[i].second = list[i].second.Sub(q);
      if (list[i].second.IsZero()) list.erase(list.begin() + static_cast<long>(i));
      break;
    }
  }
}

// The candidates of an ExactCount request in the order the search tries them. Devices that
// cannot be picked anywhere below this point (taken by another claim of this pod, counters
// already short) are dropped: within the request's subtree usage only grows. With best-fit,
// devices that consume counters are ordered by (free fraction of their counter sets now,
// their own share of the sets, number of other free placements they would block).
void Search::OrderCandidates(int c, int r, Alt& alt, std::vector<int>* order) {
  (void)c, (void)r;
  order->clear();
  struct Key {
    int group;
    double free_before, size;
    int blocked;
    size_t pos;
  };
  std::vector<std::pair<Key, int>> keyed;
  std::vector<int64_t> extra;
  const bool best_fit = opts_.packing == Packing::kBestFit;
  for (size_t pos = 0; pos < alt.eligible.size(); ++pos) {
    int cand = alt.eligible[pos];
    const InvDevice& d = inv_.devs[cands_[cand].dev];
    const Device& device = inv_.slices[d.slice].devices[d.index];
    bool multi = opts_.features.consumable_capacity && device.allow_multiple_allocations;
    if (!multi && !alt.admin && alloc_count_[cand] > 0) continue;
    bool skip_counters = multi && (ClusterCapacity(cand) || !allocating_cap_[cand].empty());
    if (!skip_counters && !CountersFit(cand)) continue;
    if (!best_fit || d.consumption.empty()) {
      keyed.push_back({Key{0, 0, 0, 0, pos}, cand});
      continue;
    }
    const PoolView& pv = pools_[cands_[cand].pool];
    const PoolGen& pg = *pv.gen;
    double free_sum = 0, size = 0;
    int counted = 0;
    for (size_t idx = 0; idx < pg.counter_total.size(); ++idx) {
      if (pg.counter_total[idx] <= 0) continue;
      if (std::find(d.counter_sets.begin(), d.counter_sets.end(), pg.counter_set_of[idx]) == d.counter_sets.end()) {
        continue;
      }
      free_sum += static_cast<double>(pv.available[idx] - pv.consumed[idx]) / pg.counter_total[idx];
      ++counted;
    }
    for (auto [idx, amount] : d.consumption) {
      if (pg.counter_total[idx] > 0) size += static_cast<double>(amount) / pg.counter_total[idx];
    }
    int blocked = 0;
    extra.assign(pg.counter_total.size(), 0);  // what this candidate takes, per counter
    for (auto [idx, amount] : d.consumption) extra[idx] += amount;
    for (int s : d.counter_sets) {
      for (int other : pg.devs_by_set[s]) {
        if (other == cands_[cand].dev || cluster_used_.count(other)) continue;
        auto oc = cand_of_dev_.find(other);
        if (oc != cand_of_dev_.end() && alloc_count_[oc->second] > 0) continue;
        bool fits_now = true, fits_after = true;
        for (auto [idx, amount] : inv_.devs[other].consumption) {
          int64_t left = pv.available[idx] - pv.consumed[idx];
          if (amount > left) fits_now = false;
          if (amount + extra[idx] > left) fits_after = false;
        }
        if (fits_now && !fits_after) ++blocked;
      }
    }
    keyed.push_back({Key{1, counted ? free_sum / counted : 0, size, blocked, pos}, cand});
  }
  if (best_fit) {
    std::sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) {
      const Key& a = x.first;
      const Key& b = y.first;
      return std::tie(a.group, a.free_before, a.size, a.blocked, a.pos) <
             std::tie(b.group, b.free_before, b.size, b.blocked, b.pos);
    });
  }
  for (const auto& k : keyed) order->push_back(k.second);
}

Search::Outcome Search::AllocateOne(int c, int r, int a, bool in_alt, int d, size_t start) {
  ++steps_;
  if (opts_.search_budget > 0 && steps_ > opts_.search_budget) return Outcome::kBudget;
  if (c >= static_cast<int>(claims_.size())) return Outcome::kFound;
  ClaimData& cd = claims_[c];
  if (r >= static_cast<int>(cd.reqs.size())) {
    Outcome o = AllocateOne(c + 1, 0, 0, false, 0, 0);
    return o == Outcome::kMaxSize ? Outcome::kNone : o;
  }
  Req& req = cd.reqs[r];
  if (!in_alt && req.has_subrequests) {
    bool all_exceeded = true;
    for (size_t i = 0; i < req.alts.size(); ++i) {
      Outcome o = AllocateOne(c, r, static_cast<int>(i), true, 0, 0);
      if (o == Outcome::kMaxSize) continue;
      all_exceeded = false;
      if (o == Outcome::kFound) {
        req.selected = static_cast<int>(i);
        return o;
      }
      if (o != Outcome::kNone) return o;
    }
    return all_exceeded ? Outcome::kMaxSize : Outcome::kNone;
  }
  Alt& alt = req.alts[a];
  if (alt.all_mode && alt.all_devices.empty()) return Outcome::kNone;
  if (d >= alt.num_devices) return AllocateOne(c, r + 1, 0, false, 0, 0);
  if (static_cast<int>(cd.entries.size()) + alt.num_devices - d > kAllocationResultsMaxSize) {
    return Outcome::kMaxSize;
  }
  if (alt.infeasible) return Outcome::kNone;
  if (alt.all_mode) {
    int got = TryAllocate(c, r, a, alt.all_devices[d], true);
    if (got < 0) return Outcome::kFatal;
    if (got == 0) return Outcome::kNone;
    Outcome o = AllocateOne(c, r, a, in_alt, d + 1, 0);
    if (o != Outcome::kFound) Undo(c);
    return o;
  }
  if (d == 0) OrderCandidates(c, r, alt, &req.order);
  const std::vector<int>& order = req.order;
  size_t need = static_cast<size_t>(alt.num_devices - d);
  for (size_t i = start; i < order.size(); ++i) {
    if (order.size() - i < need) break;  // not enough candidates left for a combination
    int got = TryAllocate(c, r, a, order[i], false);
    if (got < 0) return Outcome::kFatal;
    if (got == 0) continue;
    Outcome o = AllocateOne(c, r, a, in_alt, d + 1, i + 1);
    if (o == Outcome::kFound) return o;
    Undo(c);
    if (o != Outcome::kNone) return o;
  }
  return Outcome::kNone;
}

StatusOr<AllocateResult> Search::Run() {
  AllocateResult result;
  HARU_RETURN_IF_ERROR(GatherPools());
  HARU_RETURN_IF_ERROR(PrepareClaims());
  bool any_invalid = false;
  for (const PoolView& pv : pools_) any_invalid = any_invalid || pv.invalid;
  auto not_fit = [&](std::string reason) {
    result.allocated = false;
    if (any_invalid) {
      result.invalid_pools = true;
      reason = "invalid resource pools were encountered";
    }
    result.reason = std::move(reason);
    result.steps = steps_;
    return result;
  };
  if (PruneByCounting()) return not_fit(prune_reason_);
  Outcome o = AllocateOne(0, 0, 0, false, 0, 0);
  switch (o) {
    case Outcome::kFatal:
      return status_;
    case Outcome::kBudget:
      result.budget_exhausted = true;
      return not_fit("search budget of " + std::to_string(opts_.search_budget) + " steps exhausted");
    case Outcome::kNone:
    case Outcome::kMaxSize:
      return not_fit("no combination of devices satisfies the claims");
    case Outcome::kFound:
      break;
  }
  result.allocated = true;
  result.steps = steps_;
  for (size_t c = 0; c < claims_.size(); ++c) {
    HARU_ASSIGN_OR_RETURN(Json j, BuildResult(static_cast<int>(c)));
    result.allocations.push_back(std::move(j));
  }
  return result;
}

}  // namespace haru::scheduler::dra
