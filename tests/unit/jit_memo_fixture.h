// What the native memo tests share: a pack compiled to a plan and to native code, facts loaded
// against its schema, and a memo function's index by name.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <span>
#include <string>

#include "runtime/facts/loader.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

namespace edict::testing {

struct MemoFixture {
  std::unique_ptr<Compiled> compiled;
  std::unique_ptr<NativeCode> native;
  facts::LoadResult loaded;
  const plan::Plan& plan() const { return *compiled->plan; }
};

inline std::unique_ptr<MemoFixture> LoadMemoFixture(const std::string& pack, const std::string& facts) {
  auto fixture = std::make_unique<MemoFixture>();
  fixture->compiled = CompilePacks({pack});
  REQUIRE_MESSAGE(fixture->compiled->plan != nullptr, fixture->compiled->Errors());
  fixture->native = NativeCode::ForPlan(fixture->plan());
  REQUIRE_MESSAGE(fixture->native->error.empty(), fixture->native->error);
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", facts);
  fixture->loaded = facts::Load(*fixture->plan().schema, std::span<const facts::InputSource>(&source, 1));
  return fixture;
}

inline uint32_t MemoIndex(const plan::Plan& plan, const std::string& name) {
  for (uint32_t i = 0; i < plan.memo_functions.size(); ++i) {
    if (plan.memo_functions[i].name == name) return i;
  }
  FAIL("no memo function " << name);
  return 0;
}

}  // namespace edict::testing
