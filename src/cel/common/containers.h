#pragma once
// The list and map implementations built by literals, comprehensions and library functions.

#include <unordered_map>
#include <utility>
#include <vector>

#include "cel/common/value.h"

namespace haru::cel {

class ValueList final : public ListValue {
 public:
  ValueList() = default;
  explicit ValueList(std::vector<Value> elements) : elements_(std::move(elements)) {}
  size_t size() const override { return elements_.size(); }
  Value Get(size_t index) const override { return elements_[index]; }
  const Value* GetRef(size_t index) const override { return &elements_[index]; }
  // Mutation is only for the builder that holds the only reference (see comprehension append).
  std::vector<Value>& mutable_elements() { return elements_; }
  const std::vector<Value>& elements() const { return elements_; }

 private:
  std::vector<Value> elements_;
};

// Insertion-ordered map. Small maps scan linearly (fastest for the few keys a selector
// touches); larger ones add a hash index.
class ValueMap final : public MapValue {
 public:
  ValueMap() = default;
  // Returns false when `key` is already present (map literals reject duplicates).
  bool Insert(Value key, Value value);
  size_t size() const override { return entries_.size(); }
  bool Find(const Value& key, Value* out) const override;
  bool FindString(std::string_view key, Value* out) const override;
  const Value* FindStringRef(std::string_view key, bool* supported) const override;
  Value KeyAt(size_t i) const override { return entries_[i].first; }
  Value ValueAt(size_t i) const override { return entries_[i].second; }

 private:
  static constexpr size_t kIndexThreshold = 16;
  void BuildIndex();
  int64_t FindIndex(const Value& key) const;

  std::vector<std::pair<Value, Value>> entries_;
  std::unordered_map<size_t, std::vector<uint32_t>> index_;  // key hash -> entry positions
};

// Hash of a map key consistent with heterogeneous numeric equality (1 == 1u == 1.0).
size_t HashKey(const Value& key);
// Whether `v` may be a map key: bool, int, uint or string.
bool IsValidMapKey(const Value& v);

}  // namespace haru::cel
