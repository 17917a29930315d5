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

std::string Flag(const char* name, uint32_t pick) {
  switch (pick % 3) {
    case 0: return std::string(",\"") + name + "\":true";
    case 1: return std::string(",\"") + name + "\":false";
    default: return "";
  }
}

// A session of `records` perm_request and consent records (no consent when `consents` is false),
// from a fixed pseudo-random sequence; several records often share a t.
std::string Session(const std::string& id, uint32_t seed, int records, bool consents) {
  std::string text = testing::HeaderLine(id);
  testing::PseudoRandom next(seed);
  int t = 0;
  for (int seq = 1; seq <= records; ++seq) {
    t += static_cast<int>(next() % 4);
    std::string common = R"("seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t);
    if (!consents || next() % 2 == 0) {
      text += R"({"type":"perm_request",)" + common + R"(,"perms":["android.permission.CAMERA"])" +
              Flag("user_triggered", next()) + Flag("rationale_shown", next()) + "}\n";
      continue;
    }
    static const char* kActions[] = {"shown", "agreed", "rejected"};
    static const char* kVersions[] = {R"(,"policy_version":"v1")", R"(,"policy_version":"x")", ""};
    text += R"({"type":"consent",)" + common + R"(,"doc":"privacy_policy","action":")" + kActions[next() % 3] +
            R"(","method":"ui_click")" + kVersions[next() % 3] + "}\n";
  }
  return text;
}

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
    std::string text = Session("s" + std::to_string(seed), seed, 12 + 7 * static_cast<int>(seed), true);
    sessions.push_back(testing::LoadInPlace(plan, text));
  }
  sessions.push_back(testing::LoadInPlace(plan, Session("requests-only", 7, 12, false)));  // empty indexes
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
  auto loaded = testing::LoadInPlace(fixture.plan(), Session("budget", 3, 14, true));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 50);
}

TEST_CASE("two threads run their sessions' query loops with one native code") {
  Fixture fixture = Compile();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 11; seed <= 14; ++seed) {
    sessions.push_back(testing::LoadInPlace(fixture.plan(), Session("t" + std::to_string(seed), seed, 40, true)));
  }
  testing::CheckTwoThreads(fixture, sessions);
}
