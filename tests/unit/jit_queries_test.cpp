// Aggregates on the machine's general path over one indexed scan (Machine::RunIndexedScan's one
// loop, called from native code through the `aggregate` helper and by the interpreter alike), the
// native code around them against the interpreter: exists, count, min, max and sum over range
// probes, index scans and hash joins, empty ranges, bounds that are no durations, correlated
// conjuncts and filters that err, `pre` conjuncts that err, values that err, do not compare or
// overflow, nested correlated aggregates, budgets running out at every step, several sessions in
// one evaluator and two threads sharing the native code.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/interp/machine.h"
#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {

using Fixture = testing::NativeFixture;

// The pack, with many aggregates of the loop's shape.
Fixture Compile() {
  Fixture fixture = testing::CompileNative("tests/plan/native_queries");
  size_t looped = 0;
  for (const plan::Aggregate& aggregate : fixture.plan().aggregates) {
    if (!aggregate.counted && !aggregate.extreme_of_t && interp::Machine::OneIndexedScan(aggregate.query)) ++looped;
  }
  REQUIRE(looped >= 25);
  return fixture;
}

}  // namespace

TEST_CASE("native query loops give the interpreter's results and counters, sessions after sessions") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 1; seed < 9; ++seed) {
    std::string text =
        testing::RequestConsentSession("s" + std::to_string(seed), seed, 12 + 7 * static_cast<int>(seed), true);
    sessions.push_back(testing::LoadInPlace(plan, text));
  }
  // No consent records: empty indexes.
  sessions.push_back(testing::LoadInPlace(plan, testing::RequestConsentSession("requests-only", 7, 12, false)));
  sessions.push_back(testing::LoadInPlace(plan, testing::HeaderLine("empty")));
  std::string all;
  for (const auto& loaded : sessions) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(loaded->sessions[0]);
    interp::SessionEvaluation native = jit.Evaluate(loaded->sessions[0]);
    std::string described = testing::Describe(plan, interpreted);
    CHECK(testing::Describe(plan, native) == described);
    CHECK(native.stats.index_builds == interpreted.stats.index_builds);
    CHECK(native.stats.comparisons == interpreted.stats.comparisons);
    CHECK(native.stats.fallbacks == 0);
    all += described;
  }
  // The edge cases are reached: erred rows and conjuncts, no values, incomparable values, overflow.
  for (const char* expected : {"<error: ", "min of no values", "max of no values", "no matching overload", "overflow"}) {
    CHECK_MESSAGE(all.find(expected) != std::string::npos, expected);
  }
}

TEST_CASE("a budget running out at any step, inside a query loop or its bounds, stops both alike") {
  Fixture fixture = Compile();
  auto loaded = testing::LoadInPlace(fixture.plan(), testing::RequestConsentSession("budget", 3, 14, true));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 50);
}

TEST_CASE("two threads run their sessions' query loops with one native code") {
  Fixture fixture = Compile();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    std::string text = testing::RequestConsentSession("t" + std::to_string(seed), seed, 40, true);
    sessions.push_back(testing::LoadInPlace(fixture.plan(), text));
  }
  testing::CheckTwoThreads(fixture, sessions);
}

TEST_CASE("the interpreter's indexes give the nested loops' answers, probes in and out of time order") {
  testing::CheckNestedLoops("tests/plan/native_queries");
}
