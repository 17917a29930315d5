// CEL's logical operators, which are not strict: `&&` and `||` absorb errors and unknowns
// commutatively (`false && error` and `error && false` are both false), and the back ends call
// these after short-circuiting on the left operand themselves.
#pragma once

#include "runtime/value/value.h"

namespace edict::value {

// false if either side is false; true if both are true; else the first unknown, else the first
// error, else no matching overload.
Value LogicalAnd(const Value& a, const Value& b);
// true if either side is true; false if both are false; else as LogicalAnd.
Value LogicalOr(const Value& a, const Value& b);
Value LogicalNot(const Value& a);
// `condition ? if_true : if_false` once both branches are known; an error or unknown condition is
// the result, a non-bool condition is no matching overload.
Value Conditional(const Value& condition, const Value& if_true, const Value& if_false);
// The loop condition of the `all`/`exists` macros: false only for the bool false, so an error
// keeps the loop going until a later element decides.
Value NotStrictlyFalse(const Value& a);

// Whether the left operand alone decides `&&` (false) or `||` (true).
inline bool DecidesAnd(const Value& left) { return left.is_bool() && !left.bool_value(); }
inline bool DecidesOr(const Value& left) { return left.is_bool() && left.bool_value(); }

}  // namespace edict::value
