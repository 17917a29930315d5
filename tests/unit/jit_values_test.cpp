// Values outside the pass loops (tests/plan/native_values): reports, memo function bodies and
// folds read columns of tables known only at run time inline (ints, bools, durations, enum and
// string equalities, has()), test bools and copy results inline; absent fields, absent enclosing
// structs, errors absorbed by && and ||, owned and borrowed strings, several sessions in one
// evaluator and several threads must give the interpreter's results exactly, at O0 (the code a
// large rule set gets) and at O2.
#include <doctest/doctest.h>

#include <thread>

#include "tests/unit/jit_codegen_harness.h"
#include "tests/unit/jit_native_pack.h"

using namespace edict;

namespace {

std::string Sessions() {
  std::string text = testing::ReadFile("tests/plan/native_values/sessions.jsonl");
  // A second session, so a session's cached values never leak into the next one.
  std::string second = text;
  second.replace(second.find(R"("id":"v")"), 8, R"("id":"w")");
  second.replace(second.find(R"("sdk":"umeng")"), 13, R"("sdk":"other")");
  return text + second;
}

void CompareAt(const char* level) {
  auto pack = testing::CompileNativePack("tests/plan/native_values", level, Sessions());
  const plan::Plan& plan = pack->plan();
  const jit::NativeCode* native = pack->native.get();
  const facts::LoadResult& loaded = pack->loaded;
  REQUIRE(loaded.sessions.size() == 2);
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native->code());
  for (const facts::Session& session : loaded.sessions) {
    interp::SessionEvaluation expected = interpreter.Evaluate(session);
    interp::SessionEvaluation actual = jit.Evaluate(session);
    std::string described = testing::Describe(plan, expected);
    CHECK(testing::Describe(plan, actual) == described);
    CHECK(actual.stats.fallbacks == 0);
    // The reports cover what the pack is about: absent fields' errors and present values.
    CHECK(described.find("no such field: proc") != std::string::npos);
    CHECK(described.find("no such field: caller") != std::string::npos);
  }
  // Threads sharing the native code, each with its own evaluator.
  std::string expected = testing::Describe(plan, interpreter.Evaluate(loaded.sessions[0]));
  std::vector<std::string> results(2);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      interp::Evaluator evaluator(plan, &native->code());
      for (int i = 0; i < 20; ++i) results[t] = testing::Describe(plan, evaluator.Evaluate(loaded.sessions[0]));
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) CHECK(result == expected);
}

}  // namespace

TEST_CASE("column reads, presence, compares and logic outside the pass loops at O0") { CompareAt("O0"); }

TEST_CASE("column reads, presence, compares and logic outside the pass loops at O2") { CompareAt("O2"); }
