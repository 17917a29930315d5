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

}  // namespace

TEST_CASE("native range answers give the interpreter's, sessions after sessions in one evaluator") {
  Fixture fixture = Compile("tests/plan/native_ranges", 20);
  testing::CheckRequestConsentSessions(fixture, 1, 7);
}

TEST_CASE("min and max of t by native binary search give the interpreter's") {
  Fixture fixture = Compile("tests/plan/extremes", 5);
  testing::CheckRequestConsentSessions(fixture, 21, 7);
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
