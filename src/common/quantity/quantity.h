#pragma once
// Kubernetes resource.Quantity: a fixed-point decimal with a preferred format, parsed from
// "100m", "1.5Gi", "2e3", and printed in upstream's canonical form ("1000m" -> "1",
// "1.5Gi" -> "1536Mi", "0.5" -> "500m"). Values carry at most nano precision (finer input is
// rounded up, as upstream does). A value; thread-compatible.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace haru {

class Quantity {
 public:
  enum class Format {
    kDecimalSI,        // "", m, k, M, G, ...
    kBinarySI,         // Ki, Mi, Gi, ...
    kDecimalExponent,  // e3, E-6
  };

  Quantity() = default;
  // value * 10^scale, e.g. (15, -1) is 1.5.
  Quantity(__int128 value, int32_t scale, Format format);
  static Quantity FromInt(int64_t value, Format format = Format::kDecimalSI) {
    return Quantity(value, 0, format);
  }
  static Quantity FromMilli(int64_t milli, Format format = Format::kDecimalSI) {
    return Quantity(milli, -3, format);
  }

  // Canonical string form, as upstream's Quantity.String().
  std::string ToString() const;

  Format format() const { return format_; }
  bool IsZero() const { return value_ == 0; }
  int Sign() const { return value_ > 0 ? 1 : (value_ < 0 ? -1 : 0); }
  // The value rounded up to an integer (upstream's Value()).
  int64_t Value() const;
  // The value in thousandths, rounded up (upstream's MilliValue()).
  int64_t MilliValue() const;
  double AsApproximateDouble() const;

  // Arithmetic keeps the receiver's format, as upstream's Add/Sub.
  Quantity Add(const Quantity& other) const;
  Quantity Sub(const Quantity& other) const;
  Quantity Neg() const;
  // -1, 0, 1 like upstream's Cmp.
  int Cmp(const Quantity& other) const;
  bool operator==(const Quantity& other) const { return Cmp(other) == 0; }
  std::strong_ordering operator<=>(const Quantity& other) const {
    int c = Cmp(other);
    return c < 0 ? std::strong_ordering::less
                 : (c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
  }

 private:
  __int128 value_ = 0;  // value_ * 10^scale_
  int32_t scale_ = 0;
  Format format_ = Format::kDecimalSI;
};

// Parses a quantity string. Errors (BadRequest status) carry upstream's messages:
//   "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
//   "unable to parse quantity's suffix"
//   "unable to parse numeric part of quantity"
StatusOr<Quantity> ParseQuantity(std::string_view text);

inline constexpr char kQuantityFormatError[] =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

}  // namespace haru
