// Timestamps and durations.
#include "runtime/value/time.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace edict::value {
namespace {

using Int128 = __int128;
constexpr int64_t kSecondsPerDay = 86400;
constexpr Int128 kTwoTo63 = static_cast<Int128>(1) << 63;

Value RangeError(const std::string& what) { return Value::Error(ErrorCode::kRange, what + " out of range"); }

Value InvalidDuration(std::string_view text, std::string_view why) {
  return Value::Error(ErrorCode::kInvalidArgument, "invalid duration '" + std::string(text) + "': " + std::string(why));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Go's duration units, in nanoseconds.
int64_t UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs") return 1'000;
  if (unit == "ms") return 1'000'000;
  if (unit == "s") return 1'000'000'000;
  if (unit == "m") return 60'000'000'000;
  if (unit == "h") return 3'600'000'000'000;
  return 0;
}

// Timestamps as nanoseconds since the epoch: years 1-9999 need about 69 bits.
Value TimestampFromNanos(Int128 nanos) {
  Int128 seconds = nanos / kNanosPerSecond;
  Int128 remainder = nanos % kNanosPerSecond;
  if (remainder < 0) {
    remainder += kNanosPerSecond;
    seconds -= 1;
  }
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) return RangeError("timestamp");
  return Value::Timestamp(static_cast<int64_t>(seconds), static_cast<int32_t>(remainder));
}

Int128 NanosOf(const Value& timestamp) {
  return static_cast<Int128>(timestamp.timestamp_seconds()) * kNanosPerSecond + timestamp.timestamp_nanos();
}

// Reads exactly `count` digits at `pos`.
bool ReadDigits(std::string_view text, size_t& pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!IsDigit(c)) return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

int64_t DaysFromCivil(int year, int month, int day) {
  date::sys_days days{date::year{year} / date::month{static_cast<unsigned>(month)} / date::day{static_cast<unsigned>(day)}};
  return days.time_since_epoch().count();
}

// "+05:30", "-02:30", "02:00" (east of UTC without a sign), as cel-go reads them.
bool ParseOffset(std::string_view text, int64_t& offset_seconds) {
  size_t pos = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    pos = 1;
  }
  size_t colon = text.find(':', pos);
  size_t hour_digits = colon - pos;
  int hours = 0;
  int minutes = 0;
  if (colon == std::string_view::npos || hour_digits < 1 || hour_digits > 2) return false;
  if (!ReadDigits(text, pos, hour_digits, hours) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, minutes)) return false;
  if (pos != text.size() || hours > 23 || minutes > 59) return false;
  offset_seconds = (hours * 3600 + minutes * 60) * (negative ? -1 : 1);
  return true;
}

// The offset from UTC of `zone` ("" is UTC) at the instant `seconds`; false for an unknown zone.
bool UtcOffsetAt(std::string_view zone, int64_t seconds, int64_t& offset_seconds) {
  offset_seconds = 0;
  if (zone.empty()) return true;
  if (zone.find(':') != std::string_view::npos) return ParseOffset(zone, offset_seconds);
  try {
    const date::time_zone* named = date::locate_zone(zone);
    offset_seconds = named->get_info(date::sys_seconds{std::chrono::seconds{seconds}}).offset.count();
    return true;
  } catch (const std::exception&) {
    return false;  // unknown zone, or no readable time zone database on this machine
  }
}

}  // namespace

Value ParseDuration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Value::Duration(0);
  if (s.empty()) return InvalidDuration(text, "no number");
  Int128 total = 0;
  while (!s.empty()) {
    if (s[0] != '.' && !IsDigit(s[0])) return InvalidDuration(text, "expected a number");
    Int128 whole = 0;
    bool has_whole = false;
    while (!s.empty() && IsDigit(s[0])) {
      whole = whole * 10 + (s[0] - '0');
      if (whole > kTwoTo63) return RangeError("duration");
      has_whole = true;
      s.remove_prefix(1);
    }
    Int128 fraction = 0;
    Int128 scale = 1;
    bool has_fraction = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      while (!s.empty() && IsDigit(s[0])) {
        if (scale < static_cast<Int128>(1'000'000'000'000'000'000)) {  // later digits are below 1ns
          fraction = fraction * 10 + (s[0] - '0');
          scale *= 10;
        }
        has_fraction = true;
        s.remove_prefix(1);
      }
    }
    if (!has_whole && !has_fraction) return InvalidDuration(text, "expected a number");
    size_t unit_length = 0;
    while (unit_length < s.size() && s[unit_length] != '.' && !IsDigit(s[unit_length])) ++unit_length;
    if (unit_length == 0) return InvalidDuration(text, "missing unit");
    int64_t unit = UnitNanos(s.substr(0, unit_length));
    if (unit == 0) return InvalidDuration(text, "unknown unit '" + std::string(s.substr(0, unit_length)) + "'");
    s.remove_prefix(unit_length);
    total += whole * unit + fraction * unit / scale;
    if (total > kTwoTo63) return RangeError("duration");
  }
  if (negative) return Value::Duration(static_cast<int64_t>(-total));
  if (total >= kTwoTo63) return RangeError("duration");
  return Value::Duration(static_cast<int64_t>(total));
}

std::optional<Rfc3339Instant> ParseRfc3339(std::string_view text, std::string_view* problem) {
  auto fail = [&](std::string_view reason) {
    *problem = reason;
    return std::nullopt;
  };
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, pos, 4, year) || !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, month) ||
      !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, day)) {
    return fail("the date must be written YYYY-MM-DD");
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) {
    return fail("the date must be followed by 'T' and a time");
  }
  ++pos;
  if (!ReadDigits(text, pos, 2, hour) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, minute) ||
      !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, second)) {
    return fail("the time must be written hh:mm:ss");
  }
  if (month < 1 || month > 12) return fail("the month is out of range");
  if (day < 1 || !date::year_month_day{date::year{year} / date::month{static_cast<unsigned>(month)} /
                                       date::day{static_cast<unsigned>(day)}}.ok()) {
    return fail("the day is out of range for its month");
  }
  if (hour > 23 || minute > 59 || second > 59) return fail("the time of day is out of range");
  int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    for (; pos < text.size() && IsDigit(text[pos]); ++pos, ++digits) {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
    }
    if (digits == 0) return fail("a '.' must be followed by digits");
    for (; digits < 9; ++digits) nanos *= 10;
  }
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int offset_hours, offset_minutes;
    if (!ReadDigits(text, pos, 2, offset_hours) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, offset_minutes) ||
        offset_hours > 23 || offset_minutes > 59) {
      return fail("the UTC offset must be written +hh:mm or -hh:mm");
    }
    offset_seconds = sign * (offset_hours * 3600 + offset_minutes * 60);
  } else {
    return fail("the time zone is missing ('Z' or an offset such as +08:00)");
  }
  if (pos != text.size()) return fail("unexpected text after the time zone");
  int64_t seconds = DaysFromCivil(year, month, day) * kSecondsPerDay + hour * 3600 + minute * 60 + second - offset_seconds;
  return Rfc3339Instant{seconds, nanos};
}

Value ParseTimestamp(std::string_view text) {
  std::string_view problem;
  std::optional<Rfc3339Instant> instant = ParseRfc3339(text, &problem);
  if (!instant) {
    return Value::Error(ErrorCode::kInvalidArgument,
                        "invalid timestamp '" + std::string(text) + "': expected RFC 3339, like 2009-02-13T23:31:30Z");
  }
  return TimestampFromNanos(static_cast<Int128>(instant->seconds) * kNanosPerSecond + instant->nanos);
}

std::string FormatDuration(int64_t nanos) {
  uint64_t magnitude = nanos < 0 ? 0 - static_cast<uint64_t>(nanos) : static_cast<uint64_t>(nanos);
  std::string out = nanos < 0 ? "-" : "";
  out += std::to_string(magnitude / kNanosPerSecond);
  uint64_t fraction = magnitude % kNanosPerSecond;
  if (fraction != 0) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, ".%09llu", static_cast<unsigned long long>(fraction));
    std::string digits = buffer;
    digits.erase(digits.find_last_not_of('0') + 1);
    out += digits;
  }
  return out + "s";
}

std::string FormatTimestamp(int64_t seconds, int32_t nanos) {
  int64_t days = FloorDiv(seconds, kSecondsPerDay);
  int64_t second_of_day = seconds - days * kSecondsPerDay;
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60));
  std::string out = buffer;
  if (nanos != 0) {
    std::snprintf(buffer, sizeof buffer, ".%09d", nanos);
    std::string digits = buffer;
    digits.erase(digits.find_last_not_of('0') + 1);
    out += digits;
  }
  return out + "Z";
}

Value TimestampFromUnixSeconds(int64_t seconds) {
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) return RangeError("timestamp");
  return Value::Timestamp(seconds, 0);
}

Value AddToTimestamp(const Value& timestamp, int64_t duration_nanos) {
  return TimestampFromNanos(NanosOf(timestamp) + duration_nanos);
}

Value TimestampDifference(const Value& a, const Value& b) {
  Int128 difference = NanosOf(a) - NanosOf(b);
  if (difference < -kTwoTo63 || difference >= kTwoTo63) return RangeError("duration");
  return Value::Duration(static_cast<int64_t>(difference));
}

Value AddDurations(int64_t a, int64_t b) {
  int64_t sum;
  if (__builtin_add_overflow(a, b, &sum)) return RangeError("duration");
  return Value::Duration(sum);
}

Value SubtractDurations(int64_t a, int64_t b) {
  int64_t difference;
  if (__builtin_sub_overflow(a, b, &difference)) return RangeError("duration");
  return Value::Duration(difference);
}

Value TimestampField(const Value& timestamp, TimeField field, std::string_view zone_name) {
  int64_t offset;
  if (!UtcOffsetAt(zone_name, timestamp.timestamp_seconds(), offset)) {
    return Value::Error(ErrorCode::kInvalidArgument, "unknown time zone '" + std::string(zone_name) + "'");
  }
  int64_t local = timestamp.timestamp_seconds() + offset;
  int64_t days = FloorDiv(local, kSecondsPerDay);
  int64_t second_of_day = local - days * kSecondsPerDay;
  date::sys_days day_point{date::days{days}};
  date::year_month_day ymd{day_point};
  switch (field) {
    case TimeField::kFullYear: return Value::Int(static_cast<int>(ymd.year()));
    case TimeField::kMonth: return Value::Int(static_cast<unsigned>(ymd.month()) - 1);
    case TimeField::kDayOfYear:
      return Value::Int((day_point - date::sys_days{ymd.year() / date::January / 1}).count());
    case TimeField::kDayOfMonth: return Value::Int(static_cast<unsigned>(ymd.day()) - 1);
    case TimeField::kDate: return Value::Int(static_cast<unsigned>(ymd.day()));
    case TimeField::kDayOfWeek: return Value::Int(date::weekday{day_point}.c_encoding());
    case TimeField::kHours: return Value::Int(second_of_day / 3600);
    case TimeField::kMinutes: return Value::Int(second_of_day / 60 % 60);
    case TimeField::kSeconds: return Value::Int(second_of_day % 60);
    case TimeField::kMilliseconds: return Value::Int(timestamp.timestamp_nanos() / 1'000'000);
  }
  return Value::Int(0);
}

Value DurationField(int64_t nanos, TimeField field) {
  switch (field) {
    case TimeField::kHours: return Value::Int(nanos / 3'600'000'000'000);
    case TimeField::kMinutes: return Value::Int(nanos / 60'000'000'000);
    case TimeField::kSeconds: return Value::Int(nanos / kNanosPerSecond);
    case TimeField::kMilliseconds: return Value::Int(nanos / 1'000'000 % 1000);
    default:
      return Value::Error(ErrorCode::kNoSuchOverload,
                          "a duration has no calendar fields; convert it to a timestamp first");
  }
}

}  // namespace edict::value
