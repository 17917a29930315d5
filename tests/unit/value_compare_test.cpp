// Equality and ordering: heterogeneous numeric comparison (cel-go's lossy int/double rules at the
// 2^63 and 2^64 edges), NaN, lists and maps, and the kinds that have no ordering.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "runtime/value/compare.h"
#include "runtime/value/dispatch.h"
#include "tests/unit/value_apply.h"

using namespace edict::value;
using edict::value::testing::Apply;

namespace {

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();
constexpr uint64_t kMaxUint = std::numeric_limits<uint64_t>::max();
const double kNaN = std::nan("");

// The bool result of a comparison operator; fails the test on an error.
bool Holds(std::string_view op, const Value& a, const Value& b) {
  Value result = Apply(op, {a, b});
  REQUIRE(result.is_bool());
  return result.bool_value();
}

Value List(std::vector<Value> elements) { return Value::List(std::move(elements)); }

}  // namespace

TEST_CASE("numbers are equal across int, uint and double by value") {
  CHECK(Equal(Value::Int(1), Value::Uint(1)));
  CHECK(Equal(Value::Uint(1), Value::Double(1.0)));
  CHECK(Equal(Value::Double(1.0), Value::Int(1)));
  CHECK_FALSE(Equal(Value::Int(2), Value::Uint(1)));
  CHECK_FALSE(Equal(Value::Int(-1), Value::Uint(kMaxUint)));
  CHECK_FALSE(Equal(Value::Int(24), Value::Double(24.1)));
  CHECK(Holds("_!=_", Value::Int(24), Value::Uint(42)));
  CHECK_FALSE(Holds("_!=_", Value::Uint(99), Value::Double(99.0)));
}

TEST_CASE("NaN is unequal to everything, itself included, and unordered") {
  CHECK_FALSE(Equal(Value::Double(kNaN), Value::Double(kNaN)));
  CHECK_FALSE(Equal(Value::Int(1), Value::Double(kNaN)));
  CHECK_FALSE(Equal(Value::Uint(1), Value::Double(kNaN)));
  CHECK(Holds("_!=_", Value::Double(kNaN), Value::Double(kNaN)));
  for (const char* op : {"_<_", "_<=_", "_>_", "_>=_"}) {
    CHECK_FALSE(Holds(op, Value::Double(kNaN), Value::Double(1)));
    CHECK_FALSE(Holds(op, Value::Int(1), Value::Double(kNaN)));
    CHECK_FALSE(Holds(op, Value::Double(kNaN), Value::Uint(1)));
  }
  CHECK(Compare(Value::Double(kNaN), Value::Int(0)) == Order::kUnordered);
}

TEST_CASE("signed zeros are equal and neither is less") {
  CHECK(Equal(Value::Double(-0.0), Value::Double(0.0)));
  CHECK_FALSE(Holds("_<_", Value::Double(-0.0), Value::Double(0.0)));
  CHECK(Equal(Value::Double(-0.0), Value::Int(0)));
}

TEST_CASE("int and uint order correctly beyond each other's range") {
  CHECK(Holds("_<_", Value::Int(-1), Value::Uint(0)));
  CHECK(Holds("_<_", Value::Int(kMaxInt), Value::Uint(9223372036854775808u)));
  CHECK_FALSE(Holds("_>=_", Value::Int(1), Value::Uint(9223372036854775808u)));
  CHECK(Holds("_>=_", Value::Uint(1), Value::Int(-1)));
  CHECK(Holds("_>=_", Value::Uint(9223372036854775808u), Value::Int(1)));
  CHECK(Holds("_>_", Value::Uint(kMaxUint), Value::Int(kMaxInt)));
}

TEST_CASE("int and uint against double convert to double inside the integer's range, as cel-go") {
  // 2^63 - 1 converts to 2^63: equal, though the exact values differ (the conformance suite's
  // "lossy" cases).
  CHECK(Holds("_>=_", Value::Int(kMaxInt), Value::Double(9223372036854775808.0)));
  CHECK_FALSE(Holds("_>=_", Value::Int(kMaxInt), Value::Double(9223372036854777857.0)));
  CHECK(Holds("_>=_", Value::Int(kMinInt), Value::Double(-9223372036854775809.0)));
  CHECK(Holds("_>=_", Value::Int(kMinInt), Value::Double(-9223372036854777857.0)));
  CHECK(Holds("_>=_", Value::Double(9223372036854775808.0), Value::Int(kMaxInt)));
  CHECK(Holds("_>=_", Value::Double(-9223372036854775809.0), Value::Int(kMinInt)));
  CHECK(Holds("_>=_", Value::Uint(9223372036854775807u), Value::Double(-1.0)));
  CHECK_FALSE(Holds("_>=_", Value::Uint(kMaxUint), Value::Double(18446744073709553665.0)));
  CHECK(Holds("_>=_", Value::Double(18446744073709553665.0), Value::Uint(kMaxUint)));
  CHECK(Holds("_<_", Value::Double(-0.5), Value::Uint(0)));
  CHECK(Holds("_<_", Value::Int(1), Value::Double(1.0000001)));
}

TEST_CASE("strings and bytes order bytewise, bools false first, durations and timestamps by time") {
  CHECK(Holds("_<_", Value::String("Abc"), Value::String("aBC")));
  CHECK(Holds("_<_", Value::String("abc"), Value::String("abcd")));
  CHECK_FALSE(Holds("_<_", Value::String("a"), Value::String("AB")));
  CHECK(Holds("_<_", Value::String("a"), Value::String("\u00e1")));
  CHECK(Holds("_<_", Value::String("f"), Value::String("\u1ebf")));
  CHECK(Holds("_>_", Value::String("\u03b1"), Value::String("omega")));
  CHECK_FALSE(Holds("_<_", Value::Bytes("\xc3\xa1"), Value::Bytes("b")));
  CHECK(Holds("_>_", Value::Bytes(" "), Value::Bytes("")));
  CHECK(Holds("_<_", Value::Bool(false), Value::Bool(true)));
  CHECK(Holds("_>=_", Value::Bool(true), Value::Bool(true)));
  CHECK(Holds("_<_", Value::Duration(-1), Value::Duration(0)));
  CHECK(Holds("_<_", Value::Timestamp(5, 999999999), Value::Timestamp(6, 0)));
  CHECK(Holds("_<=_", Value::Timestamp(6, 1), Value::Timestamp(6, 1)));
}

TEST_CASE("null, lists, maps, types and mixed kinds have no ordering") {
  for (const char* op : {"_<_", "_<=_", "_>_", "_>=_"}) {
    CAPTURE(op);
    CHECK(Apply(op, {Value::Null(), Value::Null()}).error_code() == ErrorCode::kNoSuchOverload);
    CHECK(Apply(op, {List({Value::Int(0)}), List({Value::Int(1)})}).error_code() == ErrorCode::kNoSuchOverload);
    CHECK(Apply(op, {Value::String("foo"), Value::Int(1024)}).error_code() == ErrorCode::kNoSuchOverload);
    CHECK(Apply(op, {Value::String("foo"), Value::Double(1.0)}).error_code() == ErrorCode::kNoSuchOverload);
    CHECK(Apply(op, {Value::Type(TypeKind::kInt), Value::Type(TypeKind::kInt)}).is_error());
  }
}

TEST_CASE("values of different kinds are unequal, never an error") {
  CHECK_FALSE(Holds("_==_", Value::Bool(false), Value::Null()));
  CHECK_FALSE(Holds("_==_", Value::Bytes(""), Value::Null()));
  CHECK_FALSE(Holds("_==_", Value::String("1"), Value::Int(1)));
  CHECK_FALSE(Holds("_==_", Value::String("abc"), Value::Bytes("abc")));
  CHECK_FALSE(Holds("_==_", Value::Duration(0), Value::Timestamp(0, 0)));
  CHECK_FALSE(Holds("_==_", List({}), Value::Map({})));
  CHECK(Holds("_!=_", Value::Int(1), Value::String("1")));
  CHECK(Holds("_==_", Value::Null(), Value::Null()));
}

TEST_CASE("lists are equal element by element, with heterogeneous numbers") {
  CHECK(Equal(List({}), List({})));
  CHECK(Equal(List({Value::Null()}), List({Value::Null()})));
  CHECK(Equal(List({Value::Double(1.0), Value::Double(2.0), Value::Int(3)}),
              List({Value::Uint(1), Value::Int(2), Value::Uint(3)})));
  CHECK_FALSE(Equal(List({Value::Double(1.0), Value::Double(2.1)}), List({Value::Uint(1), Value::Int(2)})));
  CHECK_FALSE(Equal(List({Value::Int(1), Value::Int(2), Value::Int(3)}), List({Value::Int(1), Value::Int(3), Value::Int(2)})));
  CHECK_FALSE(Equal(List({Value::String("one")}), List({Value::Int(2), Value::Int(3)})));
  CHECK_FALSE(Equal(List({Value::Int(1), Value::String("dos"), Value::Int(3)}),
                    List({Value::Int(1), Value::Int(2), Value::Int(4)})));
  CHECK(Equal(List({List({})}), List({List({})})));
}

TEST_CASE("maps are equal by keys and values regardless of order") {
  Value a = Value::Map({{Value::String("k1"), Value::String("v1")}, {Value::String("k2"), Value::String("v2")}});
  Value b = Value::Map({{Value::String("k2"), Value::String("v2")}, {Value::String("k1"), Value::String("v1")}});
  CHECK(Equal(a, b));
  Value mixed_a = Value::Map({{Value::Int(1), Value::Double(1.0)}, {Value::Uint(2), Value::Uint(3)}});
  Value mixed_b = Value::Map({{Value::Uint(1), Value::Int(1)}, {Value::Int(2), Value::Double(3.0)}});
  CHECK(Equal(mixed_a, mixed_b));
  CHECK_FALSE(Equal(Value::Map({{Value::String("k"), Value::Int(1)}, {Value::String("j"), Value::Int(2)}}),
                    Value::Map({{Value::String("k"), Value::Int(1)}, {Value::String("j"), Value::Null()}})));
  CHECK_FALSE(Equal(Value::Map({{Value::String("key"), Value::String("value")}}),
                    Value::Map({{Value::String("Key"), Value::String("value")}})));
  CHECK_FALSE(Equal(a, Value::Map({{Value::String("k1"), Value::String("v1")}})));
}

TEST_CASE("type values compare by the type they denote") {
  CHECK(Equal(Value::Type(TypeKind::kInt), Value::Type(TypeKind::kInt)));
  CHECK_FALSE(Equal(Value::Type(TypeKind::kInt), Value::Type(TypeKind::kUint)));
  CHECK(Holds("_==_", Apply("type", {Value::Int(7)}), Value::Type(TypeKind::kInt)));
  CHECK(Holds("_==_", Apply("type", {Apply("type", {Value::Int(7)})}), Apply("type", {Apply("type", {Value::Uint(7)})})));
}

TEST_CASE("strings compare without Unicode normalization") {
  CHECK_FALSE(Equal(Value::String("Am\u00e9lie"), Value::String("Ame\u0301lie")));
  CHECK(Equal(Value::String("\u03af\u03c3\u03bf\u03c2"), Value::UnownedString("\u03af\u03c3\u03bf\u03c2")));
}
