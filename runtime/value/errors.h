// The error values builtins return, worded once.
#pragma once

#include <span>
#include <string_view>

#include "runtime/value/value.h"

namespace edict::value {

// "no matching overload for '_+_' applied to (int, string)"
Value NoMatchingOverload(std::string_view function, std::span<const Value> args);
Value IntegerOverflow();
Value DivisionByZero();
Value ModulusByZero();

// What a strict function returns without being called: the first unknown argument, else the
// first error argument; nullptr when every argument is a proper value.
const Value* FirstErrorOrUnknown(std::span<const Value> args);

}  // namespace edict::value
