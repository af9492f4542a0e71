// Building the allocator's inventory once per snapshot (see internal/inventory.h).

#include <algorithm>
#include <map>
#include <set>

#include "scheduler/dra/internal/inventory.h"

namespace haru::scheduler::dra {

int64_t MilliOf(const Quantity& q) { return q.MilliValue(); }

Allocator::Inventory::~Inventory() {
  for (size_t i = 0; i < num_devs; ++i) delete devs[i].cel.load();
}

const CelDevice& Allocator::Inventory::Cel(int dev) const {
  const InvDevice& d = devs[dev];
  const CelDevice* c = d.cel.load(std::memory_order_acquire);
  if (c) return *c;
  const ResourceSlice& s = slices[d.slice];
  auto* fresh = new CelDevice(s.driver, s.devices[d.index]);
  const CelDevice* expected = nullptr;
  if (d.cel.compare_exchange_strong(expected, fresh, std::memory_order_acq_rel)) return *fresh;
  delete fresh;
  return *expected;
}

std::atomic<int8_t>* Allocator::Inventory::MatchCache(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = match_cache[key];
  if (!slot) {
    slot.reset(new std::atomic<int8_t>[num_devs > 0 ? num_devs : 1]);
    for (size_t i = 0; i < num_devs; ++i) slot[i].store(-1, std::memory_order_relaxed);
  }
  return slot.get();
}

namespace {

bool RuleSelects(const DeviceTaintRule& r, const std::string& driver, const std::string& pool,
                 const std::string& device) {
  if (!r.has_selector) return false;
  if (r.driver && *r.driver != driver) return false;
  if (r.pool && *r.pool != pool) return false;
  if (r.device && *r.device != device) return false;
  return true;
}

void BuildPoolGen(Allocator::Inventory& inv, PoolGen& pg) {
  std::map<std::string, int> set_index;
  std::vector<std::map<std::string, int>> counter_index;
  for (int si : pg.slices) {
    for (const CounterSet& cs : inv.slices[si].shared_counters) {
      if (set_index.count(cs.name)) {
        if (pg.invalid_reason.empty()) pg.invalid_reason = "duplicate counter set name " + cs.name;
        continue;
      }
      int s = pg.num_sets++;
      set_index[cs.name] = s;
      counter_index.emplace_back();
      for (const Counter& c : cs.counters) {
        counter_index[s][c.name] = static_cast<int>(pg.counter_total.size());
        pg.counter_total.push_back(MilliOf(c.value));
        pg.counter_set_of.push_back(s);
      }
    }
  }
  pg.devs_by_set.resize(pg.num_sets);
  std::set<std::string> names;
  for (int si : pg.slices) {
    const ResourceSlice& slice = inv.slices[si];
    for (size_t di = 0; di < slice.devices.size(); ++di) {
      const Device& d = slice.devices[di];
      if (!names.insert(d.name).second && pg.invalid_reason.empty()) {
        pg.invalid_reason = "duplicate device name " + d.name;
      }
      if (!d.binding_conditions.empty()) pg.has_binding_conditions = true;
      InvDevice& dev = inv.devs[inv.slice_first_dev[si] + di];
      for (const CounterConsumption& cc : d.consumes_counters) {
        auto s = set_index.find(cc.counter_set);
        if (s == set_index.end()) {
          if (pg.invalid_reason.empty()) {
            pg.invalid_reason = "device " + d.name + " references unknown counter set " + cc.counter_set;
          }
          continue;
        }
        dev.counter_sets.push_back(s->second);
        pg.devs_by_set[s->second].push_back(inv.slice_first_dev[si] + static_cast<int>(di));
        for (const Counter& c : cc.counters) {
          auto ci = counter_index[s->second].find(c.name);
          if (ci == counter_index[s->second].end()) {
            if (pg.invalid_reason.empty()) {
              pg.invalid_reason = "device " + d.name + " references unknown counter " + c.name +
                                  " in counter set " + cc.counter_set;
            }
            continue;
          }
          dev.consumption.emplace_back(ci->second, MilliOf(c.value));
        }
      }
    }
  }
}

}  // namespace

std::unique_ptr<Allocator::Inventory> BuildInventory(std::vector<ResourceSlice> slices,
                                                     std::vector<DeviceClass> classes,
                                                     std::vector<DeviceTaintRule> rules) {
  auto inv = std::make_unique<Allocator::Inventory>();
  inv->slices = std::move(slices);
  inv->classes = std::move(classes);
  inv->rules = std::move(rules);
  for (size_t i = 0; i < inv->classes.size(); ++i) inv->class_by_name[inv->classes[i].name] = static_cast<int>(i);

  size_t n = 0;
  for (const auto& s : inv->slices) {
    inv->slice_first_dev.push_back(static_cast<int>(n));
    n += s.devices.size();
  }
  inv->num_devs = n;
  inv->devs.reset(new InvDevice[n > 0 ? n : 1]);
  std::map<std::pair<std::string, int64_t>, int> gen_index;
  for (size_t si = 0; si < inv->slices.size(); ++si) {
    const ResourceSlice& s = inv->slices[si];
    if (s.node_name) {
      inv->slices_by_node[*s.node_name].push_back(static_cast<int>(si));
    } else {
      inv->shared_slices.push_back(static_cast<int>(si));
    }
    std::string key = PoolKey(s.driver, s.pool);
    auto [it, inserted] = gen_index.emplace(std::make_pair(key, s.generation), 0);
    if (inserted) {
      it->second = static_cast<int>(inv->pool_gens.size());
      PoolGen pg;
      pg.driver = s.driver, pg.pool = s.pool, pg.generation = s.generation;
      inv->pool_gens.push_back(std::move(pg));
      inv->pool_gens_by_key[key].push_back(it->second);
    }
    inv->pool_gens[it->second].slices.push_back(static_cast<int>(si));
    inv->slice_pool_gen.push_back(it->second);
    for (size_t di = 0; di < s.devices.size(); ++di) {
      InvDevice& d = inv->devs[inv->slice_first_dev[si] + di];
      d.slice = static_cast<int>(si);
      d.index = static_cast<int>(di);
      d.pool_gen = it->second;
      d.id = DeviceId{s.driver, s.pool, s.devices[di].name};
      for (const DeviceTaint& t : s.devices[di].taints) d.taints.push_back(&t);
      for (const DeviceTaintRule& r : inv->rules) {
        if (RuleSelects(r, s.driver, s.pool, s.devices[di].name)) d.taints.push_back(&r.taint);
      }
    }
  }
  for (PoolGen& pg : inv->pool_gens) BuildPoolGen(*inv, pg);
  return inv;
}

}  // namespace haru::scheduler::dra
