// Grouping by keys of every form (tests/plan/group_keys) and a string memo function's cache by
// address (tests/plan/memo_front) in native code: the same findings, errors and counters as the
// interpreter, session after session, no fallback.
#include <doctest/doctest.h>

#include "runtime/facts/loader.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"
#include "tests/unit/memo_front_facts.h"

using namespace edict;

namespace {

const char* const kTriggers[] = {"boot", "push", "alarm"};

void ExpectBothAgree(const std::string& pack, const std::string& facts) {
  auto compiled = testing::CompilePacks({pack});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Plan& plan = *compiled->plan;
  auto native = testing::NativeCode::ForPlan(plan);
  REQUIRE_MESSAGE(native->error.empty(), native->error);
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", facts);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  REQUIRE(loaded.sessions.size() == 2);
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native->code);
  for (const facts::Session& session : loaded.sessions) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(session);
    interp::SessionEvaluation jitted = jit.Evaluate(session);
    CHECK(!interpreted.result.findings.empty());
    CHECK(testing::Describe(plan, jitted) == testing::Describe(plan, interpreted));
    CHECK(jitted.stats.fallbacks == 0);
  }
}

std::string Launches(const std::string& session, int components) {
  std::string text = testing::HeaderLine(session);
  int seq = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < components; ++i) {
      std::string component = i == 0 ? "A" : "C" + std::to_string(i);
      ++seq;
      text += R"({"type":"launch","seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(seq) +
              R"(,"kind":"service","component":")" + component +
              R"(","target_pkg":"com.example","by":"self","trigger":")" + kTriggers[(i + round) % 3] + "\"}\n";
    }
  }
  return text;
}

}  // namespace

TEST_CASE("native code groups lists, shared maps, NaNs and erring keys as the interpreter does") {
  ExpectBothAgree("tests/plan/group_keys", Launches("s1", 500) + Launches("s2", 20));
}

TEST_CASE("native code reads a string memo cache by address as the interpreter does") {
  ExpectBothAgree("tests/plan/memo_front", testing::MemoFrontSession("s1", 1) + testing::MemoFrontSession("s2", 2));
}
