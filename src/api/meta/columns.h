#pragma once
// Table column helpers shared by every kind, following upstream's printers
// (pkg/printers/internalversion): the Name and Age columns, Age's human duration
// ("5s", "3m2s", "2d"), "<none>" placeholders and label formatting. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/kind_spec.h"
#include "common/json.h"

namespace haru::api {

// metav1.ObjectMeta's swagger docs for name and creationTimestamp, used as column descriptions.
extern const char kNameColumnDescription[];
extern const char kAgeColumnDescription[];

TableColumn NameColumn();
TableColumn AgeColumn();
// A string column reading `path` (each step an object key); "" when unset.
TableColumn StringColumn(std::string name, std::string description, std::string_view first,
                         std::string_view second = {}, std::string_view third = {},
                         int priority = 0);

// Upstream's duration.HumanDuration for a whole number of seconds.
std::string HumanDuration(int64_t seconds);
// Parses an RFC 3339 timestamp ("2024-05-01T10:00:00Z", fractional seconds and offsets
// allowed) to Unix seconds.
std::optional<int64_t> ParseRfc3339(std::string_view text);
// Upstream's translateTimestampSince: HumanDuration(now - ts), "<unknown>" when unset.
std::string TranslateTimestampSince(const Json* timestamp);
std::string TranslateTimestampSince(const Json* timestamp, int64_t now_unix);
// Seconds since the epoch, from the system clock (overridable for tests).
int64_t NowUnix();
void SetNowForTest(std::optional<int64_t> now_unix);
// labels.FormatLabels: sorted "k=v,k2=v2", "<none>" when empty.
std::string FormatLabels(const Json* labels);

}  // namespace haru::api
