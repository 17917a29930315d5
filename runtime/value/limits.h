// The largest values `+` builds. Concatenation is the one operation that multiplies a value's size
// in a single evaluation step: doubling a string or a list in nested comprehensions
// (`[s].map(x, x + x)[0]`, forty times over) exhausts memory long before the evaluation budget
// counts forty steps. Beyond a limit `+` returns an error value instead.
#pragma once

#include <cstddef>
#include <string>

#include "runtime/value/value.h"

namespace edict::value {

// Bytes of a string or bytes value: four times the facts loader's line limit.
inline constexpr size_t kMaxStringBytes = size_t{64} << 20;
// Elements of a list (64 MiB of values).
inline constexpr size_t kMaxListSize = size_t{1} << 22;

// "string longer than the limit of 67108864 bytes"
inline Value TooLong(const char* what, size_t limit, const char* unit) {
  return Value::Error(ErrorCode::kRange,
                      std::string(what) + " longer than the limit of " + std::to_string(limit) + " " + unit);
}

}  // namespace edict::value
