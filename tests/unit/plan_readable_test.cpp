// Values as report messages print them: durations in h/m/s units, lists as their elements.
#include <doctest/doctest.h>

#include "compiler/plan/readable.h"

using namespace edict;

TEST_CASE("durations read as a report prints them") {
  CHECK(plan::ReadableDuration(0) == "0s");
  CHECK(plan::ReadableDuration(48LL * 3600 * 1'000'000'000) == "48h");
  CHECK(plan::ReadableDuration(90LL * 1'000'000'000) == "1m30s");
  CHECK(plan::ReadableDuration(54'630'000'000LL) == "54.63s");
  CHECK(plan::ReadableDuration(3'723'500'000'000LL) == "1h2m3.5s");
  CHECK(plan::ReadableDuration(800'000'000) == "800ms");
  CHECK(plan::ReadableDuration(1'500'000) == "1.5ms");
  CHECK(plan::ReadableDuration(250'000) == "250us");
  CHECK(plan::ReadableDuration(7) == "7ns");
  CHECK(plan::ReadableDuration(-5'000'000'000LL) == "-5s");
  CHECK(plan::ReadableValue(value::Value::List({value::Value::String("a"), value::Value::Int(2)})) == "a, 2");
}
