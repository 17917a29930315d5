// Building list and map values as CEL literals do: strict in their elements.
#pragma once

#include <utility>
#include <vector>

#include "runtime/value/value.h"

namespace edict::value {

// `[a, b]`: the first unknown element, else the first error element, else the list.
Value MakeList(std::vector<Value> elements);
// `{k: v}`: as MakeList over keys and values, then Value::Map's key checks.
Value MakeMap(std::vector<std::pair<Value, Value>> entries);

}  // namespace edict::value
