#include "common/quantity/quantity.h"

#include <cstring>
#include <utility>

namespace haru {

namespace {

using Int128 = __int128;
constexpr Int128 kMax = (static_cast<Int128>(1) << 125);  // headroom for one multiply by 10

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Int128 Pow10(int n) {
  Int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

std::string Int128ToString(Int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string s;
  while (u > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return neg ? "-" + s : s;
}

// Brings (a, sa) and (b, sb) to the smaller scale. Returns false on overflow.
bool Align(Int128& a, int32_t& sa, Int128& b, int32_t& sb) {
  while (sa > sb) {
    if (a > kMax || a < -kMax) return false;
    a *= 10;
    --sa;
  }
  while (sb > sa) {
    if (b > kMax || b < -kMax) return false;
    b *= 10;
    --sb;
  }
  return true;
}

// Ceiling division of v by d (d > 0), rounding away from zero as upstream's RoundUp does.
Int128 DivRoundUp(Int128 v, Int128 d) {
  Int128 q = v / d;
  if (v % d != 0) q += v > 0 ? 1 : -1;
  return q;
}

struct Suffix {
  int base = 10;      // 10 or 2
  int exponent = 0;   // power of base
  Quantity::Format format = Quantity::Format::kDecimalSI;
};

bool InterpretSuffix(std::string_view s, Suffix& out) {
  static const std::pair<const char*, int> kDecimal[] = {
      {"n", -9}, {"u", -6}, {"m", -3}, {"", 0}, {"k", 3},
      {"M", 6},  {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  static const std::pair<const char*, int> kBinary[] = {
      {"Ki", 10}, {"Mi", 20}, {"Gi", 30}, {"Ti", 40}, {"Pi", 50}, {"Ei", 60}};
  for (const auto& [name, exp] : kDecimal) {
    if (s == name) {
      out = {10, exp, Quantity::Format::kDecimalSI};
      return true;
    }
  }
  for (const auto& [name, exp] : kBinary) {
    if (s == name) {
      out = {2, exp, Quantity::Format::kBinarySI};
      return true;
    }
  }
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E')) {
    std::string_view rest = s.substr(1);
    size_t i = 0;
    bool neg = false;
    if (rest[0] == '+' || rest[0] == '-') {
      neg = rest[0] == '-';
      i = 1;
    }
    if (i >= rest.size()) return false;
    int64_t v = 0;
    for (; i < rest.size(); ++i) {
      if (!IsDigit(rest[i])) return false;
      v = v * 10 + (rest[i] - '0');
      if (v > 1000000) return false;
    }
    out = {10, static_cast<int>(neg ? -v : v), Quantity::Format::kDecimalExponent};
    return true;
  }
  return false;
}

}  // namespace

Quantity::Quantity(__int128 value, int32_t scale, Format format)
    : value_(value), scale_(scale), format_(format) {}

StatusOr<Quantity> ParseQuantity(std::string_view str) {
  if (str.empty()) return Status::BadRequest(kQuantityFormatError);
  size_t pos = 0, end = str.size();
  bool positive = true;
  if (str[0] == '-' || str[0] == '+') {
    positive = str[0] == '+';
    ++pos;
  }
  while (pos < end && str[pos] == '0') ++pos;
  size_t num_start = pos;
  while (pos < end && IsDigit(str[pos])) ++pos;
  std::string_view num = str.substr(num_start, pos - num_start);
  std::string_view denom;
  if (pos < end && str[pos] == '.') {
    ++pos;
    size_t d = pos;
    while (pos < end && IsDigit(str[pos])) ++pos;
    denom = str.substr(d, pos - d);
  }
  size_t suffix_start = pos;
  while (pos < end && std::strchr("eEinumkKMGTP", str[pos]) != nullptr) ++pos;
  if (pos < end && (str[pos] == '-' || str[pos] == '+')) ++pos;
  while (pos < end && IsDigit(str[pos])) ++pos;
  if (pos < end) return Status::BadRequest(kQuantityFormatError);
  std::string_view suffix_text = str.substr(suffix_start);

  Suffix suffix;
  if (!InterpretSuffix(suffix_text, suffix)) {
    return Status::BadRequest("unable to parse quantity's suffix");
  }
  // Drop trailing zeros of the fraction; they add no value.
  while (!denom.empty() && denom.back() == '0') denom.remove_suffix(1);
  if (num.size() + denom.size() > 36) {
    return Status::BadRequest("unable to parse numeric part of quantity");
  }
  Int128 value = 0;
  for (char c : num) value = value * 10 + (c - '0');
  for (char c : denom) value = value * 10 + (c - '0');
  int32_t scale = -static_cast<int32_t>(denom.size());
  if (suffix.base == 10) {
    scale += suffix.exponent;
  } else {
    for (int i = 0; i < suffix.exponent; ++i) {
      if (value > kMax) return Status::BadRequest("unable to parse numeric part of quantity");
      value *= 2;
    }
  }
  if (!positive) value = -value;
  // Upstream keeps at most nano precision, rounding up.
  if (scale < -9) {
    int drop = -9 - scale;
    value = drop > 36 ? (value == 0 ? 0 : (value > 0 ? 1 : -1)) : DivRoundUp(value, Pow10(drop));
    scale = -9;
  }
  // Keep numbers small: fold trailing zeros into the scale.
  while (value != 0 && value % 10 == 0) {
    value /= 10;
    ++scale;
  }
  if (value == 0) scale = 0;
  if (scale > 60) return Status::BadRequest("unable to parse numeric part of quantity");
  return Quantity(value, scale, suffix.format);
}

std::string Quantity::ToString() const {
  if (value_ == 0) return "0";
  Format format = format_;
  Int128 v = value_;
  int32_t scale = scale_;
  while (v % 10 == 0) {
    v /= 10;
    ++scale;
  }
  Int128 integer = 0;
  if (format == Format::kBinarySI) {
    bool small = Cmp(FromInt(-1024)) > 0 && Cmp(FromInt(1024)) < 0;
    bool exact = scale >= 0;
    if (small || !exact || scale > 36) {
      format = Format::kDecimalSI;
    } else {
      integer = v * Pow10(scale);
    }
  }
  if (format == Format::kBinarySI) {
    int exp = 0;
    while (integer % 1024 == 0 && exp < 60) {
      integer /= 1024;
      exp += 10;
    }
    static const char* kBin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    return Int128ToString(integer) + kBin[exp / 10];
  }
  // Decimal: make the exponent a multiple of 3, moving digits into the mantissa.
  int32_t rem = ((scale % 3) + 3) % 3;
  for (int i = 0; i < rem; ++i) v *= 10;
  scale -= rem;
  std::string number = Int128ToString(v);
  if (format == Format::kDecimalExponent) {
    return scale == 0 ? number : number + "e" + std::to_string(scale);
  }
  switch (scale) {
    case -9: return number + "n";
    case -6: return number + "u";
    case -3: return number + "m";
    case 0: return number;
    case 3: return number + "k";
    case 6: return number + "M";
    case 9: return number + "G";
    case 12: return number + "T";
    case 15: return number + "P";
    case 18: return number + "E";
    default: {
      // Beyond exa: print the value in exa units.
      Int128 mult = Pow10(scale - 18);
      return Int128ToString(v * mult) + "E";
    }
  }
}

int64_t Quantity::Value() const {
  if (scale_ >= 0) return static_cast<int64_t>(value_ * Pow10(scale_));
  return static_cast<int64_t>(DivRoundUp(value_, Pow10(-scale_)));
}

int64_t Quantity::MilliValue() const {
  int32_t s = scale_ + 3;
  if (s >= 0) return static_cast<int64_t>(value_ * Pow10(s));
  return static_cast<int64_t>(DivRoundUp(value_, Pow10(-s)));
}

double Quantity::AsApproximateDouble() const {
  double d = static_cast<double>(value_);
  int32_t s = scale_;
  while (s > 0) { d *= 10; --s; }
  while (s < 0) { d /= 10; ++s; }
  return d;
}

Quantity Quantity::Add(const Quantity& other) const {
  Int128 a = value_, b = other.value_;
  int32_t sa = scale_, sb = other.scale_;
  if (!Align(a, sa, b, sb)) return *this;
  Quantity q(a + b, sa, format_);
  if (value_ == 0 && other.value_ != 0 && q.format_ != other.format_) q.format_ = format_;
  return q;
}

Quantity Quantity::Sub(const Quantity& other) const { return Add(other.Neg()); }

Quantity Quantity::Neg() const { return Quantity(-value_, scale_, format_); }

int Quantity::Cmp(const Quantity& other) const {
  Int128 a = value_, b = other.value_;
  int32_t sa = scale_, sb = other.scale_;
  if (!Align(a, sa, b, sb)) {
    // Overflow only when magnitudes differ wildly: compare by sign and scale.
    if (Sign() != other.Sign()) return Sign() < other.Sign() ? -1 : 1;
    bool this_bigger = scale_ > other.scale_;
    return (this_bigger == (Sign() > 0)) ? 1 : -1;
  }
  return a < b ? -1 : (a > b ? 1 : 0);
}

}  // namespace haru
