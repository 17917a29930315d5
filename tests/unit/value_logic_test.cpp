// The logical operators' truth tables with errors and unknowns: commutative absorption for
// && and ||, strictness for !, and the conditional.
#include <doctest/doctest.h>

#include "runtime/value/dispatch.h"
#include "runtime/value/logic.h"

using namespace edict::value;

namespace {

const Value kTrue = Value::Bool(true);
const Value kFalse = Value::Bool(false);

Value Error() { return Value::Error(ErrorCode::kDivisionByZero, "division by zero"); }
Value Unknown() { return Value::Unknown("perm_result"); }

bool IsBool(const Value& v, bool b) { return v.is_bool() && v.bool_value() == b; }

}  // namespace

TEST_CASE("&& truth table: false absorbs errors and unknowns from either side") {
  CHECK(IsBool(LogicalAnd(kTrue, kTrue), true));
  CHECK(IsBool(LogicalAnd(kTrue, kFalse), false));
  CHECK(IsBool(LogicalAnd(kFalse, kTrue), false));
  CHECK(IsBool(LogicalAnd(kFalse, kFalse), false));
  CHECK(IsBool(LogicalAnd(kFalse, Error()), false));
  CHECK(IsBool(LogicalAnd(Error(), kFalse), false));
  CHECK(IsBool(LogicalAnd(kFalse, Unknown()), false));
  CHECK(IsBool(LogicalAnd(Unknown(), kFalse), false));
  CHECK(LogicalAnd(kTrue, Error()).is_error());
  CHECK(LogicalAnd(Error(), kTrue).is_error());
  CHECK(LogicalAnd(kTrue, Unknown()).is_unknown());
  CHECK(LogicalAnd(Unknown(), Error()).is_unknown());
  CHECK(LogicalAnd(Error(), Unknown()).is_unknown());
  CHECK(LogicalAnd(Error(), Error()).is_error());
}

TEST_CASE("|| truth table: true absorbs errors and unknowns from either side") {
  CHECK(IsBool(LogicalOr(kTrue, kTrue), true));
  CHECK(IsBool(LogicalOr(kTrue, kFalse), true));
  CHECK(IsBool(LogicalOr(kFalse, kTrue), true));
  CHECK(IsBool(LogicalOr(kFalse, kFalse), false));
  CHECK(IsBool(LogicalOr(kTrue, Error()), true));
  CHECK(IsBool(LogicalOr(Error(), kTrue), true));
  CHECK(IsBool(LogicalOr(Unknown(), kTrue), true));
  CHECK(LogicalOr(kFalse, Error()).is_error());
  CHECK(LogicalOr(Error(), kFalse).is_error());
  CHECK(LogicalOr(kFalse, Unknown()).is_unknown());
  CHECK(LogicalOr(Error(), Unknown()).is_unknown());
}

TEST_CASE("non-bool operands of && and || are absorbed too, else no matching overload") {
  CHECK(IsBool(LogicalAnd(kFalse, Value::Int(32)), false));
  CHECK(IsBool(LogicalAnd(Value::String("horses"), kFalse), false));
  CHECK(IsBool(LogicalOr(kTrue, Value::Int(32)), true));
  CHECK(IsBool(LogicalOr(Value::String("horses"), kTrue), true));
  CHECK(LogicalAnd(Value::String("a"), Value::String("b")).error_code() == ErrorCode::kNoSuchOverload);
  CHECK(LogicalOr(kFalse, Value::Int(1)).error_code() == ErrorCode::kNoSuchOverload);
  CHECK(LogicalAnd(Value::Int(1), Error()).error_code() == ErrorCode::kDivisionByZero);
}

TEST_CASE("the left operand alone decides && when false and || when true") {
  CHECK(DecidesAnd(kFalse));
  CHECK_FALSE(DecidesAnd(kTrue));
  CHECK_FALSE(DecidesAnd(Error()));
  CHECK(DecidesOr(kTrue));
  CHECK_FALSE(DecidesOr(kFalse));
  CHECK_FALSE(DecidesOr(Unknown()));
}

TEST_CASE("! is strict") {
  CHECK(IsBool(LogicalNot(kTrue), false));
  CHECK(IsBool(LogicalNot(kFalse), true));
  CHECK(LogicalNot(Error()).is_error());
  CHECK(LogicalNot(Unknown()).is_unknown());
  CHECK(LogicalNot(Value::Int(0)).error_code() == ErrorCode::kNoSuchOverload);
}

TEST_CASE("the conditional picks a branch or passes the condition's error through") {
  CHECK(Conditional(kTrue, Value::Int(1), Value::Int(2)).int_value() == 1);
  CHECK(Conditional(kFalse, Value::String("foo"), Value::String("bar")).string_value() == "bar");
  CHECK(Conditional(kTrue, Value::String("cows"), Value::Int(17)).is_string());
  CHECK(Conditional(Error(), Value::Int(1), Value::Int(2)).error_code() == ErrorCode::kDivisionByZero);
  CHECK(Conditional(Unknown(), Value::Int(1), Value::Int(2)).is_unknown());
  CHECK(Conditional(Value::String("cows"), kFalse, Value::Int(17)).error_code() == ErrorCode::kNoSuchOverload);
  CHECK(Conditional(kFalse, Error(), Value::Int(2)).int_value() == 2);  // the other branch's error is not taken
}

TEST_CASE("@not_strictly_false keeps macro loops going on errors") {
  CHECK(IsBool(NotStrictlyFalse(kTrue), true));
  CHECK(IsBool(NotStrictlyFalse(kFalse), false));
  CHECK(IsBool(NotStrictlyFalse(Error()), true));
  CHECK(IsBool(NotStrictlyFalse(Unknown()), true));
}

TEST_CASE("the non-strict operators receive errors through dispatch") {
  std::optional<Function> and_function = Function::Find("_&&_", CallStyle::kGlobal);
  REQUIRE(and_function.has_value());
  const Value args[] = {Error(), kFalse};
  CHECK(IsBool(and_function->Call(args), false));
  const Value or_args[] = {Error(), kTrue};
  CHECK(IsBool(Call(Overload::logical_or, or_args), true));
  const Value conditional_args[] = {kTrue, Value::Int(1), Error()};
  CHECK(Call(Overload::conditional, conditional_args).int_value() == 1);
  const Value not_args[] = {Error()};
  CHECK(IsBool(Call(Overload::not_strictly_false, not_args), true));
}
