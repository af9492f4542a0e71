#pragma once
// A bounds-checked reader of the protobuf wire format (varint, fixed32/64, length-delimited).
// It only reads: every read checks the remaining length, so malformed input yields a
// BadRequest Status rather than reading past the buffer.

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace haru::api::protobuf {

enum WireType : int {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5,
};

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  bool done() const { return pos_ >= data_.size(); }

  // Reads a field key; `field` is the field number (>= 1), `wire_type` one of WireType.
  Status ReadKey(int* field, int* wire_type);
  Status ReadVarint(uint64_t* out);
  Status ReadFixed64(uint64_t* out);
  Status ReadFixed32(uint32_t* out);
  Status ReadLengthDelimited(std::string_view* out);
  // Skips a value of an unknown field. Groups (wire types 3, 4) are rejected: no Kubernetes
  // type uses them.
  Status Skip(int wire_type);

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace haru::api::protobuf
