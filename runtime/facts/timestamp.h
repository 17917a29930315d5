// RFC 3339 timestamps (`session.started_at`) as nanoseconds since the Unix epoch, the store's
// representation of every timestamp column.
#pragma once

#include <cstdint>
#include <string_view>

namespace edict::facts {

// Parses `2026-01-02T03:04:05.000Z` or `...+08:00`. On failure returns false and sets `problem` to
// a short reason ("month 13 is out of range"). Leap seconds (`:60`) are rejected, as CEL does, and
// so are instants outside what int64 nanoseconds can hold (years 1678 to 2261 are safe).
bool ParseRfc3339(std::string_view text, int64_t* nanos, std::string_view* problem);

}  // namespace edict::facts
