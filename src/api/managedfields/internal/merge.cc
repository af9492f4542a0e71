#include "api/managedfields/internal/merge.h"

#include <map>
#include <set>
#include <vector>

namespace haru::api::managedfields::internal {

namespace {

Json MergeList(const Json& live, const Json& config, const Type& type, Shape shape) {
  std::vector<std::string> live_keys, config_keys;
  std::map<std::string, size_t> live_index, config_index;
  for (size_t i = 0; i < live.size(); ++i) {
    live_keys.push_back(ItemKey(type, shape, live[i], i));
    live_index.emplace(live_keys.back(), i);
  }
  for (size_t i = 0; i < config.size(); ++i) {
    config_keys.push_back(ItemKey(type, shape, config[i], i));
    config_index.emplace(config_keys.back(), i);
  }
  Json out = Json::array();
  std::set<std::string> emitted;
  size_t next = 0;  // the next config item to emit
  auto emit_config_through = [&](size_t last) {
    for (; next <= last && next < config.size(); ++next) {
      const std::string& key = config_keys[next];
      if (!emitted.insert(key).second) continue;  // duplicate key in the config: first wins
      auto in_live = live_index.find(key);
      out.push_back(in_live == live_index.end()
                        ? config[next]
                        : Merge(&live[in_live->second], config[next], ItemType(type)));
    }
  };
  for (size_t i = 0; i < live.size(); ++i) {
    auto in_config = config_index.find(live_keys[i]);
    if (in_config == config_index.end()) {
      if (emitted.insert(live_keys[i]).second) out.push_back(live[i]);
      continue;
    }
    // A shared item: the config's items up to it come first, in the config's order.
    emit_config_through(in_config->second);
  }
  emit_config_through(config.size());
  return out;
}

}  // namespace

Json Merge(const Json* live, const Json& config, const Type& type) {
  if (live == nullptr || live->is_null()) return config;
  Shape shape = ShapeOf(type, config);
  if (shape == Shape::kAtomic || ShapeOf(type, *live) != shape) return config;
  if (shape == Shape::kListMap || shape == Shape::kSet) {
    return MergeList(*live, config, type, shape);
  }
  Json out = *live;
  for (auto it = config.begin(); it != config.end(); ++it) {
    auto in_live = live->find(it.key());
    out[it.key()] = Merge(in_live == live->end() ? nullptr : &*in_live, *it,
                          ChildType(type, shape, it.key()));
  }
  return out;
}

namespace {

const FieldSet* Find(const FieldSet* set, const std::string& key) {
  if (set == nullptr) return nullptr;
  auto it = set->children.find(key);
  return it == set->children.end() ? nullptr : &it->second;
}

// What to do with one child of a pruned value.
enum class Verdict { kKeep, kRemove };

Verdict PruneChild(Json& child, const Type& child_type, const FieldSet* last,
                   const FieldSet* owned, bool& removed_any) {
  if (last == nullptr) return Verdict::kKeep;  // never the applier's: left alone
  bool still_owned = owned != nullptr && !owned->empty();
  if (last->member && !still_owned) {
    removed_any = true;
    return Verdict::kRemove;
  }
  if (last->children.empty() || !child.is_structured()) return Verdict::kKeep;
  if (Prune(child, child_type, *last, owned)) {
    removed_any = true;
    if (IsEmptyValue(child) && !(owned != nullptr && owned->member)) return Verdict::kRemove;
  }
  return Verdict::kKeep;
}

}  // namespace

bool Prune(Json& value, const Type& type, const FieldSet& last, const FieldSet* owned) {
  Shape shape = ShapeOf(type, value);
  bool removed_any = false;
  if (shape == Shape::kStruct || shape == Shape::kMap) {
    for (auto it = value.begin(); it != value.end();) {
      std::string key = "f:" + it.key();
      Verdict v = PruneChild(*it, ChildType(type, shape, it.key()), Find(&last, key),
                             Find(owned, key), removed_any);
      it = v == Verdict::kRemove ? value.erase(it) : std::next(it);
    }
  } else if (shape == Shape::kListMap || shape == Shape::kSet) {
    Json kept = Json::array();
    for (size_t i = 0; i < value.size(); ++i) {
      std::string key = ItemKey(type, shape, value[i], i);
      Verdict v = PruneChild(value[i], ItemType(type), Find(&last, key), Find(owned, key),
                             removed_any);
      if (v == Verdict::kKeep) kept.push_back(std::move(value[i]));
    }
    value = std::move(kept);
  }
  return removed_any;
}

void DropNulls(Json& value) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end();) {
      if (it->is_null()) {
        it = value.erase(it);
      } else {
        DropNulls(*it);
        ++it;
      }
    }
  } else if (value.is_array()) {
    for (Json& item : value) DropNulls(item);
  }
}

}  // namespace haru::api::managedfields::internal
