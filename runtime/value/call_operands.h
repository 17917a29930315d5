// Calling a one- or two-parameter builtin on operands that stay where they are (a constant, a
// register): the same result as value::Call over a span of copies, without the copies, whose
// reference counts are what an interpreted call spends most on.
#pragma once

#include "runtime/value/dispatch.h"

namespace edict::value {

Value Call(Overload id, const Value& a);
Value Call(Overload id, const Value& a, const Value& b);

}  // namespace edict::value
