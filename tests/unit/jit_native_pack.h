// A pack compiled as the JIT host compiles it, at an optimisation level (EDICT_JIT_OPT), with
// sessions loaded against its schema: what the tests that compare the two back ends over a pack's
// own sessions start from.
#pragma once

#include <doctest/doctest.h>

#include <initializer_list>
#include <memory>
#include <string>

#include "runtime/facts/loader.h"
#include "runtime/jit/host.h"
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
std::unique_ptr<NativePack> CompileNativePack(const std::string& pack, const char* level,
                                              const std::string& facts);

// Each of the pack's sessions gives the native code the interpreter's result, with no fallbacks,
// and each interpreted result holds every one of `expected_texts` (what the pack is about); then
// two threads, each with an evaluator of its own over the shared native code, evaluate session
// `threaded` 20 times and must give the interpreter's result too.
void CompareEngines(const NativePack& pack, std::initializer_list<const char*> expected_texts, size_t threaded);

}  // namespace edict::testing
