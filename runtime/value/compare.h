// CEL equality and ordering: heterogeneous (values of different types are unequal, never an
// error), numbers compared by value across int, uint and double, NaN unequal and unordered.
#pragma once

#include <cstdint>

#include "runtime/value/value.h"

namespace edict::value {

enum class Order : uint8_t {
  kLess,
  kEqual,
  kGreater,
  kUnordered,     // a NaN is involved: every comparison is false
  kIncomparable,  // the types have no ordering between them: no such overload
};

// CEL `==`: lists and maps compare element by element, 1 == 1u == 1.0, NaN != NaN.
bool Equal(const Value& a, const Value& b);

// The ordering of bool, int, uint, double (across the three), string and bytes (bytewise, which
// for UTF-8 is code point order), duration and timestamp. Int and uint against double follow
// cel-go: the integer converts to double unless the double is beyond the integer's range.
Order Compare(const Value& a, const Value& b);

// Map keys: bool, int, uint and string. A uint and an int with the same value are the same key.
bool IsValidMapKey(const Value& key);
bool KeyEqual(const Value& a, const Value& b);
uint64_t HashKey(const Value& key);

}  // namespace edict::value
