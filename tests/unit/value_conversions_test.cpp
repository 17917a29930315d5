// Type conversions: range checks with cel-go's exclusive double bounds, Go's number and bool
// syntax for strings, UTF-8 checks for bytes, and string(double) in Go's %g style.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "runtime/value/dispatch.h"
#include "runtime/value/format.h"

using namespace edict::value;

namespace {

Value Convert(std::string_view to, Value from) {
  std::optional<Function> f = Function::Find(to, CallStyle::kGlobal);
  REQUIRE(f.has_value());
  const Value args[] = {std::move(from)};
  return f->Call(args);
}

bool IsError(const Value& v, ErrorCode code) { return v.is_error() && v.error_code() == code; }
Value S(std::string_view text) { return Value::String(text); }

}  // namespace

TEST_CASE("int() from uint, double, string and timestamp") {
  CHECK(Convert("int", Value::Uint(42)).int_value() == 42);
  CHECK(Convert("int", Value::Uint(9223372036854775807u)).int_value() == 9223372036854775807);
  CHECK(IsError(Convert("int", Value::Uint(9223372036854775808u)), ErrorCode::kRange));
  CHECK(Convert("int", Value::Double(-123.456)).int_value() == -123);
  CHECK(Convert("int", Value::Double(1.9)).int_value() == 1);
  CHECK(Convert("int", Value::Double(-7.9)).int_value() == -7);
  CHECK(Convert("int", Value::Double(11.5)).int_value() == 11);
  CHECK(Convert("int", Value::Double(36028797018963968.0)).int_value() == 36028797018963968);
  CHECK(Convert("int", Value::Double(-9223372036854774784.0)).int_value() == -9223372036854774784);
  CHECK(IsError(Convert("int", Value::Double(9223372036854775807.0)), ErrorCode::kRange));
  CHECK(IsError(Convert("int", Value::Double(-9223372036854775808.0)), ErrorCode::kRange));
  CHECK(IsError(Convert("int", Value::Double(1e99)), ErrorCode::kRange));
  CHECK(IsError(Convert("int", Value::Double(std::nan(""))), ErrorCode::kRange));
  CHECK(IsError(Convert("int", Value::Double(HUGE_VAL)), ErrorCode::kRange));
  CHECK(Convert("int", S("987")).int_value() == 987);
  CHECK(Convert("int", S("-9223372036854775808")).int_value() == std::numeric_limits<int64_t>::min());
  CHECK(Convert("int", S("+5")).int_value() == 5);
  CHECK(IsError(Convert("int", S("9223372036854775808")), ErrorCode::kInvalidArgument));
  for (const char* bad : {"", " 1", "1 ", "1.0", "0x10", "1_000", "++1", "-", "abc"}) {
    CAPTURE(bad);
    CHECK(IsError(Convert("int", S(bad)), ErrorCode::kInvalidArgument));
  }
  CHECK(Convert("int", Value::Timestamp(1095379199, 5)).int_value() == 1095379199);
  CHECK(Convert("int", Value::Timestamp(-1, 500000000)).int_value() == -1);
  CHECK(Convert("int", Value::Int(1)).int_value() == 1);
  CHECK(IsError(Convert("int", Value::Bool(true)), ErrorCode::kNoSuchOverload));
}

TEST_CASE("uint() from int, double and string") {
  CHECK(Convert("uint", Value::Int(1729)).uint_value() == 1729);
  CHECK(Convert("uint", Value::Int(9223372036854775807)).uint_value() == 9223372036854775807u);
  CHECK(IsError(Convert("uint", Value::Int(-1)), ErrorCode::kRange));
  CHECK(Convert("uint", Value::Double(3.14159265)).uint_value() == 3);
  CHECK(Convert("uint", Value::Double(25.5)).uint_value() == 25);
  CHECK(Convert("uint", Value::Double(18446744073709549568.0)).uint_value() == 18446744073709549568u);
  CHECK(IsError(Convert("uint", Value::Double(18446744073709551616.0)), ErrorCode::kRange));
  CHECK(IsError(Convert("uint", Value::Double(6.022e23)), ErrorCode::kRange));
  CHECK(IsError(Convert("uint", Value::Double(-0.5)), ErrorCode::kRange));
  CHECK(Convert("uint", S("300")).uint_value() == 300);
  CHECK(Convert("uint", S("18446744073709551615")).uint_value() == std::numeric_limits<uint64_t>::max());
  CHECK(IsError(Convert("uint", S("18446744073709551616")), ErrorCode::kInvalidArgument));
  CHECK(IsError(Convert("uint", S("-1")), ErrorCode::kInvalidArgument));
  CHECK(IsError(Convert("uint", S("+1")), ErrorCode::kInvalidArgument));
}

TEST_CASE("double() from int, uint and string") {
  CHECK(Convert("double", Value::Int(-1000000000000000)).double_value() == -1e15);
  CHECK(Convert("double", Value::Int(9223372036854775807)).double_value() == 9223372036854775808.0);
  CHECK(Convert("double", Value::Uint(18446744073709551615u)).double_value() == 18446744073709551616.0);
  CHECK(Convert("double", S("0")).double_value() == 0);
  Value negative_zero = Convert("double", S("-0.0"));
  CHECK(std::signbit(negative_zero.double_value()));
  CHECK(Convert("double", S("123.456")).double_value() == 123.456);
  CHECK(Convert("double", S("6.02214e23")).double_value() == 6.02214e23);
  CHECK(Convert("double", S("-84.32e7")).double_value() == -843200000.0);
  CHECK(Convert("double", S("-5.43e-21")).double_value() == -5.43e-21);
  CHECK(Convert("double", S(".5")).double_value() == 0.5);
  CHECK(Convert("double", S("+1E3")).double_value() == 1000.0);
  CHECK(std::isnan(Convert("double", S("NaN")).double_value()));
  CHECK(Convert("double", S("-Infinity")).double_value() == -HUGE_VAL);
  CHECK(Convert("double", S("inf")).double_value() == HUGE_VAL);
  CHECK(Convert("double", S("1e-400")).double_value() == 0.0);  // underflow rounds to zero
  CHECK(IsError(Convert("double", S("1e400")), ErrorCode::kInvalidArgument));
  for (const char* bad : {"", " 1", "1 ", "1,5", "abc", "--1", "nan(1)", "0x1p3", "1e"}) {
    CAPTURE(bad);
    CHECK(IsError(Convert("double", S(bad)), ErrorCode::kInvalidArgument));
  }
}

TEST_CASE("string() of every scalar") {
  CHECK(Convert("string", Value::Int(-456)).string_value() == "-456");
  CHECK(Convert("string", Value::Uint(9876)).string_value() == "9876");
  CHECK(Convert("string", Value::Double(123.456)).string_value() == "123.456");
  CHECK(Convert("string", Value::Double(-4.5e-3)).string_value() == "-0.0045");
  CHECK(Convert("string", Value::Bool(true)).string_value() == "true");
  CHECK(Convert("string", Value::Bytes("abc")).string_value() == "abc");
  CHECK(Convert("string", Value::Bytes("\xc3\xbf")).string_value() == "\u00ff");
  CHECK(IsError(Convert("string", Value::Bytes(std::string_view("\x00\xff", 2))), ErrorCode::kInvalidArgument));
  CHECK(Convert("string", Value::Timestamp(1234567890, 0)).string_value() == "2009-02-13T23:31:30Z");
  CHECK(Convert("string", Value::Duration(1000000000000000)).string_value() == "1000000s");
  CHECK(Convert("string", S("hello")).string_value() == "hello");
  CHECK(IsError(Convert("string", Value::Null()), ErrorCode::kNoSuchOverload));
}

TEST_CASE("string(double) prints like cel-go: shortest digits, %e outside 1e-4 to 1e6") {
  CHECK(FormatDouble(0.0) == "0");
  CHECK(FormatDouble(-0.0) == "-0");
  CHECK(FormatDouble(1.0) == "1");
  CHECK(FormatDouble(0.1) == "0.1");
  CHECK(FormatDouble(0.0001) == "0.0001");
  CHECK(FormatDouble(0.00001) == "1e-05");
  CHECK(FormatDouble(123456.0) == "123456");
  CHECK(FormatDouble(999999.0) == "999999");
  CHECK(FormatDouble(1000000.0) == "1e+06");
  CHECK(FormatDouble(1234567.0) == "1.234567e+06");
  CHECK(FormatDouble(1e21) == "1e+21");
  CHECK(FormatDouble(1.5e300) == "1.5e+300");
  CHECK(FormatDouble(-2.5e-7) == "-2.5e-07");
  CHECK(FormatDouble(5e-324) == "5e-324");
  CHECK(FormatDouble(std::nan("")) == "NaN");
  CHECK(FormatDouble(HUGE_VAL) == "+Inf");
  CHECK(FormatDouble(-HUGE_VAL) == "-Inf");
}

TEST_CASE("bytes() and bool()") {
  Value bytes = Convert("bytes", S("\u00ff"));
  CHECK(bytes.is_bytes());
  CHECK(bytes.string_value() == "\xc3\xbf");
  CHECK(Convert("bytes", Value::Bytes("abc")).string_value() == "abc");
  for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"}) CHECK(Convert("bool", S(yes)).bool_value());
  for (const char* no : {"0", "f", "F", "false", "FALSE", "False"}) {
    Value result = Convert("bool", S(no));
    CHECK((result.is_bool() && !result.bool_value()));
  }
  for (const char* bad : {"TrUe", "FaLsE", "yes", "", " true"}) {
    CAPTURE(bad);
    CHECK(IsError(Convert("bool", S(bad)), ErrorCode::kInvalidArgument));
  }
  CHECK(Convert("bool", Value::Bool(false)).is_bool());
}

TEST_CASE("type() and dyn()") {
  CHECK(Convert("type", Value::Null()).type_value() == TypeKind::kNullType);
  CHECK(Convert("type", Value::Int(0)).type_value() == TypeKind::kInt);
  CHECK(Convert("type", Value::Uint(64)).type_value() == TypeKind::kUint);
  CHECK(Convert("type", Value::Double(3.14)).type_value() == TypeKind::kDouble);
  CHECK(Convert("type", S("foo")).type_value() == TypeKind::kString);
  CHECK(Convert("type", Value::Bytes("\xff")).type_value() == TypeKind::kBytes);
  CHECK(Convert("type", Value::List({})).type_value() == TypeKind::kList);
  CHECK(Convert("type", Value::Map({})).type_value() == TypeKind::kMap);
  CHECK(Convert("type", Value::Duration(1)).type_value() == TypeKind::kDuration);
  CHECK(Convert("type", Value::Timestamp(0, 0)).type_value() == TypeKind::kTimestamp);
  CHECK(Convert("type", Value::Type(TypeKind::kInt)).type_value() == TypeKind::kType);
  CHECK(Convert("type", Value::Error(ErrorCode::kRange, "r")).is_error());
  CHECK(Convert("dyn", Value::List({Value::Int(1), S("one")})).is_list());
  CHECK(Convert("dyn", Value::Null()).is_null());
}
