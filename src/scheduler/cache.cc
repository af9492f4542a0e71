#include "scheduler/cache.h"

#include <algorithm>
#include <cstdio>

#include "api/meta/object.h"

namespace haru::scheduler {
namespace {

using api::FindPath;
using api::GetString;

std::string ObjectName(const Json& o) { return GetString(o, {"metadata", "name"}); }

// Whether two allocations (null: none) hold the same device results.
bool SameDevices(const Json* a, const Json* b) {
  if (!a || !b) return a == b;
  const Json* x = FindPath(*a, {"devices", "results"});
  const Json* y = FindPath(*b, {"devices", "results"});
  if (!x || !y) return x == y;
  return *x == *y;
}

}  // namespace

Cache::Cache() : selector_cache_(std::make_shared<dra::SelectorCache>()) {}
Cache::~Cache() = default;

NodeInfo* Cache::NodeFor(const std::string& name) {
  auto& slot = nodes_[name];
  if (!slot) {
    slot = std::make_unique<NodeInfo>();
    slot->name = name;
    slot->node.name = name;
  }
  return slot.get();
}

void Cache::MaybeDropNode(const std::string& name) {
  auto it = nodes_.find(name);
  if (it != nodes_.end() && !it->second->has_node && it->second->num_pods == 0) nodes_.erase(it);
}

void Cache::UpsertNode(const Json& node) {
  std::string name = ObjectName(node);
  if (name.empty()) return;
  NodeInfo* n = NodeFor(name);
  if (!n->has_node) node_list_dirty_ = true;
  ParseNodeInto(node, n);
}

void Cache::DeleteNode(const std::string& name) {
  auto it = nodes_.find(name);
  if (it == nodes_.end()) return;
  it->second->has_node = false;
  node_list_dirty_ = true;
  MaybeDropNode(name);
}

const std::vector<NodeInfo*>& Cache::Nodes() {
  if (node_list_dirty_) {
    node_list_.clear();
    for (auto& [name, n] : nodes_) {
      if (n->has_node) node_list_.push_back(n.get());
    }
    std::sort(node_list_.begin(), node_list_.end(), [](NodeInfo* a, NodeInfo* b) { return a->name < b->name; });
    node_list_dirty_ = false;
  }
  return node_list_;
}

NodeInfo* Cache::FindNode(const std::string& name) {
  auto it = nodes_.find(name);
  return it == nodes_.end() || !it->second->has_node ? nullptr : it->second.get();
}

void Cache::Count(PodState& st, int sign) {
  if (st.node.empty()) return;
  NodeInfo* n = NodeFor(st.node);
  n->AddPod(*st.pod, sign);
  if (sign < 0) MaybeDropNode(st.node);
}

void Cache::UpsertAssignedPod(std::shared_ptr<PodInfo> pod) {
  std::string key = pod->Key();
  auto it = pods_.find(key);
  if (it != pods_.end()) {
    Count(it->second, -1);
    pods_.erase(it);
  }
  PodState st;
  st.node = pod->IsTerminal() ? "" : pod->node_name;
  st.pod = std::move(pod);
  Count(st, +1);
  pods_.emplace(key, std::move(st));
}

void Cache::DeletePod(const std::string& key) {
  auto it = pods_.find(key);
  if (it == pods_.end()) return;
  Count(it->second, -1);
  pods_.erase(it);
}

void Cache::AssumePod(std::shared_ptr<PodInfo> pod, const std::string& node) {
  std::string key = pod->Key();
  DeletePod(key);
  PodState st;
  st.node = node;
  st.assumed = true;
  st.pod = std::move(pod);
  Count(st, +1);
  pods_.emplace(key, std::move(st));
}

void Cache::ForgetPod(const std::string& key) {
  auto it = pods_.find(key);
  if (it == pods_.end() || !it->second.assumed) return;
  Count(it->second, -1);
  pods_.erase(it);
}

bool Cache::IsAssumedOrBound(const std::string& key) const { return pods_.count(key) > 0; }

void Cache::IndexSlice(const dra::ResourceSlice& slice, int sign) {
  std::string key = slice.driver;
  key.push_back('\0');
  key += slice.pool;
  PoolNodes& p = pool_nodes_[key];
  if (slice.node_name) {
    int& n = p.nodes[*slice.node_name];
    n += sign;
    if (n <= 0) p.nodes.erase(*slice.node_name);
  } else {
    p.shared += sign;
  }
  if (p.nodes.empty() && p.shared <= 0) pool_nodes_.erase(key);
}

void Cache::TouchPool(const std::string& driver, const std::string& pool) {
  std::string key = driver;
  key.push_back('\0');
  key += pool;
  auto it = pool_nodes_.find(key);
  // A pool no slice names yet, or one that several nodes may see: every answer may change.
  if (it == pool_nodes_.end() || it->second.shared > 0) ++dra_generation_;
  if (it == pool_nodes_.end()) return;
  for (const auto& [node, count] : it->second.nodes) {
    auto n = nodes_.find(node);
    if (n != nodes_.end()) n->second->dra_memo.clear();
  }
}

uint64_t Cache::MemoKey(const std::string& signature) {
  auto [it, inserted] = memo_keys_.emplace(signature, 0);
  if (inserted) {
    // Keys are never reused, so dropping the table only costs recomputation.
    if (memo_keys_.size() > 100000) {
      memo_keys_.clear();
      it = memo_keys_.emplace(signature, 0).first;
    }
    it->second = next_memo_key_++;
  }
  return it->second;
}

void Cache::ApplyAllocation(const CachedClaim& claim, int sign, bool touch) {
  const Json* alloc = claim.EffectiveAllocation();
  if (!alloc) return;
  const Json* results = FindPath(*alloc, {"devices", "results"});
  if (!results || !results->is_array()) return;
  for (const Json& r : *results) {
    if (api::GetBool(r, {"adminAccess"})) continue;  // admin access never marks a device in use
    dra::DeviceId id{GetString(r, {"driver"}), GetString(r, {"pool"}), GetString(r, {"device"})};
    if (touch) TouchPool(id.driver, id.pool);
    if (!GetString(r, {"shareID"}).empty()) {
      auto& per_claim = shares_[id];
      if (sign > 0) {
        std::vector<std::pair<std::string, Quantity>> consumed;
        if (const Json* cc = FindPath(r, {"consumedCapacity"}); cc && cc->is_object()) {
          for (auto it = cc->begin(); it != cc->end(); ++it) {
            if (!it->is_string()) continue;
            auto q = ParseQuantity(it->get<std::string>());
            if (q.ok()) consumed.emplace_back(it.key(), *q);
          }
        }
        auto& mine = per_claim[claim.Key()];
        for (auto& c : consumed) mine.push_back(std::move(c));
      } else {
        per_claim.erase(claim.Key());
      }
      // Re-sum the device's consumed capacity over the claims sharing it.
      std::vector<std::pair<std::string, Quantity>> total;
      for (const auto& [k, list] : per_claim) {
        for (const auto& [name, q] : list) {
          auto t = std::find_if(total.begin(), total.end(), [&](const auto& e) { return e.first == name; });
          if (t == total.end()) {
            total.emplace_back(name, q);
          } else {
            t->second = t->second.Add(q);
          }
        }
      }
      if (per_claim.empty()) {
        shares_.erase(id);
        state_.consumed_capacity.erase(id);
      } else {
        state_.consumed_capacity[id] = std::move(total);
      }
      continue;
    }
    int& refs = device_refs_[id];
    refs += sign;
    if (refs > 0) {
      state_.allocated_devices.insert(id);
    } else {
      device_refs_.erase(id);
      state_.allocated_devices.erase(id);
    }
  }
}

void Cache::UpsertClaim(const Json& claim) {
  auto c = std::make_unique<CachedClaim>();
  c->ns = GetString(claim, {"metadata", "namespace"});
  c->name = ObjectName(claim);
  c->uid = GetString(claim, {"metadata", "uid"});
  c->resource_version = GetString(claim, {"metadata", "resourceVersion"});
  const Json* del = FindPath(claim, {"metadata", "deletionTimestamp"});
  c->deleting = del && !del->is_null();
  if (const Json* owners = FindPath(claim, {"metadata", "ownerReferences"}); owners && owners->is_array()) {
    for (const Json& o : *owners) {
      if (api::GetBool(o, {"controller"})) c->controller_uid = GetString(o, {"uid"});
    }
  }
  if (const Json* reserved = FindPath(claim, {"status", "reservedFor"}); reserved && reserved->is_array()) {
    for (const Json& r : *reserved) c->reserved_uids.push_back(GetString(r, {"uid"}));
  }
  const Json* alloc = FindPath(claim, {"status", "allocation"});
  c->allocated = alloc && alloc->is_object();
  if (c->allocated) c->allocation = *alloc;
  // The spec is immutable: a status change reuses what was parsed from it.
  auto prev = claims_.find(c->Key());
  const Json* spec = FindPath(claim, {"spec"});
  if (prev != claims_.end() && prev->second->spec && prev->second->uid == c->uid && spec &&
      FindPath(prev->second->object, {"spec"}) && *FindPath(prev->second->object, {"spec"}) == *spec) {
    c->spec = prev->second->spec;
    c->signature = prev->second->signature;
  } else if (auto parsed = dra::ParseResourceClaim(claim); parsed.ok()) {
    c->spec = std::make_shared<const dra::ResourceClaim>(std::move(*parsed));
    c->signature = c->ns;
    c->signature.push_back('\0');
    if (spec) c->signature += spec->dump();
  } else {
    c->parse_error = parsed.status().message();
  }
  c->object = claim;

  std::string key = c->Key();
  auto it = claims_.find(key);
  bool touch = true;
  if (it != claims_.end()) {
    // Keep an in-flight assumption until the API shows an allocation (or the write fails).
    CachedClaim& old = *it->second;
    bool keep_assumed = !c->allocated && old.uid == c->uid;
    const Json* after = c->allocated ? &c->allocation
                                     : (keep_assumed && !old.assumed_allocation.is_null() ? &old.assumed_allocation
                                                                                          : nullptr);
    // The same devices before and after (the API confirming our assumption, a reservedFor
    // change): no allocator answer changes.
    touch = !SameDevices(old.EffectiveAllocation(), after);
    ApplyAllocation(old, -1, touch);
    if (keep_assumed) c->assumed_allocation = std::move(old.assumed_allocation);
  }
  if (const Json* eff = c->EffectiveAllocation()) {
    if (const Json* sel = FindPath(*eff, {"nodeSelector"}); sel && sel->is_object()) {
      auto s = dra::ParseCoreNodeSelector(*sel, "status.allocation.nodeSelector");
      if (s.ok()) c->allocation_node_selector = std::move(*s);
    }
  }
  ApplyAllocation(*c, +1, touch);
  claims_[key] = std::move(c);
}

void Cache::DeleteClaim(const std::string& key) {
  auto it = claims_.find(key);
  if (it == claims_.end()) return;
  ApplyAllocation(*it->second, -1, true);
  claims_.erase(it);
}

const CachedClaim* Cache::FindClaim(const std::string& key) const {
  auto it = claims_.find(key);
  return it == claims_.end() ? nullptr : it->second.get();
}

void Cache::AssumeClaimAllocation(const std::string& key, Json allocation) {
  auto it = claims_.find(key);
  if (it == claims_.end() || it->second->allocated) return;
  CachedClaim& c = *it->second;
  ApplyAllocation(c, -1, true);
  c.assumed_allocation = std::move(allocation);
  c.allocation_node_selector.reset();
  if (const Json* sel = FindPath(c.assumed_allocation, {"nodeSelector"}); sel && sel->is_object()) {
    auto s = dra::ParseCoreNodeSelector(*sel, "status.allocation.nodeSelector");
    if (s.ok()) c.allocation_node_selector = std::move(*s);
  }
  ApplyAllocation(c, +1, true);
}

void Cache::ForgetClaimAllocation(const std::string& key) {
  auto it = claims_.find(key);
  if (it == claims_.end() || it->second->assumed_allocation.is_null()) return;
  CachedClaim& c = *it->second;
  ApplyAllocation(c, -1, true);
  c.assumed_allocation = Json();
  if (!c.allocated) c.allocation_node_selector.reset();
  ApplyAllocation(c, +1, true);
}

void Cache::UpsertSlice(const Json& slice) {
  auto s = dra::ParseResourceSlice(slice);
  std::string name = ObjectName(slice);
  if (auto old = slices_.find(name); old != slices_.end()) {
    IndexSlice(old->second, -1);
    slices_.erase(old);
  }
  if (!s.ok()) {
    std::fprintf(stderr, "scheduler: ignoring ResourceSlice %s: %s\n", name.c_str(), s.status().message().c_str());
  } else {
    IndexSlice(*s, +1);
    slices_[name] = std::move(*s);
  }
  inventory_dirty_ = true;
}

void Cache::DeleteSlice(const std::string& name) {
  auto it = slices_.find(name);
  if (it == slices_.end()) return;
  IndexSlice(it->second, -1);
  slices_.erase(it);
  inventory_dirty_ = true;
}

void Cache::UpsertClass(const Json& cls) {
  auto c = dra::ParseDeviceClass(cls);
  std::string name = ObjectName(cls);
  class_names_.insert(name);
  if (c.ok()) {
    classes_[name] = std::move(*c);
  } else {
    classes_.erase(name);
  }
  inventory_dirty_ = true;
}

void Cache::DeleteClass(const std::string& name) {
  class_names_.erase(name);
  if (classes_.erase(name)) inventory_dirty_ = true;
}

void Cache::UpsertTaintRule(const Json& rule) {
  auto r = dra::ParseDeviceTaintRule(rule);
  std::string name = ObjectName(rule);
  if (r.ok()) {
    rules_[name] = std::move(*r);
  } else {
    rules_.erase(name);
  }
  inventory_dirty_ = true;
}

void Cache::DeleteTaintRule(const std::string& name) {
  if (rules_.erase(name)) inventory_dirty_ = true;
}

const dra::Allocator* Cache::Allocator() {
  if (inventory_dirty_ || !allocator_) {
    std::vector<dra::ResourceSlice> slices;
    slices.reserve(slices_.size());
    for (const auto& [n, s] : slices_) slices.push_back(s);
    std::vector<dra::DeviceClass> classes;
    for (const auto& [n, c] : classes_) classes.push_back(c);
    std::vector<dra::DeviceTaintRule> rules;
    for (const auto& [n, r] : rules_) rules.push_back(r);
    allocator_ = dra::Allocator::Create(dra::AllocatorOptions{}, std::move(slices), std::move(classes),
                                        std::move(rules), selector_cache_);
    inventory_dirty_ = false;
    ++dra_generation_;
  }
  return allocator_.get();
}

}  // namespace haru::scheduler
