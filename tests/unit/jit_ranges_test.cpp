// Counted and extreme_of_t aggregates answered by native code (codegen/aggregate_emitter.cpp)
// against the interpreter's Machine::AnswerByRange: count, exists, min and max over strict and
// non-strict bounds, bounds at the ends of time or not durations, rows that err, `pre` conjuncts
// false, true or erring, bounds that aggregate themselves, empty tables, budgets running out at
// every step, several sessions in one evaluator and two threads sharing the native code.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {

using Fixture = testing::NativeFixture;

Fixture Compile(const std::string& pack, size_t min_answered) {
  Fixture fixture = testing::CompileNative(pack);
  size_t answered = 0;
  for (const plan::Aggregate& aggregate : fixture.plan().aggregates) {
    if (aggregate.counted || aggregate.extreme_of_t) ++answered;
  }
  REQUIRE(answered >= min_answered);
  return fixture;
}

// Both engines over sessions after sessions in one evaluator each: the same findings, errors and
// counters (comparisons included).
void CheckSessions(const Fixture& fixture, uint32_t first_seed) {
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = first_seed; seed < first_seed + 6; ++seed) {
    std::string text = testing::RequestConsentSession("s" + std::to_string(seed), seed,
                                                      12 + 7 * static_cast<int>(seed - first_seed), true);
    sessions.push_back(testing::LoadInPlace(plan, text));
  }
  // No consent records: empty indexes.
  sessions.push_back(testing::LoadInPlace(plan, testing::RequestConsentSession("requests-only", 7, 12, false)));
  sessions.push_back(testing::LoadInPlace(plan, testing::HeaderLine("empty")));
  bool erred = false, found = false;
  for (const auto& loaded : sessions) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(loaded->sessions[0]);
    interp::SessionEvaluation native = jit.Evaluate(loaded->sessions[0]);
    std::string described = testing::Describe(plan, interpreted);
    CHECK(testing::Describe(plan, native) == described);
    CHECK(native.stats.index_builds == interpreted.stats.index_builds);
    CHECK(native.stats.fallbacks == 0);
    // Reports show the errors: of erred rows, of "min of no values", of bounds.
    erred = erred || described.find("<error: ") != std::string::npos;
    found = found || !interpreted.result.findings.empty();
  }
  CHECK(erred);
  CHECK(found);
}

}  // namespace

TEST_CASE("native range answers give the interpreter's, sessions after sessions in one evaluator") {
  Fixture fixture = Compile("tests/plan/native_ranges", 20);
  CheckSessions(fixture, 1);
}

TEST_CASE("min and max of t by native binary search give the interpreter's") {
  Fixture fixture = Compile("tests/plan/extremes", 5);
  CheckSessions(fixture, 21);
}

TEST_CASE("a budget running out at any step, at an aggregate or inside its bounds, stops both alike") {
  Fixture fixture = Compile("tests/plan/native_ranges", 20);
  auto loaded = testing::LoadInPlace(fixture.plan(), testing::RequestConsentSession("budget", 3, 16, true));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 50);
}

TEST_CASE("two threads answer their sessions' ranges with one native code") {
  Fixture fixture = Compile("tests/plan/native_ranges", 20);
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    std::string text = testing::RequestConsentSession("t" + std::to_string(seed), seed, 40, true);
    sessions.push_back(testing::LoadInPlace(fixture.plan(), text));
  }
  testing::CheckTwoThreads(fixture, sessions);
}

TEST_CASE("the interpreter's indexes give the nested loops' answers, probes in and out of time order") {
  testing::CheckNestedLoops("tests/plan/native_ranges");
}
