#include "cel/common/containers.h"

#include <cmath>
#include <functional>

#include "cel/common/equality.h"

namespace haru::cel {

bool IsValidMapKey(const Value& v) {
  switch (v.kind()) {
    case ValueKind::kBool:
    case ValueKind::kInt:
    case ValueKind::kUint:
    case ValueKind::kString:
      return true;
    default:
      return false;
  }
}

size_t HashKey(const Value& key) {
  switch (key.kind()) {
    case ValueKind::kBool:
      return key.bool_value() ? 1 : 2;
    case ValueKind::kInt:
      return std::hash<int64_t>()(key.int_value());
    case ValueKind::kUint:
      // Values that fit int64 hash like the equal int.
      return key.uint_value() <= static_cast<uint64_t>(INT64_MAX)
                 ? std::hash<int64_t>()(static_cast<int64_t>(key.uint_value()))
                 : std::hash<uint64_t>()(key.uint_value());
    case ValueKind::kDouble: {
      double d = key.double_value();
      if (d == std::trunc(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        return std::hash<int64_t>()(static_cast<int64_t>(d));
      }
      return std::hash<double>()(d);
    }
    case ValueKind::kString:
      return std::hash<std::string_view>()(key.string_value());
    default:
      return 0;
  }
}

bool ValueMap::Insert(Value key, Value value) {
  if (FindIndex(key) >= 0) return false;
  entries_.emplace_back(std::move(key), std::move(value));
  if (entries_.size() == kIndexThreshold) {
    BuildIndex();
  } else if (entries_.size() > kIndexThreshold) {
    index_[HashKey(entries_.back().first)].push_back(static_cast<uint32_t>(entries_.size() - 1));
  }
  return true;
}

void ValueMap::BuildIndex() {
  index_.clear();
  for (size_t i = 0; i < entries_.size(); ++i) {
    index_[HashKey(entries_[i].first)].push_back(static_cast<uint32_t>(i));
  }
}

int64_t ValueMap::FindIndex(const Value& key) const {
  if (entries_.size() >= kIndexThreshold) {
    auto it = index_.find(HashKey(key));
    if (it == index_.end()) return -1;
    for (uint32_t i : it->second) {
      if (ValueEquals(entries_[i].first, key)) return i;
    }
    return -1;
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (ValueEquals(entries_[i].first, key)) return static_cast<int64_t>(i);
  }
  return -1;
}

bool ValueMap::Find(const Value& key, Value* out) const {
  int64_t i = FindIndex(key);
  if (i < 0) return false;
  *out = entries_[i].second;
  return true;
}

const Value* ValueMap::FindStringRef(std::string_view key, bool* supported) const {
  *supported = true;
  if (entries_.size() >= kIndexThreshold) {
    int64_t i = FindIndex(Value::StringView(key));
    return i < 0 ? nullptr : &entries_[i].second;
  }
  for (const auto& [k, v] : entries_) {
    if (k.kind() == ValueKind::kString && k.string_value() == key) return &v;
  }
  return nullptr;
}

bool ValueMap::FindString(std::string_view key, Value* out) const {
  if (entries_.size() >= kIndexThreshold) return Find(Value::StringView(key), out);
  for (const auto& [k, v] : entries_) {
    if (k.kind() == ValueKind::kString && k.string_value() == key) {
      *out = v;
      return true;
    }
  }
  return false;
}

}  // namespace haru::cel
