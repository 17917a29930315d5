// Arithmetic builtins: int64/uint64 overflow at the exact boundaries, division and modulus by
// zero, IEEE doubles, and dispatch by the operands' runtime kinds.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "runtime/value/dispatch.h"
#include "tests/unit/value_apply.h"

using namespace edict::value;
using edict::value::testing::Apply;

namespace {

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();
constexpr uint64_t kMaxUint = std::numeric_limits<uint64_t>::max();

bool IsError(const Value& v, ErrorCode code) { return v.is_error() && v.error_code() == code; }

}  // namespace

TEST_CASE("int64 addition and subtraction overflow exactly at the boundaries") {
  CHECK(Apply("_+_", {Value::Int(kMaxInt - 1), Value::Int(1)}).int_value() == kMaxInt);
  CHECK(IsError(Apply("_+_", {Value::Int(kMaxInt), Value::Int(1)}), ErrorCode::kOverflow));
  CHECK(IsError(Apply("_+_", {Value::Int(kMinInt), Value::Int(-1)}), ErrorCode::kOverflow));
  CHECK(Apply("_-_", {Value::Int(kMinInt + 1), Value::Int(1)}).int_value() == kMinInt);
  CHECK(IsError(Apply("_-_", {Value::Int(kMinInt), Value::Int(1)}), ErrorCode::kOverflow));
  CHECK(IsError(Apply("_-_", {Value::Int(1), Value::Int(-kMaxInt)}), ErrorCode::kOverflow));
  CHECK(Apply("_-_", {Value::Int(0), Value::Int(-kMaxInt)}).int_value() == kMaxInt);
}

TEST_CASE("int64 multiplication, division, modulus and negation") {
  CHECK(Apply("_*_", {Value::Int(-30), Value::Int(-2)}).int_value() == 60);
  CHECK(IsError(Apply("_*_", {Value::Int(5000000000), Value::Int(5000000000)}), ErrorCode::kOverflow));
  CHECK(IsError(Apply("_*_", {Value::Int(-5000000000), Value::Int(5000000000)}), ErrorCode::kOverflow));
  CHECK(IsError(Apply("_*_", {Value::Int(kMinInt), Value::Int(-1)}), ErrorCode::kOverflow));
  CHECK(Apply("_*_", {Value::Int(kMinInt), Value::Int(1)}).int_value() == kMinInt);
  CHECK(Apply("_/_", {Value::Int(-20), Value::Int(2)}).int_value() == -10);
  CHECK(Apply("_/_", {Value::Int(-7), Value::Int(2)}).int_value() == -3);  // truncates toward zero
  CHECK(IsError(Apply("_/_", {Value::Int(15), Value::Int(0)}), ErrorCode::kDivisionByZero));
  CHECK(IsError(Apply("_/_", {Value::Int(kMinInt), Value::Int(-1)}), ErrorCode::kOverflow));
  CHECK(Apply("_%_", {Value::Int(43), Value::Int(-5)}).int_value() == 3);
  CHECK(Apply("_%_", {Value::Int(-42), Value::Int(-5)}).int_value() == -2);
  CHECK(Apply("_%_", {Value::Int(-3), Value::Int(5)}).int_value() == -3);
  CHECK(IsError(Apply("_%_", {Value::Int(34), Value::Int(0)}), ErrorCode::kDivisionByZero));
  CHECK(IsError(Apply("_%_", {Value::Int(kMinInt), Value::Int(-1)}), ErrorCode::kOverflow));
  CHECK(Apply("-_", {Value::Int(kMaxInt)}).int_value() == -kMaxInt);
  CHECK(Apply("-_", {Value::Int(0)}).int_value() == 0);
  CHECK(IsError(Apply("-_", {Value::Int(kMinInt)}), ErrorCode::kOverflow));
}

TEST_CASE("uint64 arithmetic overflows instead of wrapping") {
  CHECK(Apply("_+_", {Value::Uint(kMaxUint - 1), Value::Uint(1)}).uint_value() == kMaxUint);
  CHECK(IsError(Apply("_+_", {Value::Uint(kMaxUint), Value::Uint(1)}), ErrorCode::kOverflow));
  CHECK(Apply("_-_", {Value::Uint(1), Value::Uint(1)}).uint_value() == 0);
  CHECK(IsError(Apply("_-_", {Value::Uint(0), Value::Uint(1)}), ErrorCode::kOverflow));
  CHECK(IsError(Apply("_*_", {Value::Uint(5000000000), Value::Uint(5000000000)}), ErrorCode::kOverflow));
  CHECK(Apply("_*_", {Value::Uint(4294967296), Value::Uint(4294967295)}).uint_value() == 18446744069414584320u);
  CHECK(Apply("_/_", {Value::Uint(60), Value::Uint(2)}).uint_value() == 30);
  CHECK(IsError(Apply("_/_", {Value::Uint(15), Value::Uint(0)}), ErrorCode::kDivisionByZero));
  CHECK(Apply("_%_", {Value::Uint(42), Value::Uint(5)}).uint_value() == 2);
  CHECK(IsError(Apply("_%_", {Value::Uint(34), Value::Uint(0)}), ErrorCode::kDivisionByZero));
}

TEST_CASE("doubles follow IEEE 754: no errors, infinities and signed zeros") {
  CHECK(Apply("_+_", {Value::Double(4.25), Value::Double(15.25)}).double_value() == 19.5);
  CHECK(Apply("_*_", {Value::Double(40.75), Value::Double(-2.25)}).double_value() == -91.6875);
  CHECK(Apply("_/_", {Value::Double(15.75), Value::Double(0.0)}).double_value() == HUGE_VAL);
  CHECK(std::isnan(Apply("_/_", {Value::Double(0.0), Value::Double(0.0)}).double_value()));
  CHECK(Apply("_*_", {Value::Double(2.0), Value::Double(8.988466e+307)}).double_value() == HUGE_VAL);
  CHECK(Apply("_/_", {Value::Double(5e-324), Value::Double(2.0)}).double_value() == 0.0);
  Value negative_zero = Apply("-_", {Value::Double(0.0)});
  CHECK(negative_zero.double_value() == 0.0);
  CHECK(std::signbit(negative_zero.double_value()));
}

TEST_CASE("operators without an overload for the operand kinds are errors, not guesses") {
  CHECK(IsError(Apply("_%_", {Value::Double(47.5), Value::Double(5.5)}), ErrorCode::kNoSuchOverload));
  CHECK(IsError(Apply("-_", {Value::Uint(5)}), ErrorCode::kNoSuchOverload));
  CHECK(IsError(Apply("-_", {Value::Bool(false)}), ErrorCode::kNoSuchOverload));
  CHECK(IsError(Apply("_+_", {Value::Int(1), Value::Uint(1)}), ErrorCode::kNoSuchOverload));
  CHECK(IsError(Apply("_+_", {Value::Int(1), Value::Double(1)}), ErrorCode::kNoSuchOverload));
  Value error = Apply("_+_", {Value::Int(1), Value::String("a")});
  CHECK(error.error_message() == "no matching overload for '_+_' applied to (int, string)");
}

TEST_CASE("an error operand is the result, before any overload is considered") {
  Value division = Apply("_/_", {Value::Int(1), Value::Int(0)});
  Value sum = Apply("_+_", {division, Value::String("not an int")});
  CHECK(IsError(sum, ErrorCode::kDivisionByZero));
  Value unknown = Value::Unknown("perm_result");
  CHECK(Apply("_+_", {division, unknown}).is_unknown());  // unknowns win over errors
}
