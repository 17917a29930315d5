// The type conversion overloads (int(), uint(), double(), string(), bytes(), bool(), duration(),
// timestamp(), dyn(), type()), with cel-go's range rules and Go's number syntax for strings.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "runtime/value/format.h"
#include "runtime/value/overload_impl.h"
#include "runtime/value/time.h"
#include "runtime/value/utf8.h"

namespace edict::value::overload_impl {
namespace {

constexpr double kTwoTo63 = 9223372036854775808.0;
constexpr double kTwoTo64 = 18446744073709551616.0;

Value RangeError(std::string_view target, const Value& from) {
  return Value::Error(ErrorCode::kRange, FormatLiteral(from) + " is out of range for " + std::string(target));
}

Value ConversionError(std::string_view target, const Value& from) {
  return Value::Error(ErrorCode::kInvalidArgument, "cannot convert " + FormatLiteral(from) + " to " + std::string(target));
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

// Go's strconv.ParseFloat for decimal text: an optional sign, digits with an optional point and
// exponent, or inf/infinity/nan in any case. Overflow is an error; underflow rounds to zero.
bool ParseDouble(std::string_view text, double& out) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (EqualsIgnoringCase(digits, "inf") || EqualsIgnoringCase(digits, "infinity")) {
    out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (EqualsIgnoringCase(digits, "nan")) {
    out = std::nan("");
    return true;
  }
  if (digits.empty() || !(digits[0] == '.' || (digits[0] >= '0' && digits[0] <= '9'))) return false;
  double magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, std::chars_format::general);
  if (end != digits.data() + digits.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports both overflow and underflow; strtod tells them apart.
    magnitude = std::strtod(std::string(digits).c_str(), nullptr);
    if (std::isinf(magnitude)) return false;
  } else if (ec != std::errc()) {
    return false;
  }
  out = negative ? -magnitude : magnitude;
  return true;
}

template <typename Integer>
bool ParseInteger(std::string_view text, Integer& out) {
  if (!text.empty() && text[0] == '+' && std::is_signed_v<Integer>) text.remove_prefix(1);
  if (text.empty() || text[0] == '+') return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 10);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Value int64_to_int64(const Value& a) { return a; }

Value uint64_to_int64(const Value& a) {
  if (a.uint_value() > static_cast<uint64_t>(INT64_MAX)) return RangeError("int", a);
  return Value::Int(static_cast<int64_t>(a.uint_value()));
}

// Both bounds are exclusive, as in cel-go: -2^63 itself is out of range.
Value double_to_int64(const Value& a) {
  double d = a.double_value();
  if (!(d > -kTwoTo63 && d < kTwoTo63)) return RangeError("int", a);
  return Value::Int(static_cast<int64_t>(d));
}

Value string_to_int64(const Value& a) {
  int64_t result;
  if (!ParseInteger(a.string_value(), result)) return ConversionError("int", a);
  return Value::Int(result);
}

Value timestamp_to_int64(const Value& a) { return Value::Int(a.timestamp_seconds()); }

Value uint64_to_uint64(const Value& a) { return a; }

Value int64_to_uint64(const Value& a) {
  if (a.int_value() < 0) return RangeError("uint", a);
  return Value::Uint(static_cast<uint64_t>(a.int_value()));
}

Value double_to_uint64(const Value& a) {
  double d = a.double_value();
  if (!(d >= 0 && d < kTwoTo64)) return RangeError("uint", a);
  return Value::Uint(static_cast<uint64_t>(d));
}

Value string_to_uint64(const Value& a) {
  uint64_t result;
  if (!ParseInteger(a.string_value(), result)) return ConversionError("uint", a);
  return Value::Uint(result);
}

Value double_to_double(const Value& a) { return a; }
Value int64_to_double(const Value& a) { return Value::Double(static_cast<double>(a.int_value())); }
Value uint64_to_double(const Value& a) { return Value::Double(static_cast<double>(a.uint_value())); }

Value string_to_double(const Value& a) {
  double result;
  if (!ParseDouble(a.string_value(), result)) return ConversionError("double", a);
  return Value::Double(result);
}

Value string_to_string(const Value& a) { return a; }
Value int64_to_string(const Value& a) { return Value::String(std::to_string(a.int_value())); }
Value uint64_to_string(const Value& a) { return Value::String(std::to_string(a.uint_value())); }
Value double_to_string(const Value& a) { return Value::String(FormatDouble(a.double_value())); }
Value bool_to_string(const Value& a) { return Value::UnownedString(a.bool_value() ? "true" : "false"); }

Value bytes_to_string(const Value& a) {
  if (!IsValidUtf8(a.string_value())) {
    return Value::Error(ErrorCode::kInvalidArgument, "invalid UTF-8 in bytes " + FormatLiteral(a) + " converted to string");
  }
  return Value::String(a.string_value());
}

Value timestamp_to_string(const Value& a) {
  return Value::String(FormatTimestamp(a.timestamp_seconds(), a.timestamp_nanos()));
}
Value duration_to_string(const Value& a) { return Value::String(FormatDuration(a.duration_nanos())); }

Value bytes_to_bytes(const Value& a) { return a; }
Value string_to_bytes(const Value& a) { return Value::Bytes(a.string_value()); }

Value bool_to_bool(const Value& a) { return a; }

// Go's strconv.ParseBool, as cel-go uses it.
Value string_to_bool(const Value& a) {
  std::string_view text = a.string_value();
  if (text == "1" || text == "t" || text == "T" || text == "true" || text == "TRUE" || text == "True") {
    return Value::Bool(true);
  }
  if (text == "0" || text == "f" || text == "F" || text == "false" || text == "FALSE" || text == "False") {
    return Value::Bool(false);
  }
  return ConversionError("bool", a);
}

Value duration_to_duration(const Value& a) { return a; }
Value string_to_duration(const Value& a) { return ParseDuration(a.string_value()); }

Value timestamp_to_timestamp(const Value& a) { return a; }
Value string_to_timestamp(const Value& a) { return ParseTimestamp(a.string_value()); }
Value int64_to_timestamp(const Value& a) { return TimestampFromUnixSeconds(a.int_value()); }

Value to_dyn(const Value& a) { return a; }
Value type(const Value& a) { return Value::Type(TypeOf(a)); }

}  // namespace edict::value::overload_impl
