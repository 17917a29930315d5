// Timestamp fields of facts: RFC 3339 as value::ParseRfc3339 reads it, within int64 nanoseconds.
#include "runtime/facts/timestamp.h"

#include <limits>
#include <optional>

#include "runtime/value/time.h"

namespace edict::facts {

bool ParseRfc3339(std::string_view text, int64_t* nanos, std::string_view* problem) {
  constexpr int64_t kNanosPerSecond = 1'000'000'000;
  std::optional<value::Rfc3339Instant> instant = value::ParseRfc3339(text, problem);
  if (!instant) return false;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (instant->seconds > (kMax - instant->nanos) / kNanosPerSecond || instant->seconds < kMin / kNanosPerSecond + 1) {
    *problem = "the instant is outside the range the engine can represent";
    return false;
  }
  *nanos = instant->seconds * kNanosPerSecond + instant->nanos;
  return true;
}

}  // namespace edict::facts
