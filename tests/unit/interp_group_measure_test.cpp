// A grouped window's count taken from a sum of doubles beyond the int range, or NaN
// (tests/plan/group_measure over tests/plan/facts/sessions.jsonl): clamped, never converted
// with undefined behaviour (the UBSan build checks that).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "tests/plan/harness.h"

using namespace edict;

TEST_CASE("a window's count from a sum of doubles is clamped to the int range") {
  testing::PackRun f = testing::RunPack("tests/plan/group_measure", "tests/plan/facts/sessions.jsonl");
  REQUIRE_MESSAGE(f.compiled->plan != nullptr, f.compiled->Errors());
  size_t checked = 0;
  for (size_t s = 0; s < f.run.sessions.size(); ++s) {
    auto above = f.found(s, "above-int-range");
    auto below = f.found(s, "below-int-range");
    auto nan = f.found(s, "not-a-number");
    REQUIRE(above.size() == below.size());
    REQUIRE(above.size() == nan.size());
    for (size_t i = 0; i < above.size(); ++i) {
      CHECK(above[i]->window.count == std::numeric_limits<int64_t>::max());
      CHECK(below[i]->window.count == std::numeric_limits<int64_t>::min());
      // NaN counts 0, which a finding reports as its number of triggers.
      CHECK(nan[i]->window.count == static_cast<int64_t>(nan[i]->evidence.size()));
      CHECK(nan[i]->message == "NaN");
      ++checked;
    }
  }
  CHECK(checked >= 1);
}
