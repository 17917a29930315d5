// Timestamps and durations: RFC 3339 and Go-style duration text, range-checked arithmetic, and
// calendar accessors in UTC, an IANA time zone or a fixed `[+-]HH:MM` offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/value/value.h"

namespace edict::value {

// `duration("1h30m")`: Go's time.ParseDuration syntax (`[-+]?([0-9]*(\.[0-9]*)?unit)+` with units
// ns, us, µs, ms, s, m, h; or "0"); an error value when malformed or beyond int64 nanoseconds.
Value ParseDuration(std::string_view text);
// `timestamp("2009-02-13T23:31:30.5+01:00")`: RFC 3339; an error value when malformed or outside
// years 0001 to 9999.
Value ParseTimestamp(std::string_view text);

// An RFC 3339 text's instant: seconds since the Unix epoch and nanoseconds of the second.
struct Rfc3339Instant {
  int64_t seconds = 0;
  int64_t nanos = 0;  // 0 to 999 999 999; digits past nanoseconds are dropped
};
// The one RFC 3339 parser (CEL's timestamp() and the facts' timestamp fields): exact digit counts,
// calendar-checked dates, leap seconds (`:60`) rejected as CEL does; not range-checked. On failure
// nullopt, with `problem` a short reason ("the month is out of range").
std::optional<Rfc3339Instant> ParseRfc3339(std::string_view text, std::string_view* problem);

// "1000000s", "1.5s", "-0.000000001s": seconds with the fraction CEL needs, no trailing zeros.
std::string FormatDuration(int64_t nanos);
// "2009-02-13T23:31:30Z", "9999-12-31T23:59:59.999999999Z": RFC 3339 in UTC, trailing zeros cut.
std::string FormatTimestamp(int64_t seconds, int32_t nanos);

// `timestamp(int)`: seconds since the Unix epoch, range-checked.
Value TimestampFromUnixSeconds(int64_t seconds);
// timestamp + duration (a negative duration subtracts); a range error outside years 0001-9999.
Value AddToTimestamp(const Value& timestamp, int64_t duration_nanos);
// timestamp - timestamp; a range error when the difference exceeds a duration's range.
Value TimestampDifference(const Value& a, const Value& b);
Value AddDurations(int64_t a, int64_t b);
Value SubtractDurations(int64_t a, int64_t b);

enum class TimeField : uint8_t {
  kFullYear,
  kMonth,       // 0-11
  kDayOfYear,   // 0-365
  kDayOfMonth,  // 0-30
  kDate,        // 1-31
  kDayOfWeek,   // 0 = Sunday
  kHours,
  kMinutes,
  kSeconds,
  kMilliseconds,
};

// A calendar field of a timestamp seen in `zone`: an IANA name ("Asia/Shanghai", "UTC"), a fixed
// offset ("+05:30", "-02:30", "02:00"), or "" for UTC. An unknown zone is an error value.
Value TimestampField(const Value& timestamp, TimeField field, std::string_view zone);
// On a duration, hours, minutes and seconds are the whole duration in that unit (truncated);
// milliseconds is the millisecond part of the last second.
Value DurationField(int64_t nanos, TimeField field);

}  // namespace edict::value
