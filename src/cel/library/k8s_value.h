#pragma once
// A library value holding a C++ value `T` under an upstream type name; equality is T's ==.

#include <cctype>
#include <string>
#include <utility>

#include "cel/common/value.h"

namespace haru::cel {

template <typename T, const char* kTypeName>
class LibraryValue final : public OpaqueValue {
 public:
  explicit LibraryValue(T value, std::string text = {})
      : value_(std::move(value)), text_(std::move(text)) {}

  static Value Make(T value, std::string text = {}) {
    return Value::Opaque(new LibraryValue(std::move(value), std::move(text)));
  }
  // REQUIRES: v is an opaque value of this type (the overload's types guarantee it).
  static const T& Of(const Value& v) { return static_cast<const LibraryValue&>(v.opaque()).value_; }
  static const std::string& TextOf(const Value& v) {
    return static_cast<const LibraryValue&>(v.opaque()).text_;
  }

  std::string_view TypeName() const override { return kTypeName; }
  bool Equals(const OpaqueValue& other) const override {
    return other.TypeName() == TypeName() &&
           static_cast<const LibraryValue&>(other).value_ == value_;
  }
  std::string DebugString() const override {
    std::string name(kTypeName);
    name = name.substr(name.rfind('.') + 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name + "(\"" + text_ + "\")";
  }

 private:
  T value_;
  std::string text_;  // the canonical text form, for string() and DebugString
};

}  // namespace haru::cel
