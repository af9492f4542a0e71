#include "api/protobuf/wire.h"

#include <string>

namespace haru::api::protobuf {
namespace {

Status Truncated(std::string_view what) {
  return Status::BadRequest("error decoding protobuf body: truncated " + std::string(what));
}

}  // namespace

Status WireReader::ReadVarint(uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return Truncated("varint");
    uint8_t byte = static_cast<uint8_t>(data_[pos_++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *out = value;
      return Status::OK();
    }
  }
  // Ten bytes carry 64 bits; an eleventh continuation byte is never valid.
  return Status::BadRequest("error decoding protobuf body: varint overflows 64 bits");
}

Status WireReader::ReadKey(int* field, int* wire_type) {
  uint64_t key = 0;
  HARU_RETURN_IF_ERROR(ReadVarint(&key));
  uint64_t number = key >> 3;
  if (number == 0 || number >= (uint64_t{1} << 29)) {
    return Status::BadRequest("error decoding protobuf body: invalid field number " +
                              std::to_string(number));
  }
  *field = static_cast<int>(number);
  *wire_type = static_cast<int>(key & 7);
  return Status::OK();
}

Status WireReader::ReadFixed64(uint64_t* out) {
  if (data_.size() - pos_ < 8) return Truncated("fixed64");
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  pos_ += 8;
  *out = value;
  return Status::OK();
}

Status WireReader::ReadFixed32(uint32_t* out) {
  if (data_.size() - pos_ < 4) return Truncated("fixed32");
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  pos_ += 4;
  *out = value;
  return Status::OK();
}

Status WireReader::ReadLengthDelimited(std::string_view* out) {
  uint64_t length = 0;
  HARU_RETURN_IF_ERROR(ReadVarint(&length));
  if (length > data_.size() - pos_) return Truncated("length-delimited field");
  *out = data_.substr(pos_, static_cast<size_t>(length));
  pos_ += static_cast<size_t>(length);
  return Status::OK();
}

Status WireReader::Skip(int wire_type) {
  uint64_t ignored64 = 0;
  uint32_t ignored32 = 0;
  std::string_view ignored;
  switch (wire_type) {
    case kVarint: return ReadVarint(&ignored64);
    case kFixed64: return ReadFixed64(&ignored64);
    case kLengthDelimited: return ReadLengthDelimited(&ignored);
    case kFixed32: return ReadFixed32(&ignored32);
    default:
      return Status::BadRequest("error decoding protobuf body: unsupported wire type " +
                                std::to_string(wire_type));
  }
}

}  // namespace haru::api::protobuf
