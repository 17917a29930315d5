// Values in the CEL conformance suite's JSON form ({"int": "-5"}, {"double": "NaN"},
// {"map": [[K, V], ...]}, ...), for the conformance runner and `edict eval --json`, and the
// equality that compares an expected value with an actual one.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

#include "runtime/value/value.h"

namespace edict::value {

// Reads a tagged value; on malformed input returns nullopt and says why in `error`.
std::optional<Value> ValueFromJson(const nlohmann::json& json, std::string& error);

// Writes a tagged value. Errors and unknowns, which the format has no tag for, are written as
// {"error": message} and {"unknown": attribute}.
nlohmann::json ValueToJson(const Value& value);

// The conformance suite's notion of equal: CEL equality, except that NaN equals NaN, -0 and 0
// differ, and types must match exactly (1 is not 1u or 1.0), as the reference runner compares
// the values' protobuf forms.
bool ConformanceEqual(const Value& expected, const Value& actual);

}  // namespace edict::value
