// Under EDICT_INTERP_PROFILE the cost profile times every memo miss, so native code's misses
// (runtime/jit/abi.cpp's `memo`) take the machine's timed path: the profile counts each miss of
// the native evaluation once, as it does the interpreter's. Its own binary: the profile's switch
// is read once per process.
#include <doctest/doctest.h>

#include <cstdlib>
#include <sstream>

#include "runtime/facts/loader.h"
#include "runtime/interp/cost_profile.h"
#include "tests/plan/fact_lines.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;

namespace {

// The profile's memo rows: the sum of their counts.
uint64_t MemoCounts(const std::string& report) {
  std::istringstream lines(report);
  std::string line;
  uint64_t total = 0;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    double ms = 0;
    uint64_t count = 0;
    std::string kind;
    if (fields >> ms >> count >> kind && kind == "memo") total += count;
  }
  return total;
}

}  // namespace

TEST_CASE("profiled native misses are timed and counted by the machine, once each") {
  REQUIRE(setenv("EDICT_INTERP_PROFILE", "1", 1) == 0);
  REQUIRE(interp::cost_profile::Enabled());
  auto compiled = testing::CompilePacks({"tests/plan/memo"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  auto native = testing::NativeCode::ForPlan(plan);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  std::string facts = testing::HeaderLine("p");
  for (int i = 0; i < 6; ++i) {
    facts += testing::ResultLine(2 * i + 1, 10 * i + 5, "android.permission.CAMERA", "denied");
    facts += testing::RequestLine(2 * i + 2, 10 * i + 10, R"(["android.permission.CAMERA"])");
  }
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", facts);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == 1);

  interp::Evaluator jit(plan, &native->code);
  interp::SessionEvaluation evaluated = jit.Evaluate(loaded.sessions[0]);
  CHECK(evaluated.stats.memo_misses > 6);
  CHECK(evaluated.stats.fallbacks == 0);
  CHECK(MemoCounts(interp::cost_profile::Report()) == evaluated.stats.memo_misses);

  interp::Evaluator interpreter(plan);
  interp::SessionEvaluation expected = interpreter.Evaluate(loaded.sessions[0]);
  CHECK(testing::Describe(plan, evaluated) == testing::Describe(plan, expected));
  CHECK(MemoCounts(interp::cost_profile::Report()) == 2 * evaluated.stats.memo_misses);
}
