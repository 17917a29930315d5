// The pack compilation and engine comparison of jit_native_pack.h, compiled once for every test
// that uses them.
#include "tests/unit/jit_native_pack.h"

#include <cstdlib>
#include <span>
#include <thread>
#include <vector>

#include "runtime/jit/compile.h"

namespace edict::testing {

std::unique_ptr<NativePack> CompileNativePack(const std::string& pack, const char* level,
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

void CompareEngines(const NativePack& pack, std::initializer_list<const char*> expected_texts, size_t threaded) {
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
