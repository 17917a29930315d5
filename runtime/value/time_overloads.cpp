// The timestamp and duration accessor overloads (getFullYear(), getHours('Asia/Shanghai'), ...).
#include "runtime/value/overload_impl.h"
#include "runtime/value/time.h"

namespace edict::value::overload_impl {

#define EDICT_TIMESTAMP_ACCESSORS(stem, field)                                               \
  Value timestamp_to_##stem(const Value& t) { return TimestampField(t, TimeField::field, ""); } \
  Value timestamp_to_##stem##_with_tz(const Value& t, const Value& zone) {                   \
    return TimestampField(t, TimeField::field, zone.string_value());                          \
  }

EDICT_TIMESTAMP_ACCESSORS(year, kFullYear)
EDICT_TIMESTAMP_ACCESSORS(month, kMonth)
EDICT_TIMESTAMP_ACCESSORS(day_of_year, kDayOfYear)
EDICT_TIMESTAMP_ACCESSORS(day_of_month, kDayOfMonth)
EDICT_TIMESTAMP_ACCESSORS(day_of_month_1_based, kDate)
EDICT_TIMESTAMP_ACCESSORS(day_of_week, kDayOfWeek)
EDICT_TIMESTAMP_ACCESSORS(hours, kHours)
EDICT_TIMESTAMP_ACCESSORS(minutes, kMinutes)
EDICT_TIMESTAMP_ACCESSORS(seconds, kSeconds)
EDICT_TIMESTAMP_ACCESSORS(milliseconds, kMilliseconds)
#undef EDICT_TIMESTAMP_ACCESSORS

Value duration_to_hours(const Value& d) { return DurationField(d.duration_nanos(), TimeField::kHours); }
Value duration_to_minutes(const Value& d) { return DurationField(d.duration_nanos(), TimeField::kMinutes); }
Value duration_to_seconds(const Value& d) { return DurationField(d.duration_nanos(), TimeField::kSeconds); }
Value duration_to_milliseconds(const Value& d) {
  return DurationField(d.duration_nanos(), TimeField::kMilliseconds);
}

}  // namespace edict::value::overload_impl
