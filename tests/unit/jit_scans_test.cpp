// Exists and count over one indexed scan that native code bounds itself and the machine scans
// (codegen/aggregate_emitter.cpp, Machine::AggregateInRange) against the interpreter's general
// path: bounds strict or not, equal, not durations or at the ends of time, rows that err, keyed
// probes hashable or not, bounds that aggregate themselves, nested aggregates, no bounds, empty
// indexes, budgets running out at every step, and two threads sharing the native code.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/plan/fact_lines.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;

namespace {

using Fixture = testing::NativeFixture;

// The plan's aggregates that native code bounds for the machine, with bounds and with a key.
struct Scanned {
  size_t bounded = 0;
  size_t keyed = 0;
};

Scanned CountScanned(const plan::Plan& plan) {
  Scanned scanned;
  for (const plan::Aggregate& aggregate : plan.aggregates) {
    bool tallied = aggregate.kind == plan::AggregateKind::kExists || aggregate.kind == plan::AggregateKind::kCount;
    if (!tallied || aggregate.counted || !aggregate.query.pre.empty() ||
        !interp::Machine::OneIndexedScan(aggregate.query)) {
      continue;
    }
    const plan::Scan& scan = aggregate.query.scans[0];
    if (!scan.bounds.empty()) ++scanned.bounded;
    if (scan.key != plan::kNone) ++scanned.keyed;
  }
  return scanned;
}

Fixture Compile() {
  Fixture fixture = testing::CompileNative("tests/plan/native_scans");
  Scanned scanned = CountScanned(fixture.plan());
  REQUIRE(scanned.bounded >= 15);
  REQUIRE(scanned.keyed >= 2);
  return fixture;
}

std::unique_ptr<facts::LoadResult> Session(const Fixture& fixture, const std::string& id, uint32_t seed, int records) {
  return testing::LoadInPlace(fixture.plan(), testing::RequestConsentSession(id, seed, records, true));
}

}  // namespace

TEST_CASE("natively bounded scans give the interpreter's, sessions after sessions in one evaluator") {
  testing::CheckRequestConsentSessions(Compile(), 31, 9);
}

TEST_CASE("a budget running out at any step, at a scanned aggregate or inside its bounds, stops both alike") {
  Fixture fixture = Compile();
  auto loaded = Session(fixture, "budget", 5, 14);
  testing::CheckEveryBudget(fixture, loaded->sessions[0], 50);
}

TEST_CASE("two threads bound their sessions' scans with one native code") {
  Fixture fixture = Compile();
  std::vector<std::unique_ptr<facts::LoadResult>> sessions;
  for (uint32_t seed = 41; seed <= 44; ++seed) {
    sessions.push_back(Session(fixture, "t" + std::to_string(seed), seed, 40));
  }
  testing::CheckTwoThreads(fixture, sessions);
}

TEST_CASE("the interpreter's indexes give nested loops' answers for the scanned aggregates") {
  testing::CheckNestedLoops("tests/plan/native_scans");
}
