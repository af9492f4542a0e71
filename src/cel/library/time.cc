// Timestamp accessors (optionally in a time zone) and duration accessors.

#include "cel/common/time.h"
#include "cel/library/standard.h"

namespace haru::cel {
namespace {

using K = ValueKind;

enum class Field { kFullYear, kMonth, kDayOfYear, kDayOfMonth, kDate, kDayOfWeek, kHours, kMinutes, kSeconds, kMillis };

Value TimestampField(const Value& t, Field f, std::string_view zone) {
  int64_t offset = 0;
  if (!zone.empty()) {
    auto o = ZoneOffset(zone, t.seconds());
    if (!o) return Value::Error("invalid time zone: '" + std::string(zone) + "'");
    offset = *o;
  }
  CivilTime c = ToCivil(t.seconds() + offset);
  switch (f) {
    case Field::kFullYear: return Value::Int(c.year);
    case Field::kMonth: return Value::Int(c.month - 1);
    case Field::kDayOfYear: return Value::Int(c.day_of_year);
    case Field::kDayOfMonth: return Value::Int(c.day - 1);
    case Field::kDate: return Value::Int(c.day);
    case Field::kDayOfWeek: return Value::Int(c.day_of_week);
    case Field::kHours: return Value::Int(c.hour);
    case Field::kMinutes: return Value::Int(c.minute);
    case Field::kSeconds: return Value::Int(c.second);
    case Field::kMillis: return Value::Int(t.nanos() / 1000000);
  }
  return Value::Error("unknown field");
}

template <Field F>
Value TsUtc(const Value* a, EvalContext&) { return TimestampField(a[0], F, ""); }
template <Field F>
Value TsZone(const Value* a, EvalContext&) { return TimestampField(a[0], F, a[1].string_value()); }

Value DurationHours(const Value* a, EvalContext&) { return Value::Int(a[0].seconds() / 3600); }
Value DurationMinutes(const Value* a, EvalContext&) { return Value::Int(a[0].seconds() / 60); }
Value DurationSeconds(const Value* a, EvalContext&) { return Value::Int(a[0].seconds()); }
Value DurationMillis(const Value* a, EvalContext&) { return Value::Int(a[0].nanos() / 1000000); }

template <Field F>
void AddTimestampAccessor(FunctionRegistry& r, const char* name, const char* id) {
  r.AddMember(name, std::string("timestamp_to_") + id, {K::kTimestamp}, TsUtc<F>);
  r.AddMember(name, std::string("timestamp_to_") + id + "_with_tz", {K::kTimestamp, K::kString}, TsZone<F>);
}

}  // namespace

void RegisterTimeFunctions(FunctionRegistry& r) {
  AddTimestampAccessor<Field::kFullYear>(r, "getFullYear", "year");
  AddTimestampAccessor<Field::kMonth>(r, "getMonth", "month");
  AddTimestampAccessor<Field::kDayOfYear>(r, "getDayOfYear", "day_of_year");
  AddTimestampAccessor<Field::kDayOfMonth>(r, "getDayOfMonth", "day_of_month");
  AddTimestampAccessor<Field::kDate>(r, "getDate", "day_of_month_1_based");
  AddTimestampAccessor<Field::kDayOfWeek>(r, "getDayOfWeek", "day_of_week");
  AddTimestampAccessor<Field::kHours>(r, "getHours", "hours");
  AddTimestampAccessor<Field::kMinutes>(r, "getMinutes", "minutes");
  AddTimestampAccessor<Field::kSeconds>(r, "getSeconds", "seconds");
  AddTimestampAccessor<Field::kMillis>(r, "getMilliseconds", "milliseconds");
  r.AddMember("getHours", "duration_to_hours", {K::kDuration}, DurationHours);
  r.AddMember("getMinutes", "duration_to_minutes", {K::kDuration}, DurationMinutes);
  r.AddMember("getSeconds", "duration_to_seconds", {K::kDuration}, DurationSeconds);
  r.AddMember("getMilliseconds", "duration_to_milliseconds", {K::kDuration}, DurationMillis);
}

}  // namespace haru::cel
