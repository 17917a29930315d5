// A pack compiled as the JIT host compiles it, at an optimisation level (EDICT_JIT_OPT), with
// sessions loaded against its schema: what the tests that compare the two back ends over a pack's
// own sessions start from.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "runtime/facts/loader.h"
#include "runtime/jit/compile.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

namespace edict::testing {

struct NativePack {
  std::unique_ptr<Compiled> compiled;
  std::unique_ptr<jit::NativeCode> native;
  facts::LoadResult loaded;
  const plan::Plan& plan() const { return *compiled->plan; }
};

// `level` is "O0" (the code a large rule set gets) or "O2"; `facts` the sessions' lines.
inline std::unique_ptr<NativePack> CompileNativePack(const std::string& pack, const char* level,
                                                     const std::string& facts) {
  auto result = std::make_unique<NativePack>();
  result->compiled = CompilePacks({pack});
  REQUIRE_MESSAGE(result->compiled->plan != nullptr, result->compiled->Errors());
  setenv("EDICT_JIT_OPT", level, 1);
  std::string error;
  result->native = jit::CompilePlan(result->plan(), {}, error);
  unsetenv("EDICT_JIT_OPT");
  REQUIRE_MESSAGE(result->native != nullptr, error);
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", facts);
  result->loaded = facts::Load(*result->plan().schema, std::span<const facts::InputSource>(&source, 1));
  return result;
}

// Each of the pack's sessions gives the native code the interpreter's result, with no fallbacks,
// and each interpreted result holds every one of `expected_texts` (what the pack is about); then
// two threads, each with an evaluator of its own over the shared native code, evaluate session
// `threaded` 20 times and must give the interpreter's result too.
inline void CompareEngines(const NativePack& pack, std::initializer_list<const char*> expected_texts, size_t threaded) {
  const plan::Plan& plan = pack.plan();
  const jit::NativeCode& native = *pack.native;
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native.code());
  for (const facts::Session& session : pack.loaded.sessions) {
    interp::SessionEvaluation expected = interpreter.Evaluate(session);
    interp::SessionEvaluation actual = jit.Evaluate(session);
    std::string described = Describe(plan, expected);
    CHECK(Describe(plan, actual) == described);
    CHECK(actual.stats.fallbacks == 0);
    for (const char* text : expected_texts) CHECK_MESSAGE(described.find(text) != std::string::npos, text);
  }
  std::string expected = Describe(plan, interpreter.Evaluate(pack.loaded.sessions.at(threaded)));
  std::vector<std::string> results(2);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      interp::Evaluator evaluator(plan, &native.code());
      for (int i = 0; i < 20; ++i) results[t] = Describe(plan, evaluator.Evaluate(pack.loaded.sessions[threaded]));
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) CHECK(result == expected);
}

}  // namespace edict::testing
