// CEL's logical operators and their overload entries.
#include "runtime/value/logic.h"

#include "runtime/value/errors.h"
#include "runtime/value/overload_impl.h"

namespace edict::value {
namespace {

Value Absorb(std::string_view function, const Value& a, const Value& b) {
  const Value args[] = {a, b};
  if (const Value* propagated = FirstErrorOrUnknown(args)) return *propagated;
  return NoMatchingOverload(function, args);
}

}  // namespace

Value LogicalAnd(const Value& a, const Value& b) {
  if (DecidesAnd(a) || DecidesAnd(b)) return Value::Bool(false);
  if (a.is_bool() && b.is_bool()) return Value::Bool(true);
  return Absorb("_&&_", a, b);
}

Value LogicalOr(const Value& a, const Value& b) {
  if (DecidesOr(a) || DecidesOr(b)) return Value::Bool(true);
  if (a.is_bool() && b.is_bool()) return Value::Bool(false);
  return Absorb("_||_", a, b);
}

Value LogicalNot(const Value& a) {
  if (a.is_bool()) return Value::Bool(!a.bool_value());
  if (a.is_error_or_unknown()) return a;
  return NoMatchingOverload("!_", std::span<const Value>(&a, 1));
}

Value Conditional(const Value& condition, const Value& if_true, const Value& if_false) {
  if (condition.is_bool()) return condition.bool_value() ? if_true : if_false;
  if (condition.is_error_or_unknown()) return condition;
  return NoMatchingOverload("_?_:_", std::span<const Value>(&condition, 1));
}

Value NotStrictlyFalse(const Value& a) { return Value::Bool(!DecidesAnd(a)); }

namespace overload_impl {

Value logical_not(const Value& a) { return LogicalNot(a); }
Value logical_and(const Value& a, const Value& b) { return LogicalAnd(a, b); }
Value logical_or(const Value& a, const Value& b) { return LogicalOr(a, b); }
Value conditional(const Value& c, const Value& t, const Value& f) { return Conditional(c, t, f); }
Value not_strictly_false(const Value& a) { return NotStrictlyFalse(a); }

}  // namespace overload_impl
}  // namespace edict::value
