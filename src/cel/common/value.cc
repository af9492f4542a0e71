#include "cel/common/value.h"

#include <cmath>
#include <cstdio>
#include <new>

#include "cel/common/format.h"
#include "cel/common/time.h"

namespace haru::cel {
namespace {

// Owned text lives in one block: this header, then the bytes. The Value points at the bytes,
// so reading text never branches on ownership.
struct TextHeader {
  std::atomic<int32_t> refs;
  uint32_t size;
};

TextHeader* HeaderOf(const char* data) {
  return reinterpret_cast<TextHeader*>(const_cast<char*>(data) - sizeof(TextHeader));
}

}  // namespace

std::string_view KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return "null_type";
    case ValueKind::kBool: return "bool";
    case ValueKind::kInt: return "int";
    case ValueKind::kUint: return "uint";
    case ValueKind::kDouble: return "double";
    case ValueKind::kString: return "string";
    case ValueKind::kBytes: return "bytes";
    case ValueKind::kDuration: return "google.protobuf.Duration";
    case ValueKind::kTimestamp: return "google.protobuf.Timestamp";
    case ValueKind::kList: return "list";
    case ValueKind::kMap: return "map";
    case ValueKind::kType: return "type";
    case ValueKind::kOptional: return "optional_type";
    case ValueKind::kOpaque: return "opaque";
    case ValueKind::kError: return "*error*";
    case ValueKind::kUnknown: return "*unknown*";
  }
  return "?";
}

Value Value::Owned(ValueKind k, std::string_view s) {
  if (s.empty()) return View(k, std::string_view());
  void* block = ::operator new(sizeof(TextHeader) + s.size());
  auto* header = new (block) TextHeader{{1}, static_cast<uint32_t>(s.size())};
  char* data = reinterpret_cast<char*>(header + 1);
  std::memcpy(data, s.data(), s.size());
  Value v(k);
  v.str_ = data;
  v.aux_ = static_cast<uint32_t>(s.size());
  v.owned_ = true;
  return v;
}

void Value::Retain() const {
  if (IsText()) {
    HeaderOf(str_)->refs.fetch_add(1, std::memory_order_relaxed);
  } else {
    obj_->Ref();
  }
}

void Value::Release() {
  if (IsText()) {
    TextHeader* h = HeaderOf(str_);
    if (h->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      h->~TextHeader();
      ::operator delete(h);
    }
  } else {
    obj_->Unref();
  }
  owned_ = false;
}

Value Value::Error(std::string message) {
  return Heap(ValueKind::kError, new ErrorObject(std::move(message)), true);
}

Value Value::Unknown(int64_t attribute_id) {
  return Heap(ValueKind::kUnknown, new UnknownObject(attribute_id), true);
}

Value Value::OptionalOf(Value v) {
  return Heap(ValueKind::kOptional, new OptionalObject(std::move(v)), true);
}

const std::string& Value::error_message() const {
  return static_cast<const ErrorObject*>(obj_)->message();
}

const Value& Value::optional_value() const {
  return static_cast<const OptionalObject*>(obj_)->value();
}

std::string_view Value::TypeName() const {
  if (kind_ == ValueKind::kOpaque) return opaque().TypeName();
  return KindName(kind_);
}

std::string Value::DebugString() const {
  switch (kind_) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return b_ ? "true" : "false";
    case ValueKind::kInt: return std::to_string(i_);
    case ValueKind::kUint: return std::to_string(u_) + "u";
    case ValueKind::kDouble: return FormatDouble(d_);
    case ValueKind::kString: return QuoteString(string_value());
    case ValueKind::kBytes: return "b" + QuoteString(string_value());
    case ValueKind::kType: return std::string(string_value());
    case ValueKind::kDuration: return "duration(\"" + FormatDuration(i_, nanos()) + "\")";
    case ValueKind::kTimestamp: return "timestamp(\"" + FormatTimestamp(i_, nanos()) + "\")";
    case ValueKind::kList: {
      std::string out = "[";
      const ListValue& l = list();
      for (size_t i = 0; i < l.size(); ++i) {
        if (i) out += ", ";
        out += l.Get(i).DebugString();
      }
      return out + "]";
    }
    case ValueKind::kMap: {
      std::string out = "{";
      const MapValue& m = map();
      for (size_t i = 0; i < m.size(); ++i) {
        if (i) out += ", ";
        out += m.KeyAt(i).DebugString() + ": " + m.ValueAt(i).DebugString();
      }
      return out + "}";
    }
    case ValueKind::kOptional:
      return optional_has_value() ? "optional.of(" + optional_value().DebugString() + ")"
                                  : "optional.none()";
    case ValueKind::kOpaque: return opaque().DebugString();
    case ValueKind::kError: return "error: " + error_message();
    case ValueKind::kUnknown: return "unknown";
  }
  return "?";
}

}  // namespace haru::cel
