#pragma once
// Value is CEL's runtime value: a 16-byte tagged union. Scalars, durations and timestamps live
// inline; strings, bytes and type names are a (pointer, length) view that is either borrowed
// (the text outlives the evaluation: program constants, input documents) or owned (a
// ref-counted block allocated during evaluation). Lists, maps, errors, optionals and opaque
// library values are heap objects, again borrowed or owned. Copying a borrowed or scalar Value
// never touches memory beyond the 16 bytes, which keeps hot evaluations allocation-free.

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haru::cel {

enum class ValueKind : uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kDuration,
  kTimestamp,
  kList,
  kMap,
  kType,
  kOptional,
  kOpaque,  // a library type: quantity, ip, cidr, semver, url, ...
  kError,
  kUnknown,
};

// Upstream's type name for a kind ("int", "google.protobuf.Duration", ...).
std::string_view KindName(ValueKind kind);

class Value;

// Base of every heap object a Value can point at. The count is atomic because a result may be
// handed to another thread; borrowed Values never touch it.
class HeapObject {
 public:
  HeapObject() = default;
  HeapObject(const HeapObject&) = delete;
  HeapObject& operator=(const HeapObject&) = delete;
  virtual ~HeapObject() = default;

  void Ref() const { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() const {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
  bool IsUnique() const { return refs_.load(std::memory_order_acquire) == 1; }

 private:
  mutable std::atomic<int32_t> refs_{1};
};

// A CEL list. Implementations may be adapters over foreign data (a JSON document).
class ListValue : public HeapObject {
 public:
  virtual size_t size() const = 0;
  virtual Value Get(size_t index) const = 0;
  // The stored element without copying it, or null when the list does not store Values.
  virtual const Value* GetRef(size_t index) const {
    (void)index;
    return nullptr;
  }
};

// A CEL map. Keys are bool, int, uint or string; numeric keys compare by value (1 == 1u).
class MapValue : public HeapObject {
 public:
  virtual size_t size() const = 0;
  // Sets *out and returns true when `key` is present.
  virtual bool Find(const Value& key, Value* out) const = 0;
  // Fast path for field selection (`m.field`, `m['field']`).
  virtual bool FindString(std::string_view key, Value* out) const = 0;
  // The stored value for `key` without copying it (no reference-count traffic), or null
  // when absent. Maps that do not store Values set *supported = false and callers fall
  // back to FindString.
  virtual const Value* FindStringRef(std::string_view key, bool* supported) const {
    (void)key;
    *supported = false;
    return nullptr;
  }
  // Iteration in a stable order (insertion order for literals).
  virtual Value KeyAt(size_t index) const = 0;
  virtual Value ValueAt(size_t index) const = 0;
};

// A value of a library type (quantity, semver, ...).
class OpaqueValue : public HeapObject {
 public:
  virtual std::string_view TypeName() const = 0;
  virtual bool Equals(const OpaqueValue& other) const = 0;
  virtual std::string DebugString() const = 0;
};

class ErrorObject;
class UnknownObject;
class OptionalObject;

class Value {
 public:
  Value() : kind_(ValueKind::kNull), owned_(false), aux_(0), i_(0) {}
  Value(const Value& other) : kind_(other.kind_), owned_(other.owned_), aux_(other.aux_), i_(other.i_) {
    if (owned_) Retain();
  }
  Value(Value&& other) noexcept
      : kind_(other.kind_), owned_(other.owned_), aux_(other.aux_), i_(other.i_) {
    other.owned_ = false;
  }
  Value& operator=(const Value& other) {
    if (this != &other) {
      if (other.owned_) other.Retain();
      if (owned_) Release();
      kind_ = other.kind_, owned_ = other.owned_, aux_ = other.aux_, i_ = other.i_;
    }
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    if (this != &other) {
      if (owned_) Release();
      kind_ = other.kind_, owned_ = other.owned_, aux_ = other.aux_, i_ = other.i_;
      other.owned_ = false;
    }
    return *this;
  }
  ~Value() {
    if (owned_) Release();
  }

  // --- Factories ---
  static Value Null() { return Value(); }
  static Value Bool(bool b) { Value v(ValueKind::kBool); v.b_ = b; return v; }
  static Value Int(int64_t i) { Value v(ValueKind::kInt); v.i_ = i; return v; }
  static Value Uint(uint64_t u) { Value v(ValueKind::kUint); v.u_ = u; return v; }
  static Value Double(double d) { Value v(ValueKind::kDouble); v.d_ = d; return v; }
  // Borrowed text: `s` must outlive every copy of the Value.
  static Value StringView(std::string_view s) { return View(ValueKind::kString, s); }
  static Value BytesView(std::string_view s) { return View(ValueKind::kBytes, s); }
  static Value TypeView(std::string_view name) { return View(ValueKind::kType, name); }
  // Owned text (one allocation; empty text allocates nothing).
  static Value String(std::string_view s) { return Owned(ValueKind::kString, s); }
  static Value Bytes(std::string_view s) { return Owned(ValueKind::kBytes, s); }
  static Value Type(std::string_view name) { return Owned(ValueKind::kType, name); }
  // A duration of `seconds` + `nanos` (same sign, |nanos| < 1e9). The caller checks the range.
  static Value Duration(int64_t seconds, int32_t nanos) {
    Value v(ValueKind::kDuration); v.i_ = seconds; v.aux_ = static_cast<uint32_t>(nanos); return v;
  }
  // A timestamp: seconds since the Unix epoch, 0 <= nanos < 1e9.
  static Value Timestamp(int64_t seconds, int32_t nanos) {
    Value v(ValueKind::kTimestamp); v.i_ = seconds; v.aux_ = static_cast<uint32_t>(nanos); return v;
  }
  // Heap values take over the caller's reference (`new X(...)` has count 1).
  static Value List(const ListValue* list) { return Heap(ValueKind::kList, list, true); }
  static Value Map(const MapValue* map) { return Heap(ValueKind::kMap, map, true); }
  static Value Opaque(const OpaqueValue* o) { return Heap(ValueKind::kOpaque, o, true); }
  // Borrowed heap values: the object outlives every copy (program constants, inputs).
  static Value ListView(const ListValue* list) { return Heap(ValueKind::kList, list, false); }
  static Value MapView(const MapValue* map) { return Heap(ValueKind::kMap, map, false); }
  static Value Error(std::string message);
  static Value Unknown(int64_t attribute_id);
  static Value OptionalNone() { return Heap(ValueKind::kOptional, nullptr, false); }
  static Value OptionalOf(Value v);

  // --- Accessors (REQUIRE the matching kind) ---
  ValueKind kind() const { return kind_; }
  bool Is(ValueKind k) const { return kind_ == k; }
  bool IsError() const { return kind_ == ValueKind::kError; }
  bool IsUnknown() const { return kind_ == ValueKind::kUnknown; }
  // Errors and unknowns short-circuit strict functions.
  bool IsErrorOrUnknown() const { return kind_ >= ValueKind::kError; }
  bool IsOwned() const { return owned_; }
  // The same value without a reference of its own; valid while `*this` lives. Program
  // constants hand these out so that evaluation never touches their reference counts.
  Value Borrowed() const {
    Value v(kind_);
    v.aux_ = aux_;
    v.i_ = i_;
    return v;
  }

  bool bool_value() const { return b_; }
  int64_t int_value() const { return i_; }
  uint64_t uint_value() const { return u_; }
  double double_value() const { return d_; }
  std::string_view string_value() const { return {str_, aux_}; }  // string, bytes, type
  int64_t seconds() const { return i_; }                           // duration, timestamp
  int32_t nanos() const { return static_cast<int32_t>(aux_); }
  const ListValue& list() const { return *static_cast<const ListValue*>(obj_); }
  const MapValue& map() const { return *static_cast<const MapValue*>(obj_); }
  const OpaqueValue& opaque() const { return *static_cast<const OpaqueValue*>(obj_); }
  const ListValue* list_ptr() const { return static_cast<const ListValue*>(obj_); }
  const std::string& error_message() const;
  bool optional_has_value() const { return obj_ != nullptr; }
  const Value& optional_value() const;  // REQUIRES: optional_has_value()
  const UnknownObject& unknown() const;

  // Type name of this value as `type(x)` reports it.
  std::string_view TypeName() const;
  // A readable rendering for tests and the CLI: 1, 2u, "s", b"..", [1, 2], {"k": v}.
  std::string DebugString() const;

 private:
  explicit Value(ValueKind k) : kind_(k), owned_(false), aux_(0), i_(0) {}
  static Value View(ValueKind k, std::string_view s) {
    Value v(k); v.str_ = s.data(); v.aux_ = static_cast<uint32_t>(s.size()); return v;
  }
  static Value Owned(ValueKind k, std::string_view s);
  static Value Heap(ValueKind k, const HeapObject* obj, bool owned) {
    Value v(k); v.obj_ = obj; v.owned_ = owned && obj != nullptr; return v;
  }
  bool IsText() const {
    return kind_ == ValueKind::kString || kind_ == ValueKind::kBytes || kind_ == ValueKind::kType;
  }
  void Retain() const;
  void Release();

  ValueKind kind_;
  bool owned_;
  uint32_t aux_;  // text length, or nanos of a duration/timestamp
  union {
    bool b_;
    int64_t i_;
    uint64_t u_;
    double d_;
    const char* str_;
    const HeapObject* obj_;
  };
};
static_assert(sizeof(Value) == 16, "Value must stay two words");

class ErrorObject final : public HeapObject {
 public:
  explicit ErrorObject(std::string message) : message_(std::move(message)) {}
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// The attribute ids a partial evaluation could not resolve.
class UnknownObject final : public HeapObject {
 public:
  explicit UnknownObject(int64_t id) : ids_{id} {}
  explicit UnknownObject(std::vector<int64_t> ids) : ids_(std::move(ids)) {}
  const std::vector<int64_t>& ids() const { return ids_; }
  std::vector<int64_t>& mutable_ids() { return ids_; }

 private:
  std::vector<int64_t> ids_;
};

inline const UnknownObject& Value::unknown() const {
  return *static_cast<const UnknownObject*>(obj_);
}

class OptionalObject final : public HeapObject {
 public:
  explicit OptionalObject(Value v) : value_(std::move(v)) {}
  const Value& value() const { return value_; }

 private:
  Value value_;
};

}  // namespace haru::cel
