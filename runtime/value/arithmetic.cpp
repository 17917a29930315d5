// The arithmetic overloads: int64/uint64 overflow and division by zero are errors, doubles follow
// IEEE 754, timestamps and durations stay within their ranges (time.cpp).
#include <cstdint>

#include "runtime/value/errors.h"
#include "runtime/value/overload_impl.h"
#include "runtime/value/time.h"

namespace edict::value::overload_impl {

Value add_int64(const Value& a, const Value& b) {
  int64_t result;
  if (__builtin_add_overflow(a.int_value(), b.int_value(), &result)) return IntegerOverflow();
  return Value::Int(result);
}

Value add_uint64(const Value& a, const Value& b) {
  uint64_t result;
  if (__builtin_add_overflow(a.uint_value(), b.uint_value(), &result)) return IntegerOverflow();
  return Value::Uint(result);
}

Value add_double(const Value& a, const Value& b) { return Value::Double(a.double_value() + b.double_value()); }

Value add_timestamp_duration(const Value& a, const Value& b) { return AddToTimestamp(a, b.duration_nanos()); }
Value add_duration_timestamp(const Value& a, const Value& b) { return AddToTimestamp(b, a.duration_nanos()); }
Value add_duration_duration(const Value& a, const Value& b) {
  return AddDurations(a.duration_nanos(), b.duration_nanos());
}

Value subtract_int64(const Value& a, const Value& b) {
  int64_t result;
  if (__builtin_sub_overflow(a.int_value(), b.int_value(), &result)) return IntegerOverflow();
  return Value::Int(result);
}

Value subtract_uint64(const Value& a, const Value& b) {
  uint64_t result;
  if (__builtin_sub_overflow(a.uint_value(), b.uint_value(), &result)) return IntegerOverflow();
  return Value::Uint(result);
}

Value subtract_double(const Value& a, const Value& b) { return Value::Double(a.double_value() - b.double_value()); }

Value subtract_timestamp_timestamp(const Value& a, const Value& b) { return TimestampDifference(a, b); }

Value subtract_timestamp_duration(const Value& a, const Value& b) {
  if (b.duration_nanos() == INT64_MIN) return Value::Error(ErrorCode::kRange, "timestamp out of range");
  return AddToTimestamp(a, -b.duration_nanos());
}

Value subtract_duration_duration(const Value& a, const Value& b) {
  return SubtractDurations(a.duration_nanos(), b.duration_nanos());
}

Value multiply_int64(const Value& a, const Value& b) {
  int64_t result;
  if (__builtin_mul_overflow(a.int_value(), b.int_value(), &result)) return IntegerOverflow();
  return Value::Int(result);
}

Value multiply_uint64(const Value& a, const Value& b) {
  uint64_t result;
  if (__builtin_mul_overflow(a.uint_value(), b.uint_value(), &result)) return IntegerOverflow();
  return Value::Uint(result);
}

Value multiply_double(const Value& a, const Value& b) { return Value::Double(a.double_value() * b.double_value()); }

Value divide_int64(const Value& a, const Value& b) {
  if (b.int_value() == 0) return DivisionByZero();
  if (a.int_value() == INT64_MIN && b.int_value() == -1) return IntegerOverflow();
  return Value::Int(a.int_value() / b.int_value());
}

Value divide_uint64(const Value& a, const Value& b) {
  if (b.uint_value() == 0) return DivisionByZero();
  return Value::Uint(a.uint_value() / b.uint_value());
}

Value divide_double(const Value& a, const Value& b) { return Value::Double(a.double_value() / b.double_value()); }

Value modulo_int64(const Value& a, const Value& b) {
  if (b.int_value() == 0) return ModulusByZero();
  if (a.int_value() == INT64_MIN && b.int_value() == -1) return IntegerOverflow();
  return Value::Int(a.int_value() % b.int_value());
}

Value modulo_uint64(const Value& a, const Value& b) {
  if (b.uint_value() == 0) return ModulusByZero();
  return Value::Uint(a.uint_value() % b.uint_value());
}

Value negate_int64(const Value& a) {
  if (a.int_value() == INT64_MIN) return IntegerOverflow();
  return Value::Int(-a.int_value());
}

Value negate_double(const Value& a) { return Value::Double(-a.double_value()); }

}  // namespace edict::value::overload_impl
