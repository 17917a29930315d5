// A strict RFC 3339 parser: exact digit counts, calendar-checked dates, overflow-checked result.
#include "runtime/facts/timestamp.h"

#include <limits>

namespace edict::facts {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `count` digits at `pos`; false if any is not a digit or the text ends first.
bool Digits(std::string_view text, size_t pos, size_t count, int64_t* value) {
  if (pos + count > text.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *value = v;
  return true;
}

bool Fail(std::string_view* problem, std::string_view reason) {
  *problem = reason;
  return false;
}

}  // namespace

bool ParseRfc3339(std::string_view text, int64_t* nanos, std::string_view* problem) {
  int64_t year, month, day, hour, minute, second;
  if (!Digits(text, 0, 4, &year) || text.size() < 5 || text[4] != '-' || !Digits(text, 5, 2, &month) ||
      text.size() < 8 || text[7] != '-' || !Digits(text, 8, 2, &day)) {
    return Fail(problem, "the date must be written YYYY-MM-DD");
  }
  if (text.size() < 11 || (text[10] != 'T' && text[10] != 't')) {
    return Fail(problem, "the date must be followed by 'T' and a time");
  }
  if (!Digits(text, 11, 2, &hour) || text.size() < 14 || text[13] != ':' || !Digits(text, 14, 2, &minute) ||
      text.size() < 17 || text[16] != ':' || !Digits(text, 17, 2, &second)) {
    return Fail(problem, "the time must be written hh:mm:ss");
  }
  if (month < 1 || month > 12) return Fail(problem, "the month is out of range");
  if (day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month))) {
    return Fail(problem, "the day is out of range for its month");
  }
  if (hour > 23 || minute > 59 || second > 59) return Fail(problem, "the time of day is out of range");

  size_t pos = 19;
  int64_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    size_t digits = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
      // Digits past nanoseconds carry no information the store can hold.
      if (digits < 9) fraction = fraction * 10 + (text[pos] - '0');
    }
    if (digits == 0) return Fail(problem, "a '.' must be followed by digits");
    for (; digits < 9; ++digits) fraction *= 10;
  }

  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int64_t offset_hour, offset_minute;
    if (!Digits(text, pos + 1, 2, &offset_hour) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !Digits(text, pos + 4, 2, &offset_minute) || offset_hour > 23 || offset_minute > 59) {
      return Fail(problem, "the UTC offset must be written +hh:mm or -hh:mm");
    }
    offset_seconds = (offset_hour * 60 + offset_minute) * 60 * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return Fail(problem, "the time zone is missing ('Z' or an offset such as +08:00)");
  }
  if (pos != text.size()) return Fail(problem, "unexpected text after the time zone");

  int64_t seconds = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * kSecondsPerDay +
                    hour * 3600 + minute * 60 + second - offset_seconds;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (seconds > (kMax - fraction) / kNanosPerSecond || seconds < kMin / kNanosPerSecond + 1) {
    return Fail(problem, "the instant is outside the range the engine can represent");
  }
  *nanos = seconds * kNanosPerSecond + fraction;
  return true;
}

}  // namespace edict::facts
