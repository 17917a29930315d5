// Exists and count aggregates over one indexed scan that the machine runs row by row
// (Machine::RunIndexedScan), from native code against the interpreter: the same values and errors
// (rows' errors folded as a Tally folds them), the same steps and counters at every budget,
// keyed and unkeyed probes, erred parts, residuals and `pre` conjuncts that err or are false,
// residuals that aggregate themselves, bounds that are not durations, empty windows. What a native
// loop over their rows must match.
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

// The pack's exists and count aggregates that run as one indexed scan, some with a keyed probe and
// some with `pre` conjuncts.
Fixture Compile() {
  Fixture fixture = testing::CompileNative("tests/plan/native_aggregate_loops");
  size_t looped = 0, keyed = 0, with_pre = 0;
  for (const plan::Aggregate& aggregate : fixture.plan().aggregates) {
    bool kind = aggregate.kind == plan::AggregateKind::kExists || aggregate.kind == plan::AggregateKind::kCount;
    if (!kind || aggregate.counted || aggregate.extreme_of_t || !interp::Machine::OneIndexedScan(aggregate.query)) {
      continue;
    }
    ++looped;
    if (aggregate.query.scans[0].key != plan::kNone) ++keyed;
    if (!aggregate.query.pre.empty()) ++with_pre;
  }
  REQUIRE(looped >= 15);
  REQUIRE(keyed >= 2);
  REQUIRE(with_pre >= 2);
  return fixture;
}

std::vector<std::unique_ptr<facts::LoadResult>> Sessions(const Fixture& fixture, uint32_t first_seed) {
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = first_seed; seed < first_seed + 5; ++seed) {
    std::string text = testing::RequestConsentSession("s" + std::to_string(seed), seed,
                                                      14 + 9 * static_cast<int>(seed - first_seed), true);
    sessions.push_back(testing::LoadInPlace(fixture.plan(), text));
  }
  // No consent records: empty indexes, every aggregate over no rows.
  sessions.push_back(testing::LoadInPlace(fixture.plan(), testing::RequestConsentSession("requests-only", 5, 12, false)));
  return sessions;
}

}  // namespace

TEST_CASE("exists and count over indexed scans give the interpreter's values, errors and counters, session after session") {
  Fixture fixture = Compile();
  const plan::Plan& plan = fixture.plan();
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &fixture.native->code);
  bool erred = false, counted = false, found = false;
  for (const auto& loaded : Sessions(fixture, 1)) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(loaded->sessions[0]);
    interp::SessionEvaluation native = jit.Evaluate(loaded->sessions[0]);
    std::string described = testing::Describe(plan, interpreted);
    CHECK(testing::Describe(plan, native) == described);
    CHECK(native.stats.comparisons == interpreted.stats.comparisons);
    CHECK(native.stats.records == interpreted.stats.records);
    CHECK(native.stats.index_builds == interpreted.stats.index_builds);
    CHECK(native.stats.fallbacks == 0);
    // The reports show the rows' and the probes' errors, and counts above zero.
    erred = erred || described.find("<error: ") != std::string::npos;
    counted = counted || described.find(" 2 ") != std::string::npos;
    found = found || described.find("true") != std::string::npos;
  }
  CHECK(erred);
  CHECK(counted);
  CHECK(found);
}

TEST_CASE("a budget running out at any step, in a scan's rows or its residuals, stops both engines alike") {
  Fixture fixture = Compile();
  auto loaded = testing::LoadInPlace(fixture.plan(), testing::RequestConsentSession("budget", 3, 18, true));
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 200);
}

TEST_CASE("two threads run their sessions' indexed-scan aggregates with one native code") {
  Fixture fixture = Compile();
  testing::CheckTwoThreads(fixture, Sessions(fixture, 11));
}
