// Values as text: CEL literal syntax (for `edict eval` and messages) and CEL's double formatting.
#pragma once

#include <string>

#include "runtime/value/value.h"

namespace edict::value {

// CEL source text that denotes the value: `1`, `1u`, `1.5`, `"a\n"`, `b"\xff"`,
// `duration("1.5s")`, `timestamp("2009-02-13T23:31:30Z")`, `[1, "a"]`, `{"k": null}`,
// `google.protobuf.Timestamp`; doubles that have no literal print as `double("NaN")`. Errors and
// unknowns, which have no literal, print as `<error: message>` and `<unknown: attribute>`.
std::string FormatLiteral(const Value& value);

// `string(double)`: the shortest text that reads back as the same double, in Go's %g style as
// cel-go prints it ("123.456", "-0.0045", "1e+21", "NaN", "+Inf").
std::string FormatDouble(double d);

}  // namespace edict::value
