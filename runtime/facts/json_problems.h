// How the loader words what it found: simdjson's error codes as input errors, and JSON values as
// the "found ..." part of a message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "runtime/facts/input_error.h"

namespace edict::facts {

namespace od = simdjson::ondemand;

// Deeper JSON is rejected rather than recursed into; appfacts records nest four levels at most.
inline constexpr int kMaxJsonDepth = 64;

struct Problem {
  InputErrorKind kind;
  std::vector<std::string> args;
};

Problem JsonProblem(simdjson::error_code error);
// A value as it appears after "found": `"okay"`, `2.5`, `null`, `an object`, `a list`.
std::string DescribeValue(od::value& value);
// `text` as a JSON string, cut at a character boundary when long.
std::string QuoteForMessage(std::string_view text);

}  // namespace edict::facts
