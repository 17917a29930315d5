// The join of tests/plan/residuals, whose indexed scan has residual conjuncts past the 64th (some
// decided by its time bounds, one whose bound errs for a tuple), in both engines: the same pairs,
// errors and work counters, however soon the budget runs out.
#include <doctest/doctest.h>

#include <string>

#include "tests/plan/residuals/facts.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

TEST_CASE("both engines check a join's residuals past the 64th alike, at every budget") {
  testing::NativeFixture fixture = testing::CompileNative("tests/plan/residuals");
  auto loaded = testing::LoadInPlace(fixture.plan(), testing::ResidualsFacts());
  const facts::Session& session = loaded->sessions[0];
  uint64_t steps = 0;
  std::string full = testing::RunWithBudget(fixture.plan(), nullptr, session, UINT64_MAX, steps);
  CHECK(full.find("result 3") != std::string::npos);
  for (uint64_t budget = 0; budget <= steps; ++budget) {
    uint64_t interpreted_steps = 0, native_steps = 0;
    std::string interpreted = testing::RunWithBudget(fixture.plan(), nullptr, session, budget, interpreted_steps);
    std::string native = testing::RunWithBudget(fixture.plan(), &fixture.native->code, session, budget, native_steps);
    INFO("budget " << budget);
    CHECK(native == interpreted);
    CHECK(native_steps == interpreted_steps);
  }
}
