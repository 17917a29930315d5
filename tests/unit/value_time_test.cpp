// Timestamps and durations: RFC 3339 and Go duration syntax, the year 0001-9999 range and the
// int64-nanosecond duration range, arithmetic, and calendar accessors in time zones.
#include <doctest/doctest.h>

#include "runtime/value/compare.h"
#include "runtime/value/dispatch.h"
#include "tests/unit/value_apply.h"
#include "runtime/value/time.h"

using namespace edict::value;
using edict::value::testing::Apply;

namespace {

Value Ts(std::string_view text) {
  Value t = ParseTimestamp(text);
  REQUIRE(t.is_timestamp());
  return t;
}

Value Dur(std::string_view text) {
  Value d = ParseDuration(text);
  REQUIRE(d.is_duration());
  return d;
}

int64_t Field(std::string_view accessor, const Value& t, std::string_view zone = {}) {
  std::vector<Value> args = {t};
  if (!zone.empty()) args.push_back(Value::String(zone));
  Value result = Apply(accessor, args, CallStyle::kReceiver);
  REQUIRE(result.is_int());
  return result.int_value();
}

bool IsError(const Value& v, ErrorCode code) { return v.is_error() && v.error_code() == code; }

constexpr int64_t kSecond = 1'000'000'000;

}  // namespace

TEST_CASE("durations parse in Go's syntax") {
  CHECK(Dur("0").duration_nanos() == 0);
  CHECK(Dur("-0").duration_nanos() == 0);
  CHECK(Dur("100s").duration_nanos() == 100 * kSecond);
  CHECK(Dur("1h30m").duration_nanos() == 5400 * kSecond);
  CHECK(Dur("-1.5h").duration_nanos() == -5400 * kSecond);
  CHECK(Dur("+2m3.5s").duration_nanos() == 123500000000);
  CHECK(Dur("1ms").duration_nanos() == 1000000);
  CHECK(Dur("1us").duration_nanos() == 1000);
  CHECK(Dur("1\u00b5s").duration_nanos() == 1000);
  CHECK(Dur("1\u03bcs").duration_nanos() == 1000);
  CHECK(Dur("999999999ns").duration_nanos() == 999999999);
  CHECK(Dur(".5s").duration_nanos() == kSecond / 2);
  CHECK(Dur("1.s").duration_nanos() == kSecond);
  CHECK(Dur("0.000000001s").duration_nanos() == 1);
  CHECK(Dur("0.0000000019s").duration_nanos() == 1);  // below a nanosecond is cut
  CHECK(Dur("9223372036854775807ns").duration_nanos() == INT64_MAX);
  CHECK(Dur("-9223372036854775808ns").duration_nanos() == INT64_MIN);
  for (const char* bad : {"", "s", "1", "1.5", "1x", "1h 30m", ".s", "-", "1d", "1S", "h1"}) {
    CAPTURE(bad);
    CHECK(IsError(ParseDuration(bad), ErrorCode::kInvalidArgument));
  }
}

TEST_CASE("durations beyond int64 nanoseconds are range errors") {
  CHECK(IsError(ParseDuration("9223372036854775808ns"), ErrorCode::kRange));
  CHECK(IsError(ParseDuration("-9223372036854775809ns"), ErrorCode::kRange));
  CHECK(IsError(ParseDuration("320000000000s"), ErrorCode::kRange));
  CHECK(IsError(ParseDuration("-320000000000s"), ErrorCode::kRange));
  CHECK(IsError(ParseDuration("2562048h"), ErrorCode::kRange));
  CHECK(Dur("2562047h").is_duration());
  CHECK(IsError(Apply("_+_", {Value::Duration(INT64_MAX), Value::Duration(1)}), ErrorCode::kRange));
  CHECK(IsError(Apply("_-_", {Value::Duration(INT64_MIN), Value::Duration(1)}), ErrorCode::kRange));
  CHECK(Apply("_-_", {Dur("900s"), Dur("42s")}).duration_nanos() == 858 * kSecond);
  CHECK(Apply("_+_", {Dur("600s"), Dur("50s")}).duration_nanos() == 650 * kSecond);
}

TEST_CASE("durations format as exact seconds") {
  CHECK(FormatDuration(0) == "0s");
  CHECK(FormatDuration(1000000 * kSecond) == "1000000s");
  CHECK(FormatDuration(1500000000) == "1.5s");
  CHECK(FormatDuration(-1) == "-0.000000001s");
  CHECK(FormatDuration(123321456789) == "123.321456789s");
  CHECK(FormatDuration(INT64_MIN) == "-9223372036.854775808s");
}

TEST_CASE("timestamps parse RFC 3339 with offsets and fractions") {
  CHECK(Ts("2009-02-13T23:31:30Z").timestamp_seconds() == 1234567890);
  CHECK(Ts("2009-02-13t23:31:30z").timestamp_seconds() == 1234567890);
  CHECK(Ts("2009-02-14T00:31:30+01:00").timestamp_seconds() == 1234567890);
  CHECK(Ts("2009-02-13T21:01:30-02:30").timestamp_seconds() == 1234567890);
  Value fraction = Ts("2009-02-13T23:31:20.123456789Z");
  CHECK(fraction.timestamp_nanos() == 123456789);
  CHECK(Ts("1970-01-01T00:00:00.5Z").timestamp_nanos() == 500000000);
  CHECK(Ts("1969-12-31T23:59:59.5Z").timestamp_seconds() == -1);
  CHECK(Ts("2000-02-29T00:00:00Z").is_timestamp());
  for (const char* bad : {"", "2009-02-13", "2009-02-13T23:31:30", "2009-02-13 23:31:30Z", "2009-2-13T23:31:30Z",
                          "2009-02-30T00:00:00Z", "2001-02-29T00:00:00Z", "2009-13-01T00:00:00Z",
                          "2009-02-13T24:00:00Z", "2009-02-13T23:60:00Z", "2009-02-13T23:31:60Z",
                          "2009-02-13T23:31:30.Z", "2009-02-13T23:31:30+0100", "2009-02-13T23:31:30Zjunk"}) {
    CAPTURE(bad);
    CHECK(IsError(ParseTimestamp(bad), ErrorCode::kInvalidArgument));
  }
}

TEST_CASE("timestamps are limited to years 0001 to 9999") {
  CHECK(Ts("0001-01-01T00:00:00Z").timestamp_seconds() == kMinTimestampSeconds);
  CHECK(Ts("9999-12-31T23:59:59.999999999Z").timestamp_seconds() == kMaxTimestampSeconds);
  CHECK(IsError(ParseTimestamp("0000-01-01T00:00:00Z"), ErrorCode::kRange));
  CHECK(IsError(ParseTimestamp("0001-01-01T00:00:00+01:00"), ErrorCode::kRange));
  CHECK(IsError(ParseTimestamp("9999-12-31T23:59:59-01:00"), ErrorCode::kRange));
  CHECK(ParseTimestamp("10000-01-01T00:00:00Z").is_error());
  CHECK(Apply("timestamp", {Value::Int(kMaxTimestampSeconds)}).is_timestamp());
  CHECK(IsError(Apply("timestamp", {Value::Int(kMaxTimestampSeconds + 1)}), ErrorCode::kRange));
  CHECK(IsError(Apply("timestamp", {Value::Int(kMinTimestampSeconds - 1)}), ErrorCode::kRange));
  Value min = Ts("0001-01-01T00:00:00Z");
  Value max_second = Ts("9999-12-31T23:59:59Z");
  Value max = Ts("9999-12-31T23:59:59.999999999Z");
  CHECK(IsError(Apply("_+_", {min, Dur("-1s")}), ErrorCode::kRange));
  CHECK(IsError(Apply("_+_", {min, Dur("-1ns")}), ErrorCode::kRange));
  CHECK(IsError(Apply("_-_", {min, Dur("1ns")}), ErrorCode::kRange));
  CHECK(IsError(Apply("_+_", {max_second, Dur("1s")}), ErrorCode::kRange));
  CHECK(IsError(Apply("_+_", {max, Dur("1ns")}), ErrorCode::kRange));
  CHECK(IsError(Apply("_-_", {max, Value::Duration(INT64_MIN)}), ErrorCode::kRange));
  CHECK(Apply("_+_", {max_second, Dur("999999999ns")}).timestamp_nanos() == 999999999);
}

TEST_CASE("timestamp arithmetic carries nanoseconds and checks the duration range") {
  CHECK(Equal(Apply("_+_", {Ts("2009-02-13T23:00:00Z"), Dur("240s")}), Ts("2009-02-13T23:04:00Z")));
  CHECK(Equal(Apply("_+_", {Dur("120s"), Ts("2009-02-13T23:01:00Z")}), Ts("2009-02-13T23:03:00Z")));
  CHECK(Equal(Apply("_+_", {Ts("0001-01-01T00:00:01.000000001Z"), Dur("-999999999ns")}),
              Ts("0001-01-01T00:00:00.000000002Z")));
  CHECK(Equal(Apply("_+_", {Ts("0001-01-01T00:00:01.999999999Z"), Dur("999999999ns")}),
              Ts("0001-01-01T00:00:02.999999998Z")));
  CHECK(Equal(Apply("_-_", {Ts("2009-02-13T23:10:00Z"), Dur("600s")}), Ts("2009-02-13T23:00:00Z")));
  CHECK(Apply("_-_", {Ts("2009-02-13T23:31:00Z"), Ts("2009-02-13T23:29:00Z")}).duration_nanos() == 120 * kSecond);
  CHECK(Apply("_-_", {Ts("1970-01-01T00:00:00Z"), Ts("1970-01-01T00:00:00.5Z")}).duration_nanos() == -kSecond / 2);
  CHECK(IsError(Apply("_-_", {Ts("9999-12-31T23:59:59Z"), Ts("0001-01-01T00:00:00Z")}), ErrorCode::kRange));
  CHECK(IsError(Apply("_-_", {Ts("0001-01-01T00:00:00Z"), Ts("9999-12-31T23:59:59Z")}), ErrorCode::kRange));
  CHECK(IsError(Apply("_+_", {Ts("2009-02-13T23:00:00Z"), Ts("2009-02-13T23:00:00Z")}), ErrorCode::kNoSuchOverload));
}

TEST_CASE("timestamps format as RFC 3339 in UTC without trailing zeros") {
  CHECK(FormatTimestamp(1234567890, 0) == "2009-02-13T23:31:30Z");
  CHECK(FormatTimestamp(kMaxTimestampSeconds, 999999999) == "9999-12-31T23:59:59.999999999Z");
  CHECK(FormatTimestamp(kMinTimestampSeconds, 0) == "0001-01-01T00:00:00Z");
  CHECK(FormatTimestamp(-1, 500000000) == "1969-12-31T23:59:59.5Z");
  CHECK(FormatTimestamp(0, 120000000) == "1970-01-01T00:00:00.12Z");
}

TEST_CASE("calendar accessors in UTC") {
  Value t = Ts("2009-02-13T23:31:30Z");
  CHECK(Field("getFullYear", t) == 2009);
  CHECK(Field("getMonth", t) == 1);
  CHECK(Field("getDate", t) == 13);
  CHECK(Field("getDayOfMonth", t) == 12);
  CHECK(Field("getDayOfWeek", t) == 5);
  CHECK(Field("getDayOfYear", t) == 43);
  CHECK(Field("getHours", t) == 23);
  CHECK(Field("getMinutes", t) == 31);
  CHECK(Field("getSeconds", t) == 30);
  CHECK(Field("getMilliseconds", Ts("2009-02-13T23:31:20.123456789Z")) == 123);
  CHECK(Field("getDayOfYear", Ts("2008-12-31T00:00:00Z")) == 365);  // leap year, counted from 0
  CHECK(Field("getDayOfWeek", Ts("1970-01-04T00:00:00Z")) == 0);    // a Sunday
  CHECK(Field("getFullYear", Ts("1969-12-31T23:59:59Z")) == 1969);
  CHECK(Field("getHours", Ts("1969-12-31T23:59:59Z")) == 23);
}

TEST_CASE("calendar accessors in IANA zones and fixed offsets") {
  Value t = Ts("2009-02-13T23:31:30Z");
  CHECK(Field("getDate", t, "Australia/Sydney") == 14);
  CHECK(Field("getDayOfMonth", t, "US/Central") == 12);
  CHECK(Field("getDayOfMonth", t, "+11:00") == 13);
  CHECK(Field("getDayOfMonth", Ts("2009-02-13T02:00:00Z"), "-02:30") == 11);
  CHECK(Field("getDayOfMonth", Ts("2009-02-13T02:00:00Z"), "America/St_Johns") == 11);
  CHECK(Field("getDayOfWeek", t, "UTC") == 5);
  CHECK(Field("getDayOfYear", t, "US/Central") == 43);
  CHECK(Field("getFullYear", t, "-09:30") == 2009);
  CHECK(Field("getHours", t, "02:00") == 1);
  CHECK(Field("getMinutes", t, "Asia/Kathmandu") == 16);
  CHECK(Field("getMonth", t, "UTC") == 1);
  CHECK(Field("getSeconds", t, "-00:00") == 30);
  CHECK(Field("getHours", t, "Asia/Shanghai") == 7);
  CHECK(Field("getFullYear", Ts("2009-12-31T20:00:00Z"), "Asia/Shanghai") == 2010);
  CHECK(Field("getHours", Ts("2021-07-01T12:00:00Z"), "America/New_York") == 8);  // daylight saving
  CHECK(Field("getHours", Ts("2021-01-01T12:00:00Z"), "America/New_York") == 7);
  CHECK(Field("getFullYear", Ts("0001-01-01T00:00:00Z"), "-01:00") == 0);
  CHECK(Field("getFullYear", Ts("9999-12-31T23:59:59Z"), "+01:00") == 10000);
}

TEST_CASE("an unknown time zone is an error value") {
  Value t = Ts("2009-02-13T23:31:30Z");
  for (const char* zone : {"Mars/Olympus_Mons", "+25:00", "+05:60", "5:3", "+:30", "abc:de", "+05:30:00"}) {
    CAPTURE(zone);
    Value result = Apply("getHours", {t, Value::String(zone)}, CallStyle::kReceiver);
    CHECK(IsError(result, ErrorCode::kInvalidArgument));
  }
  CHECK(Apply("getHours", {t, Value::String("+5:30")}, CallStyle::kReceiver).int_value() == 5);
}

TEST_CASE("duration accessors: whole units, and the millisecond part") {
  CHECK(Apply("getHours", {Dur("10000s")}, CallStyle::kReceiver).int_value() == 2);
  CHECK(Apply("getMinutes", {Dur("3730s")}, CallStyle::kReceiver).int_value() == 62);
  CHECK(Apply("getSeconds", {Dur("3730s")}, CallStyle::kReceiver).int_value() == 3730);
  CHECK(Apply("getMilliseconds", {Value::Duration(123321456789)}, CallStyle::kReceiver).int_value() == 321);
  CHECK(Apply("getHours", {Dur("-1.5h")}, CallStyle::kReceiver).int_value() == -1);
  CHECK(Apply("getFullYear", {Dur("1h")}, CallStyle::kReceiver).error_code() == ErrorCode::kNoSuchOverload);
}

TEST_CASE("timestamp and duration conversions") {
  CHECK(Apply("duration", {Value::String("1h")}).duration_nanos() == 3600 * kSecond);
  CHECK(Apply("duration", {Value::String("1 hour")}).is_error());
  CHECK(Apply("timestamp", {Value::String("2009-02-13T23:31:30Z")}).timestamp_seconds() == 1234567890);
  CHECK(Apply("timestamp", {Value::Int(1000000000)}).timestamp_seconds() == 1000000000);
  CHECK(Equal(Apply("timestamp", {Ts("2009-02-13T23:31:30Z")}), Ts("2009-02-13T23:31:30Z")));
  CHECK(Equal(Apply("duration", {Dur("100s")}), Dur("100s")));
  CHECK(Apply("string", {Ts("9999-12-31T23:59:59.999999999Z")}).string_value() == "9999-12-31T23:59:59.999999999Z");
  CHECK(Apply("int", {Ts("2004-09-16T23:59:59Z")}).int_value() == 1095379199);
}
