// Readable values for report messages and the printed plan.
#include "compiler/plan/readable.h"

#include "runtime/value/format.h"
#include "runtime/value/time.h"

namespace edict::plan {
namespace {

// `whole` then up to nine fractional digits of `fraction` (of `scale`), trailing zeros cut.
std::string Decimal(int64_t whole, int64_t fraction, int digits) {
  std::string out = std::to_string(whole);
  if (fraction == 0) return out;
  std::string tail = std::to_string(fraction);
  tail.insert(0, static_cast<size_t>(digits) - tail.size(), '0');
  while (!tail.empty() && tail.back() == '0') tail.pop_back();
  return out + "." + tail;
}

}  // namespace

std::string ReadableDuration(int64_t nanos) {
  if (nanos == 0) return "0s";
  if (nanos < 0) {
    // -(INT64_MIN) overflows; a duration that large is printed by its seconds alone.
    if (nanos == INT64_MIN) return value::FormatDuration(nanos);
    return "-" + ReadableDuration(-nanos);
  }
  constexpr int64_t kSecond = 1'000'000'000;
  if (nanos < kSecond) {
    if (nanos % 1'000'000 == 0) return std::to_string(nanos / 1'000'000) + "ms";
    if (nanos >= 1'000'000) return Decimal(nanos / 1'000'000, nanos % 1'000'000, 6) + "ms";
    if (nanos % 1'000 == 0) return std::to_string(nanos / 1'000) + "us";
    return std::to_string(nanos) + "ns";
  }
  int64_t seconds = nanos / kSecond;
  int64_t fraction = nanos % kSecond;
  std::string out;
  if (seconds >= 3600) out += std::to_string(seconds / 3600) + "h";
  if (seconds % 3600 >= 60) out += std::to_string(seconds % 3600 / 60) + "m";
  if (seconds % 60 != 0 || fraction != 0) out += Decimal(seconds % 60, fraction, 9) + "s";
  return out;
}

std::string ReadableValue(const value::Value& value) {
  switch (value.kind()) {
    case value::Kind::kString: return std::string(value.string_value());
    case value::Kind::kInt: return std::to_string(value.int_value());
    case value::Kind::kUint: return std::to_string(value.uint_value());
    case value::Kind::kDouble: return value::FormatDouble(value.double_value());
    case value::Kind::kBool: return value.bool_value() ? "true" : "false";
    case value::Kind::kNull: return "null";
    case value::Kind::kDuration: return ReadableDuration(value.duration_nanos());
    case value::Kind::kTimestamp: return value::FormatTimestamp(value.timestamp_seconds(), value.timestamp_nanos());
    case value::Kind::kList: {
      std::string out;
      for (const value::Value& element : value.list_elements()) {
        if (!out.empty()) out += ", ";
        out += ReadableValue(element);
      }
      return out;
    }
    case value::Kind::kError: return "<error: " + value.error_message() + ">";
    default: return value::FormatLiteral(value);
  }
}

}  // namespace edict::plan
