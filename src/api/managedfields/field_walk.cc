#include "api/managedfields/field_walk.h"

#include <map>

#include "api/managedfields/internal/schema_walk.h"

namespace haru::api::managedfields {

using internal::ChildType;
using internal::IsEmptyValue;
using internal::ItemKey;
using internal::ItemType;
using internal::Shape;
using internal::ShapeOf;
using internal::Type;

namespace {

// Items of a list-map or set by their path element key.
std::map<std::string, const Json*> IndexItems(const Json& list, const Type& type, Shape shape) {
  std::map<std::string, const Json*> out;
  for (size_t i = 0; i < list.size(); ++i) {
    out.emplace(ItemKey(type, shape, list[i], i), &list[i]);
  }
  return out;
}

void Collect(const Json& value, const Type& type, FieldSet& node);

void CollectChildren(const Json& value, const Type& type, Shape shape, FieldSet& node) {
  if (shape == Shape::kStruct || shape == Shape::kMap) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it->is_null()) continue;
      Collect(*it, ChildType(type, shape, it.key()), node.children["f:" + it.key()]);
    }
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const Json& item = value[i];
    FieldSet& item_node = node.children[ItemKey(type, shape, item, i)];
    item_node.member = true;
    Type item_type = ItemType(type);
    Shape item_shape = ShapeOf(item_type, item);
    if (shape == Shape::kListMap && item_shape == Shape::kStruct) {
      CollectChildren(item, item_type, item_shape, item_node);
    }
  }
}

void Collect(const Json& value, const Type& type, FieldSet& node) {
  Shape shape = ShapeOf(type, value);
  if (shape == Shape::kAtomic || IsEmptyValue(value)) {
    node.member = true;
    return;
  }
  CollectChildren(value, type, shape, node);
}

// The whole of `value` as added or removed. `self`: the node's own path counts too (a map,
// a map entry, a list item), as upstream records a new map or item with ".".
void Whole(const Json& value, const Type& type, bool self, FieldSet& node) {
  Shape shape = ShapeOf(type, value);
  if (shape == Shape::kAtomic || IsEmptyValue(value)) {
    node.member = true;
    return;
  }
  if (self) node.member = true;
  if (shape == Shape::kStruct || shape == Shape::kMap) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it->is_null()) continue;
      Type child = ChildType(type, shape, it.key());
      bool child_self = shape == Shape::kMap || ShapeOf(child, *it) == Shape::kMap;
      Whole(*it, child, child_self, node.children["f:" + it.key()]);
    }
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    Whole(value[i], ItemType(type), true, node.children[ItemKey(type, shape, value[i], i)]);
  }
}

struct Nodes {
  FieldSet added, modified, removed;
  void MoveInto(Nodes& parent, const std::string& key) {
    if (!added.empty()) parent.added.children[key] = std::move(added);
    if (!modified.empty()) parent.modified.children[key] = std::move(modified);
    if (!removed.empty()) parent.removed.children[key] = std::move(removed);
  }
};

void Diff(const Json* a, const Json* b, const Type& type, bool self, Nodes& out) {
  if (a != nullptr && a->is_null()) a = nullptr;
  if (b != nullptr && b->is_null()) b = nullptr;
  if (a == nullptr && b == nullptr) return;
  if (a == nullptr) return Whole(*b, type, self, out.added);
  if (b == nullptr) return Whole(*a, type, self, out.removed);
  Shape shape = ShapeOf(type, *a);
  if (shape != ShapeOf(type, *b) || shape == Shape::kAtomic ||
      (IsEmptyValue(*a) && IsEmptyValue(*b))) {
    if (*a != *b) out.modified.member = true;
    return;
  }
  if (shape == Shape::kStruct || shape == Shape::kMap) {
    auto visit = [&](const std::string& key) {
      auto ia = a->find(key);
      auto ib = b->find(key);
      const Json* ca = ia == a->end() ? nullptr : &*ia;
      const Json* cb = ib == b->end() ? nullptr : &*ib;
      Type child = ChildType(type, shape, key);
      const Json* present = cb != nullptr && !cb->is_null() ? cb : ca;
      bool child_self = shape == Shape::kMap ||
                        (present != nullptr && ShapeOf(child, *present) == Shape::kMap);
      Nodes sub;
      Diff(ca, cb, child, child_self, sub);
      sub.MoveInto(out, "f:" + key);
    };
    for (auto it = a->begin(); it != a->end(); ++it) visit(it.key());
    for (auto it = b->begin(); it != b->end(); ++it) {
      if (!a->contains(it.key())) visit(it.key());
    }
    return;
  }
  std::map<std::string, const Json*> items_a = IndexItems(*a, type, shape);
  std::map<std::string, const Json*> items_b = IndexItems(*b, type, shape);
  auto visit = [&](const std::string& key, const Json* ca, const Json* cb) {
    Nodes sub;
    Diff(ca, cb, ItemType(type), true, sub);
    sub.MoveInto(out, key);
  };
  for (const auto& [key, item] : items_a) {
    auto it = items_b.find(key);
    visit(key, item, it == items_b.end() ? nullptr : it->second);
  }
  for (const auto& [key, item] : items_b) {
    if (!items_a.contains(key)) visit(key, nullptr, item);
  }
}

}  // namespace

FieldSet FieldsOf(const Json& obj, const Schema* schema) {
  FieldSet root;
  if (!obj.is_object()) return root;
  CollectChildren(obj, internal::RootType(schema), Shape::kStruct, root);
  Compact(root);
  return root;
}

Comparison Compare(const Json* old_obj, const Json& new_obj, const Schema* schema) {
  Nodes out;
  Json empty = Json::object();
  Diff(old_obj != nullptr ? old_obj : &empty, &new_obj, internal::RootType(schema), false, out);
  // The object itself is never a member.
  out.added.member = out.modified.member = out.removed.member = false;
  return {std::move(out.added), std::move(out.modified), std::move(out.removed)};
}

}  // namespace haru::api::managedfields
