// Generated programs (tests/differential/generator.h) and the code generator's shared bodies
// (codegen/register_families.h). The programs that differential_generated_test compares reach a
// shared body only rarely: a generated rule repeats another's tree over other registers often, but
// a tree large enough to be worth sharing in about one pack in forty. So the same programs are
// also compiled with every family sharing a body, however small (EmitOptions::share_every_family),
// and each session compared with the interpreter: bodies called through register maps over every
// shape the generator writes.
#include <doctest/doctest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <fstream>
#include <memory>
#include <span>
#include <string>

#include "compiler/codegen/emit.h"
#include "runtime/facts/loader.h"
#include "tests/differential/generator.h"
#include "tests/differential/scratch.h"
#include "tests/plan/harness.h"
#include "tests/unit/jit_codegen_harness.h"

using namespace edict;
using namespace edict::differential;

namespace {

constexpr uint64_t kSeed = 20261128;  // differential_generated_test's

// The program of seed `seed`, written to `path` and compiled; its facts in `facts`.
std::unique_ptr<testing::Compiled> CompileGenerated(uint64_t seed, const std::string& path, std::string& facts) {
  Entropy entropy = Entropy::FromSeed(seed);
  GeneratedProgram program = GenerateProgram(entropy, GeneratorOptions());
  std::ofstream(path, std::ios::binary) << program.source;
  facts = std::move(program.facts);
  auto compiled = testing::CompilePacks({path});
  REQUIRE_MESSAGE(compiled->plan != nullptr, "seed " << seed << ": " << compiled->Errors());
  return compiled;
}

// The shared bodies `options` make of `plan`.
size_t SharedBodies(const plan::Plan& plan, codegen::EmitOptions options) {
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(plan, context, 0, 1, options);
  size_t bodies = 0;
  for (const llvm::Function& function : *emitted.module) {
    bodies += !function.isDeclaration() && function.getName().starts_with("edict_body_") ? 1 : 0;
  }
  return bodies;
}

}  // namespace

TEST_CASE("generated programs have roots alike up to their registers that share bodies") {
  constexpr size_t kPacks = 40;
  ScratchDir scratch("edict-differential-families");
  size_t packs_with_bodies = 0;
  size_t bodies = 0;
  for (size_t i = 0; i < kPacks; ++i) {
    std::string facts;
    auto compiled = CompileGenerated(kSeed + i, scratch.path() + "/gen.edict", facts);
    size_t in_pack = SharedBodies(*compiled->plan, {});
    bodies += in_pack;
    packs_with_bodies += in_pack > 0 ? 1 : 0;
  }
  INFO(packs_with_bodies << " of " << kPacks << " packs with shared bodies, " << bodies << " bodies");
  CHECK(packs_with_bodies >= 1);
}

TEST_CASE("generated programs evaluate alike when every family shares a body, however small") {
  constexpr size_t kPacks = 60;
  ScratchDir scratch("edict-differential-every-family");
  size_t bodies = 0, sessions = 0, findings = 0;
  for (size_t i = 0; i < kPacks; ++i) {
    std::string text;
    auto compiled = CompileGenerated(kSeed + i, scratch.path() + "/gen.edict", text);
    const plan::Plan& plan = *compiled->plan;
    auto native = testing::NativeCode::ForPlan(plan, {.share_every_family = true});
    REQUIRE_MESSAGE(native->error.empty(), "seed " << kSeed + i << ": " << native->error);
    bodies += SharedBodies(plan, {.share_every_family = true});
    facts::InputSource source = facts::InputSource::Text("facts.jsonl", text);
    facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
    interp::Evaluator interpreter(plan);
    interp::Evaluator jit(plan, &native->code);
    for (const facts::Session& session : loaded.sessions) {
      interp::SessionEvaluation interpreted = interpreter.Evaluate(session);
      interp::SessionEvaluation compiled_run = jit.Evaluate(session);
      CHECK_MESSAGE(testing::Describe(plan, compiled_run) == testing::Describe(plan, interpreted), "seed " << kSeed + i);
      CHECK(compiled_run.stats.fallbacks == 0);
      ++sessions;
      findings += interpreted.result.findings.size();
    }
  }
  MESSAGE(bodies << " shared bodies, " << sessions << " sessions, " << findings << " findings");
  CHECK(bodies >= 3 * kPacks);  // several families in every pack share a body
  CHECK(findings > 0);
}
