#include "cel/common/time.h"

#include <cctype>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

namespace haru::cel {

bool TimestampInRange(int64_t s) { return s >= kMinTimestampSeconds && s <= kMaxTimestampSeconds; }
bool DurationInRange(int64_t s, int32_t nanos) {
  if (s > kMaxDurationSeconds + 1 || s < -kMaxDurationSeconds - 1) return false;
  __int128 total = static_cast<__int128>(s) * kNanosPerSecond + nanos;
  return total >= INT64_MIN && total <= INT64_MAX;
}

bool NormalizeDuration(int64_t seconds, int64_t nanos, SecondsNanos* out) {
  int64_t carry = nanos / kNanosPerSecond;
  nanos %= kNanosPerSecond;
  if (__builtin_add_overflow(seconds, carry, &seconds)) return false;
  if (seconds > 0 && nanos < 0) {
    --seconds;
    nanos += kNanosPerSecond;
  } else if (seconds < 0 && nanos > 0) {
    ++seconds;
    nanos -= kNanosPerSecond;
  }
  *out = {seconds, static_cast<int32_t>(nanos)};
  return true;
}

bool NormalizeTimestamp(int64_t seconds, int64_t nanos, SecondsNanos* out) {
  int64_t carry = nanos / kNanosPerSecond;
  nanos %= kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --carry;
  }
  if (__builtin_add_overflow(seconds, carry, &seconds)) return false;
  *out = {seconds, static_cast<int32_t>(nanos)};
  return true;
}

// Howard Hinnant's days-from-civil algorithm (public domain description).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilTime ToCivil(int64_t seconds) {
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  CivilTime c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem % 3600 / 60);
  c.second = static_cast<int>(rem % 60);
  c.day_of_week = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
  c.day_of_year = static_cast<int>(days - DaysFromCivil(c.year, 1, 1));
  return c;
}

namespace {

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<SecondsNanos> ParseTimestamp(std::string_view s) {
  int year, month, day, hour, minute, second;
  if (!ReadDigits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' ||
      !ReadDigits(s, 5, 2, &month) || s[7] != '-' || !ReadDigits(s, 8, 2, &day) ||
      (s[10] != 'T' && s[10] != 't') || !ReadDigits(s, 11, 2, &hour) || s[13] != ':' ||
      !ReadDigits(s, 14, 2, &minute) || s[16] != ':' || !ReadDigits(s, 17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ReadDigits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDaysInMonth[month - 1] || (month == 2 && day == 29 && !leap)) return std::nullopt;
  int64_t secs = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                 offset;
  return SecondsNanos{secs, static_cast<int32_t>(nanos)};
}

std::optional<SecondsNanos> ParseDuration(std::string_view s) {
  size_t pos = 0;
  bool negative = false;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) negative = s[pos++] == '-';
  if (s.substr(pos) == "0") return SecondsNanos{};
  if (pos == s.size()) return std::nullopt;
  // Accumulate in 128-bit nanoseconds so that any in-range text is exact.
  __int128 total = 0;
  while (pos < s.size()) {
    __int128 whole = 0;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      whole = whole * 10 + (s[pos++] - '0');
      if (whole > (static_cast<__int128>(1) << 100)) return std::nullopt;
    }
    __int128 frac = 0, scale = 1;
    bool has_frac_digits = false;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (scale < static_cast<__int128>(1000000000000000000LL)) {
          frac = frac * 10 + (s[pos] - '0');
          scale *= 10;
        }
        has_frac_digits = true;
        ++pos;
      }
    }
    if (pos == start || (pos == start + 1 && s[start] == '.' && !has_frac_digits)) {
      return std::nullopt;
    }
    size_t unit_start = pos;
    while (pos < s.size() && !(s[pos] >= '0' && s[pos] <= '9') && s[pos] != '.') ++pos;
    std::string_view unit = s.substr(unit_start, pos - unit_start);
    int64_t mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") mult = 1000;
    else if (unit == "ms") mult = 1000000;
    else if (unit == "s") mult = 1000000000;
    else if (unit == "m") mult = 60LL * 1000000000;
    else if (unit == "h") mult = 3600LL * 1000000000;
    else return std::nullopt;
    total += whole * mult + frac * mult / scale;
    if (total > (static_cast<__int128>(1) << 100)) return std::nullopt;
  }
  if (negative) total = -total;
  SecondsNanos out{static_cast<int64_t>(total / kNanosPerSecond),
                   static_cast<int32_t>(total % kNanosPerSecond)};
  if (total / kNanosPerSecond > kMaxDurationSeconds * 1000 ||
      total / kNanosPerSecond < -kMaxDurationSeconds * 1000) {
    return std::nullopt;
  }
  return out;
}

namespace {

std::string Fraction(int32_t nanos) {
  if (nanos == 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof(buf), ".%09d", nanos);
  std::string f(buf);
  while (f.back() == '0') f.pop_back();
  return f;
}

}  // namespace

std::string FormatTimestamp(int64_t seconds, int32_t nanos) {
  CivilTime c = ToCivil(seconds);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02d",
                static_cast<long long>(c.year), c.month, c.day, c.hour, c.minute, c.second);
  return std::string(buf) + Fraction(nanos) + "Z";
}

std::string FormatDuration(int64_t seconds, int32_t nanos) {
  std::string out;
  if (seconds < 0 || nanos < 0) out = "-";
  uint64_t s = seconds < 0 ? 0 - static_cast<uint64_t>(seconds) : static_cast<uint64_t>(seconds);
  out += std::to_string(s) + Fraction(nanos < 0 ? -nanos : nanos) + "s";
  return out;
}

namespace {

// One IANA zone read from a TZif file: transition instants and the offset after each.
struct Zone {
  std::vector<int64_t> transitions;
  std::vector<int32_t> offsets;  // offsets[i] applies from transitions[i]
  int32_t initial_offset = 0;
};

int64_t ReadBig(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  if (n == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

// IANA names are short and use letters, digits and "_+-/" only; anything else is not looked
// up on disk at all.
bool PlausibleZoneName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '+' && c != '-' && c != '/') return false;
  }
  return true;
}

std::unique_ptr<Zone> LoadZone(std::string_view name) {
  if (!PlausibleZoneName(name)) return nullptr;
  std::ifstream in("/usr/share/zoneinfo/" + std::string(name), std::ios::binary);
  if (!in) return nullptr;
  std::stringstream ss;
  ss << in.rdbuf();
  std::string data = ss.str();
  auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t size = data.size();
  auto parse = [&](size_t off, int time_size, size_t* end) -> std::unique_ptr<Zone> {
    if (off + 44 > size || std::string_view(data).substr(off, 4) != "TZif") return nullptr;
    const unsigned char* h = p + off + 20;
    int64_t isutcnt = ReadBig(h, 4), isstdcnt = ReadBig(h + 4, 4), leapcnt = ReadBig(h + 8, 4),
            timecnt = ReadBig(h + 12, 4), typecnt = ReadBig(h + 16, 4), charcnt = ReadBig(h + 20, 4);
    size_t body = off + 44;
    size_t need = timecnt * time_size + timecnt + typecnt * 6 + charcnt +
                  leapcnt * (time_size + 4) + isstdcnt + isutcnt;
    if (body + need > size || typecnt == 0) return nullptr;
    auto zone = std::make_unique<Zone>();
    const unsigned char* types = p + body + timecnt * time_size + timecnt;
    auto offset_of = [&](int idx) { return static_cast<int32_t>(ReadBig(types + idx * 6, 4)); };
    zone->initial_offset = offset_of(0);
    for (int64_t i = 0; i < timecnt; ++i) {
      int idx = p[body + timecnt * time_size + i];
      if (idx >= typecnt) return nullptr;
      zone->transitions.push_back(ReadBig(p + body + i * time_size, time_size));
      zone->offsets.push_back(offset_of(idx));
    }
    *end = body + need;
    return zone;
  };
  size_t end = 0;
  auto v1 = parse(0, 4, &end);
  if (!v1) return nullptr;
  if (data.size() > 4 && data[4] >= '2') {
    size_t end2;
    if (auto v2 = parse(end, 8, &end2)) return v2;
  }
  return v1;
}

// Only zones that load are cached (the tz database bounds them); a name that fails is looked
// up again next time rather than growing the cache with whatever strings expressions pass.
const Zone* FindZone(std::string_view name) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Zone>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(name);
  if (it != cache.end()) return it->second.get();
  std::unique_ptr<Zone> zone = LoadZone(name);
  if (!zone) return nullptr;
  return cache.emplace(std::string(name), std::move(zone)).first->second.get();
}

}  // namespace

std::optional<int64_t> ZoneOffset(std::string_view zone, int64_t utc_seconds) {
  if (zone == "UTC" || zone == "Z") return 0;
  // Fixed offsets: [+-]HH:MM (a missing sign means +).
  std::string_view z = zone;
  int sign = 1;
  if (!z.empty() && (z[0] == '+' || z[0] == '-')) {
    sign = z[0] == '-' ? -1 : 1;
    z.remove_prefix(1);
  }
  int h, m;
  if (z.size() == 5 && z[2] == ':' && ReadDigits(z, 0, 2, &h) && ReadDigits(z, 3, 2, &m)) {
    return sign * (h * 3600 + m * 60);
  }
  const Zone* tz = FindZone(zone);
  if (tz == nullptr) return std::nullopt;
  int32_t offset = tz->initial_offset;
  for (size_t i = 0; i < tz->transitions.size() && tz->transitions[i] <= utc_seconds; ++i) {
    offset = tz->offsets[i];
  }
  return offset;
}

}  // namespace haru::cel
