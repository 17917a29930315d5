// Values as a report reads them: `{ask.t - deny.t}` in a message prints "55s", not
// `duration("55s")`. Both back ends fill report templates with this.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/value/value.h"

namespace edict::plan {

// "48h", "1m30s", "55.2s", "800ms", "250us", "0s".
std::string ReadableDuration(int64_t nanos);

// Strings as they are, numbers and bools as literals, durations as above, timestamps in RFC 3339,
// lists as their elements joined by ", ", maps as CEL literals, errors as "<error: message>".
std::string ReadableValue(const value::Value& value);

}  // namespace edict::plan
