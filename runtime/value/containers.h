// Building list and map values as CEL literals do: strict in their elements.
#pragma once

#include <span>
#include <utility>
#include <vector>

#include "runtime/value/list_builder.h"
#include "runtime/value/value.h"

namespace edict::value {

// `[a, b]` over a builder's elements (the builder is empty after): the first unknown element,
// else the first error element, else the list. The same over elements held elsewhere (the JIT's
// registers), copied straight into the list's block.
Value MakeList(ListBuilder& elements);
Value MakeList(std::span<const Value* const> elements);
// `{k: v}`: as MakeList over keys and values, then Value::Map's key checks.
Value MakeMap(std::vector<std::pair<Value, Value>> entries);
// The same over keys and values alternating (the JIT's operands): a map already built from the
// same strings is handed out without staging the entries.
Value MakeMap(std::span<const Value* const> parts);

}  // namespace edict::value
