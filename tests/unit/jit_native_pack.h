// A pack compiled as the JIT host compiles it, at an optimisation level (EDICT_JIT_OPT), with
// sessions loaded against its schema: what the tests that compare the two back ends over a pack's
// own sessions start from.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <memory>
#include <span>
#include <string>

#include "runtime/facts/loader.h"
#include "runtime/jit/compile.h"
#include "tests/plan/harness.h"

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

}  // namespace edict::testing
