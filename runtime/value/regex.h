// `matches` with RE2: patterns compile once per process and are shared by every thread.
#pragma once

#include <string_view>

#include "runtime/value/value.h"

namespace edict::value {

// Whether `pattern` matches anywhere in `text` (RE2 syntax, unanchored, UTF-8); an invalid
// pattern is an error value.
Value Matches(std::string_view text, std::string_view pattern);

}  // namespace edict::value
