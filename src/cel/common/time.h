#pragma once
// Timestamp and duration arithmetic with CEL's ranges: timestamps from 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z, durations within +-315,576,000,000 s (10,000 years), both as
// seconds plus nanoseconds. Parsing follows RFC 3339 and Go's time.ParseDuration.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace haru::cel {

inline constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z
// Durations are bounded by int64 nanoseconds (about +-292 years), like upstream's.
inline constexpr int64_t kMaxDurationSeconds = 9223372036;
inline constexpr int32_t kNanosPerSecond = 1000000000;

struct SecondsNanos {
  int64_t seconds = 0;
  int32_t nanos = 0;
};

bool TimestampInRange(int64_t seconds);
bool DurationInRange(int64_t seconds, int32_t nanos);
// Normalizes (seconds, nanos) so that nanos has the sign of seconds (durations) or lies in
// [0, 1e9) (timestamps). False on int64 overflow.
bool NormalizeDuration(int64_t seconds, int64_t nanos, SecondsNanos* out);
bool NormalizeTimestamp(int64_t seconds, int64_t nanos, SecondsNanos* out);

// RFC 3339 ("2009-02-13T23:31:30.5Z", "...+01:00"). nullopt when malformed.
std::optional<SecondsNanos> ParseTimestamp(std::string_view text);
// Go duration syntax ("1h30m", "-1.5s", "100ns"). nullopt when malformed or out of int64 range.
std::optional<SecondsNanos> ParseDuration(std::string_view text);

// "2009-02-13T23:31:30Z" with the fraction trimmed of trailing zeros.
std::string FormatTimestamp(int64_t seconds, int32_t nanos);
// Seconds with a trimmed fraction: "3600s", "1.5s", "-0.000000001s".
std::string FormatDuration(int64_t seconds, int32_t nanos);

// Civil time (proleptic Gregorian) of a UTC offset-adjusted instant.
struct CivilTime {
  int64_t year;
  int month;        // 1..12
  int day;          // 1..31
  int hour, minute, second;
  int day_of_week;  // 0 = Sunday
  int day_of_year;  // 0-based
};
CivilTime ToCivil(int64_t seconds);
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

// The UTC offset in seconds at `utc_seconds` for a zone: "UTC", "+05:30", "-02:00", "02:00",
// or an IANA name read from the system's zoneinfo. nullopt when unknown.
std::optional<int64_t> ZoneOffset(std::string_view zone, int64_t utc_seconds);

}  // namespace haru::cel
