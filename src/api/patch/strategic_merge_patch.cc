#include "api/patch/strategic_merge_patch.h"

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "api/patch/internal/patch_util.h"
#include "api/patch/patch_limits.h"

namespace haru::api::patch {
namespace {

using internal::ShortJson;

constexpr std::string_view kPatchDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList";
constexpr std::string_view kSetElementOrder = "$setElementOrder";

// mergepatch's error texts: kubectl prints them as they are.
constexpr std::string_view kErrPrimitiveList = "invalid patch format of primitive list";
constexpr std::string_view kErrRetainKeys = "invalid patch format of retainKeys";
constexpr std::string_view kErrSetElementOrder = "invalid patch format of setElementOrder list";
constexpr std::string_view kErrListOfLists = "lists of lists are not supported";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// What the schema says about one member of an object.
struct FieldMeta {
  const Schema* schema = nullptr;  // the member's schema; nullptr when unknown
  std::string_view strategy;       // "merge", "replace" or "" (retainKeys is driven by the patch)
  std::string_view merge_key;
};

FieldMeta LookupField(const Schema* parent, std::string_view key) {
  FieldMeta meta;
  if (parent == nullptr) return meta;
  if (parent->type == SchemaType::kMap) {
    meta.schema = parent->additional_properties;
    return meta;
  }
  if (parent->type != SchemaType::kObject) return meta;
  for (const Field& field : parent->properties) {
    if (field.name != key) continue;
    meta.schema = field.schema;
    meta.merge_key = field.patch_merge_key;
    std::string_view rest = field.patch_strategy;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view token = rest.substr(0, comma);
      if (token != "retainKeys" && !token.empty()) meta.strategy = token;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return meta;
  }
  return meta;
}

const Schema* ItemsOf(const Schema* list) {
  return list != nullptr && list->type == SchemaType::kArray ? list->items : nullptr;
}

std::string Identity(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

Status NoMergeKey(const Json& element, std::string_view merge_key) {
  return Status::BadRequest("map: " + ShortJson(element) +
                            " does not contain declared merge key: " + std::string(merge_key));
}

// Strips what must not reach the stored object from a value the patch adds: null members
// (upstream's discardNullValuesFromPatch) and directives. Returns false when the value itself
// is a directive to drop: a list element or object carrying "$patch" (an object whose
// "$patch" is "replace" keeps its other members).
bool Clean(Json& v, bool in_list) {
  if (v.is_object()) {
    auto directive = v.find(kPatchDirective);
    if (directive != v.end()) {
      if (in_list || *directive != "replace") return false;
      v.erase(directive);
    }
    for (auto it = v.begin(); it != v.end();) {
      const std::string& key = it.key();
      bool drop = it->is_null() || key == kRetainKeys || StartsWith(key, kSetElementOrder) ||
                  StartsWith(key, kDeleteFromPrimitiveList) || !Clean(*it, false);
      it = drop ? v.erase(it) : std::next(it);
    }
  } else if (v.is_array()) {
    for (auto it = v.begin(); it != v.end();) {
      it = Clean(*it, true) ? std::next(it) : v.erase(it);
    }
  }
  return true;
}

// The element type of one or more lists, which must agree (upstream's sliceElementType).
enum class ElementKind { kNone, kObject, kString, kBool, kInteger, kFloat };

Status ListElementKind(std::initializer_list<const Json*> lists, ElementKind* out) {
  *out = ElementKind::kNone;
  for (const Json* list : lists) {
    for (const Json& e : *list) {
      ElementKind kind;
      switch (e.type()) {
        case Json::value_t::array: return internal::UnprocessablePatch(std::string(kErrListOfLists));
        case Json::value_t::object: kind = ElementKind::kObject; break;
        case Json::value_t::string: kind = ElementKind::kString; break;
        case Json::value_t::boolean: kind = ElementKind::kBool; break;
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned: kind = ElementKind::kInteger; break;
        case Json::value_t::number_float: kind = ElementKind::kFloat; break;
        default:
          return Status::BadRequest("list element types are not identical: null elements in " +
                                    ShortJson(*list));
      }
      if (*out == ElementKind::kNone) {
        *out = kind;
      } else if (*out != kind) {
        std::string all;
        for (const Json* l : lists) all += (all.empty() ? "" : " ") + ShortJson(*l);
        return Status::BadRequest("list element types are not identical: " + all);
      }
    }
  }
  return Status::OK();
}

using OrderIndex = std::unordered_map<std::string, size_t>;
using KeyOf = std::function<std::string(const Json&)>;

void AddToIndex(OrderIndex& index, std::string key, size_t position) {
  index.emplace(std::move(key), position);  // keeps the first occurrence
}

// Orders a merged list as upstream's normalizeElementOrder: the items named by `patch_order`
// in that order, the other (server-only) items in their live order, interleaved so that a
// server-only item stays ahead of a patch item it preceded in the live list.
void Reorder(Json& list, const KeyOf& key_of, const OrderIndex& patch_order,
             const OrderIndex& server_order) {
  struct Item {
    Json value;
    std::string key;
    size_t rank;
  };
  constexpr size_t kAbsent = static_cast<size_t>(-1);
  std::vector<Item> patch_items, server_items;
  for (Json& e : list) {
    std::string key = key_of(e);
    auto p = patch_order.find(key);
    if (p != patch_order.end()) {
      patch_items.push_back({std::move(e), std::move(key), p->second});
    } else {
      auto s = server_order.find(key);
      size_t rank = s == server_order.end() ? kAbsent : s->second;
      server_items.push_back({std::move(e), std::move(key), rank});
    }
  }
  auto by_rank = [](const Item& a, const Item& b) { return a.rank < b.rank; };
  std::stable_sort(patch_items.begin(), patch_items.end(), by_rank);
  std::stable_sort(server_items.begin(), server_items.end(), by_rank);

  Json out = Json::array();
  size_t i = 0, j = 0;
  while (i < server_items.size() || j < patch_items.size()) {
    bool take_server;
    if (j >= patch_items.size()) {
      take_server = true;
    } else if (i >= server_items.size()) {
      take_server = false;
    } else {
      auto l = server_order.find(server_items[i].key);
      auto r = server_order.find(patch_items[j].key);
      take_server = l != server_order.end() && r != server_order.end() && l->second < r->second;
    }
    out.push_back(std::move(take_server ? server_items[i++].value : patch_items[j++].value));
  }
  list = std::move(out);
}

KeyOf ScalarKey() {
  return [](const Json& e) { return Identity(e); };
}

KeyOf MergeKeyOf(std::string merge_key) {
  return [merge_key = std::move(merge_key)](const Json& e) {
    auto it = e.find(merge_key);
    return it == e.end() ? std::string("\x01missing") : Identity(*it);
  };
}

class Merger {
 public:
  Status MergeMap(Json& original, const Json& patch, const Schema* schema, int depth);

 private:
  Status MergeList(Json& original, const Json& patch, const Schema* items,
                   std::string_view merge_key, int depth);
  Status MergeListOfObjects(Json& original, const Json& patch, const Schema* items,
                            std::string_view merge_key, int depth);
  Status DeleteFromPrimitiveList(Json& original, const Json& to_delete);
  Status ApplyRetainKeys(Json& original, const Json& patch);
  Status ApplySetElementOrder(Json& original, const Json& patch, const std::string& directive,
                              const Json& order, const Schema* schema,
                              std::unordered_set<std::string>* handled, int depth);
};

Status CheckDepth(int depth) {
  // MergeMap recursion follows the patch, whose depth was checked up front; this guard only
  // protects against a bug turning into a stack overflow.
  if (depth > kMaxNestingDepth + 2) {
    return Status::BadRequest("the patch exceeds the maximum nesting depth of " +
                              std::to_string(kMaxNestingDepth));
  }
  return Status::OK();
}

Status Merger::MergeMap(Json& original, const Json& patch, const Schema* schema, int depth) {
  HARU_RETURN_IF_ERROR(CheckDepth(depth));
  auto directive = patch.find(kPatchDirective);
  if (directive != patch.end()) {
    if (*directive == "replace") {
      Json replacement = patch;
      Clean(replacement, false);
      original = std::move(replacement);
      return Status::OK();
    }
    if (*directive == "delete") {
      original = Json::object();
      return Status::OK();
    }
    return Status::BadRequest("unknown patch type: " + ShortJson(*directive) +
                              " in map: " + ShortJson(patch));
  }
  if (!original.is_object()) original = Json::object();

  HARU_RETURN_IF_ERROR(ApplyRetainKeys(original, patch));

  // $setElementOrder lists first: each merges and orders its list, which is then skipped.
  std::unordered_set<std::string> handled;
  for (const auto& [key, value] : patch.items()) {
    if (!StartsWith(key, kSetElementOrder)) continue;
    HARU_RETURN_IF_ERROR(
        ApplySetElementOrder(original, patch, key, value, schema, &handled, depth));
  }

  for (const auto& [patch_key, value] : patch.items()) {
    if (patch_key == kRetainKeys || StartsWith(patch_key, kSetElementOrder)) continue;
    std::string key = patch_key;
    bool is_delete_list = false;
    if (StartsWith(patch_key, kDeleteFromPrimitiveList)) {
      if (patch_key.size() <= kDeleteFromPrimitiveList.size() ||
          patch_key[kDeleteFromPrimitiveList.size()] != '/') {
        return Status::BadRequest(std::string(kErrPrimitiveList));
      }
      key = patch_key.substr(kDeleteFromPrimitiveList.size() + 1);
      is_delete_list = true;
    }
    if (handled.count(key) != 0 && !is_delete_list) continue;

    if (value.is_null()) {
      original.erase(key);
      continue;
    }
    auto it = original.find(key);
    if (it == original.end()) {
      if (is_delete_list) continue;
      Json added = value;
      if (Clean(added, false)) original[key] = std::move(added);
      continue;
    }
    if (is_delete_list) {
      if (it->is_array() && value.is_array()) {
        HARU_RETURN_IF_ERROR(DeleteFromPrimitiveList(*it, value));
      }
      continue;
    }
    FieldMeta meta = LookupField(schema, key);
    if (it->is_object() && value.is_object() && meta.strategy != "replace") {
      HARU_RETURN_IF_ERROR(MergeMap(*it, value, meta.schema, depth + 1));
    } else if (it->is_array() && value.is_array() && meta.strategy == "merge") {
      HARU_RETURN_IF_ERROR(MergeList(*it, value, ItemsOf(meta.schema), meta.merge_key, depth + 1));
    } else {
      Json replacement = value;
      if (Clean(replacement, false)) {
        *it = std::move(replacement);
      } else {
        original.erase(it);
      }
    }
  }
  return Status::OK();
}

Status Merger::ApplyRetainKeys(Json& original, const Json& patch) {
  auto retain = patch.find(kRetainKeys);
  if (retain == patch.end()) return Status::OK();
  if (!retain->is_array()) return Status::BadRequest(std::string(kErrRetainKeys));
  std::unordered_set<std::string> keep;
  for (const Json& k : *retain) {
    if (k.is_string()) keep.insert(k.get<std::string>());
  }
  for (const auto& [key, value] : patch.items()) {
    if (key == kRetainKeys || value.is_null() || StartsWith(key, kDeleteFromPrimitiveList) ||
        StartsWith(key, kSetElementOrder)) {
      continue;
    }
    if (keep.count(key) == 0) return Status::BadRequest(std::string(kErrRetainKeys));
  }
  for (auto it = original.begin(); it != original.end();) {
    it = keep.count(it.key()) == 0 ? original.erase(it) : std::next(it);
  }
  return Status::OK();
}

Status Merger::MergeList(Json& original, const Json& patch, const Schema* items,
                         std::string_view merge_key, int depth) {
  if (original.empty() && patch.empty()) return Status::OK();
  ElementKind kind;
  HARU_RETURN_IF_ERROR(ListElementKind({&original, &patch}, &kind));
  if (kind == ElementKind::kObject) {
    return MergeListOfObjects(original, patch, items, merge_key, depth);
  }
  // A set of scalars: the union, ordered by the patch and then the live list.
  OrderIndex server_order, patch_order;
  std::unordered_set<std::string> seen;
  Json merged = Json::array();
  for (const Json& e : original) {
    std::string id = Identity(e);
    AddToIndex(server_order, id, server_order.size());
    if (seen.insert(std::move(id)).second) merged.push_back(e);
  }
  for (const Json& e : patch) {
    std::string id = Identity(e);
    AddToIndex(patch_order, id, patch_order.size());
    if (seen.insert(std::move(id)).second) merged.push_back(e);
  }
  Reorder(merged, ScalarKey(), patch_order, server_order);
  original = std::move(merged);
  return Status::OK();
}

Status Merger::MergeListOfObjects(Json& original, const Json& patch, const Schema* items,
                                  std::string_view merge_key, int depth) {
  if (merge_key.empty()) {
    return Status::BadRequest("cannot merge lists without merge key for " +
                              (items != nullptr && !items->name.empty() ? items->name
                                                                        : std::string("list")));
  }
  const std::string key(merge_key);
  KeyOf key_of = MergeKeyOf(key);

  // Directive elements first: deletions by merge key, and "replace the whole list".
  std::vector<const Json*> plain;
  bool replace = false;
  for (const Json& e : patch) {
    auto directive = e.find(kPatchDirective);
    if (directive == e.end()) {
      plain.push_back(&e);
    } else if (*directive == "delete") {
      auto value = e.find(key);
      if (value == e.end()) return NoMergeKey(e, key);
      std::string id = Identity(*value);
      Json kept = Json::array();
      for (Json& o : original) {
        auto ov = o.find(key);
        if (ov == o.end() || Identity(*ov) != id) kept.push_back(std::move(o));
      }
      original = std::move(kept);
    } else if (*directive == "replace") {
      replace = true;
    } else if (*directive == "merge") {
      return Status::BadRequest("merging lists cannot yet be specified in the patch");
    } else {
      return Status::BadRequest("unknown patch type: " + ShortJson(*directive) +
                                " in map: " + ShortJson(e));
    }
  }
  if (replace) {
    Json replacement = Json::array();
    for (const Json* e : plain) {
      Json copy = *e;
      if (Clean(copy, true)) replacement.push_back(std::move(copy));
    }
    original = std::move(replacement);
    plain.clear();
  }

  OrderIndex server_order;
  for (size_t i = 0; i < original.size(); ++i) {
    if (!original[i].contains(key)) return NoMergeKey(original[i], key);
    AddToIndex(server_order, key_of(original[i]), i);
  }
  OrderIndex position = server_order;  // merge-key identity -> element in `original`
  OrderIndex patch_order;
  for (const Json* e : plain) {
    auto value = e->find(key);
    if (value == e->end()) return NoMergeKey(*e, key);
    std::string id = Identity(*value);
    AddToIndex(patch_order, id, patch_order.size());
    auto found = position.find(id);
    if (found != position.end()) {
      HARU_RETURN_IF_ERROR(MergeMap(original[found->second], *e, items, depth + 1));
    } else {
      Json added = *e;
      Clean(added, true);
      original.push_back(std::move(added));
      position.emplace(std::move(id), original.size() - 1);
    }
  }
  Reorder(original, key_of, patch_order, server_order);
  return Status::OK();
}

Status Merger::DeleteFromPrimitiveList(Json& original, const Json& to_delete) {
  if (original.empty() && to_delete.empty()) return Status::OK();
  ElementKind kind;
  HARU_RETURN_IF_ERROR(ListElementKind({&original, &to_delete}, &kind));
  if (kind == ElementKind::kObject) return Status::BadRequest(std::string(kErrPrimitiveList));
  std::unordered_set<std::string> gone;
  for (const Json& e : to_delete) gone.insert(Identity(e));
  Json kept = Json::array();
  for (Json& e : original) {
    if (gone.count(Identity(e)) == 0) kept.push_back(std::move(e));
  }
  original = std::move(kept);
  return Status::OK();
}

// upstream's validatePatchWithSetOrderList: the patch list's items (deletions and directives
// aside) must appear in $setElementOrder, in the same relative order.
Status ValidateSetElementOrder(const Json* patch_list, const Json& order,
                               std::string_view merge_key) {
  if (patch_list == nullptr || patch_list->empty() || order.empty()) return Status::OK();
  std::vector<const Json*> items;
  for (const Json& e : *patch_list) {
    if (!merge_key.empty()) {
      if (!e.is_object()) {
        return Status::BadRequest("expected a map in list, but received " + ShortJson(e));
      }
      auto directive = e.find(kPatchDirective);
      if (directive != e.end() && *directive == "delete") continue;
    }
    items.push_back(&e);
  }
  const std::string key(merge_key);
  size_t pi = 0, si = 0;
  while (pi < items.size() && si < order.size()) {
    const Json& item = *items[pi];
    if (item.is_object() && item.contains(kPatchDirective)) {
      ++pi;
      continue;
    }
    bool equal;
    if (key.empty()) {
      equal = Identity(item) == Identity(order[si]);
    } else {
      if (!order[si].is_object()) {
        return Status::BadRequest("expected a map in " + std::string(kSetElementOrder) +
                                  " list, but received " + ShortJson(order[si]));
      }
      auto a = item.find(key);
      if (a == item.end()) return NoMergeKey(item, key);
      auto b = order[si].find(key);
      if (b == order[si].end()) return NoMergeKey(order[si], key);
      equal = Identity(*a) == Identity(*b);
    }
    if (equal) ++pi;
    ++si;
  }
  if (pi < items.size() && si >= order.size()) {
    return Status::BadRequest("The order in patch list:\n" + ShortJson(*patch_list) +
                              "\n doesn't match " + std::string(kSetElementOrder) + " list:\n" +
                              ShortJson(order) + "\n");
  }
  return Status::OK();
}

Status Merger::ApplySetElementOrder(Json& original, const Json& patch,
                                    const std::string& directive, const Json& order,
                                    const Schema* schema,
                                    std::unordered_set<std::string>* handled, int depth) {
  if (directive.size() <= kSetElementOrder.size() || directive[kSetElementOrder.size()] != '/') {
    return Status::BadRequest(std::string(kErrSetElementOrder));
  }
  if (!order.is_array()) return Status::BadRequest(std::string(kErrSetElementOrder));
  const std::string key = directive.substr(kSetElementOrder.size() + 1);
  auto orig_it = original.find(key);
  auto patch_it = patch.find(key);
  bool in_original = orig_it != original.end();
  bool in_patch = patch_it != patch.end();
  if (in_original && !orig_it->is_array()) {
    return Status::BadRequest("expected a list for " + std::string(kSetElementOrder) + " field " +
                              key + ", but the object has " + ShortJson(*orig_it));
  }
  if (in_patch && !patch_it->is_array()) {
    return Status::BadRequest("expected a list for " + std::string(kSetElementOrder) + " field " +
                              key + ", but the patch has " + ShortJson(*patch_it));
  }
  FieldMeta meta = LookupField(schema, key);
  HARU_RETURN_IF_ERROR(
      ValidateSetElementOrder(in_patch ? &*patch_it : nullptr, order, meta.merge_key));
  handled->insert(key);
  if (!in_original && !in_patch) return Status::OK();

  const Json empty = Json::array();
  const Json& live = in_original ? *orig_it : empty;
  const Json& patch_list = in_patch ? *patch_it : empty;
  Json merged;
  if (in_original && !in_patch) {
    merged = live;
  } else if (!in_original || meta.strategy != "merge") {
    merged = patch_list;
    Clean(merged, false);
  } else {
    merged = live;
    HARU_RETURN_IF_ERROR(
        MergeList(merged, patch_list, ItemsOf(meta.schema), meta.merge_key, depth + 1));
  }

  ElementKind kind;
  HARU_RETURN_IF_ERROR(ListElementKind({&live, &patch_list}, &kind));
  KeyOf key_of = ScalarKey();
  if (!meta.merge_key.empty()) {
    const std::string merge_key(meta.merge_key);
    for (const Json* list : std::initializer_list<const Json*>{&merged, &order, &live}) {
      for (const Json& e : *list) {
        if (!e.is_object()) {
          return Status::BadRequest("expected a map in list " + key + ", but received " +
                                    ShortJson(e));
        }
        if (!e.contains(merge_key)) return NoMergeKey(e, merge_key);
      }
    }
    key_of = MergeKeyOf(merge_key);
  }
  OrderIndex patch_order, server_order;
  for (size_t i = 0; i < order.size(); ++i) AddToIndex(patch_order, key_of(order[i]), i);
  for (size_t i = 0; i < live.size(); ++i) AddToIndex(server_order, key_of(live[i]), i);
  Reorder(merged, key_of, patch_order, server_order);
  original[key] = std::move(merged);
  return Status::OK();
}

}  // namespace

StatusOr<Json> ApplyStrategicMergePatch(const Json& original, const Json& patch,
                                        const Schema* schema) {
  try {
    if (patch.is_null()) return original;  // Go decodes null into an empty map
    if (!patch.is_object()) {
      return Status::BadRequest("json: cannot unmarshal " +
                                std::string(internal::GoJsonKind(patch)) +
                                " into Go value of type map[string]interface {}");
    }
    if (!original.is_object()) return Status::BadRequest("invalid JSON document");
    HARU_RETURN_IF_ERROR(internal::CheckNestingDepth(patch, kMaxNestingDepth, "the patch"));
    HARU_RETURN_IF_ERROR(internal::CheckNestingDepth(original, kMaxNestingDepth, "the object"));
    Json result = original;
    Merger merger;
    HARU_RETURN_IF_ERROR(merger.MergeMap(result, patch, schema, 1));
    return result;
  } catch (const std::exception& e) {
    return Status::Internal(std::string("strategic merge patch: ") + e.what());
  }
}

}  // namespace haru::api::patch
