// The generated programs that differential_generated_test compares (its seeds) reach the code
// generator's shared bodies (codegen/register_families.h), so that comparison covers a body
// called through register maps too. Rarely: a generated rule repeats another's tree over other
// registers in about one pack in forty (a large one, worth sharing), so the shared bodies' own
// comparisons are jit_register_families_test's, over a pack written for them, and the standard
// library's fixtures.
#include <doctest/doctest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <fstream>

#include "compiler/codegen/emit.h"
#include "tests/differential/generator.h"
#include "tests/differential/scratch.h"
#include "tests/plan/harness.h"

using namespace edict;
using namespace edict::differential;

TEST_CASE("generated programs have roots alike up to their registers that share bodies") {
  constexpr uint64_t kSeed = 20261128;  // differential_generated_test's
  constexpr size_t kPacks = 40;
  ScratchDir scratch("edict-differential-families");
  const std::string path = scratch.path() + "/gen.edict";
  size_t packs_with_bodies = 0;
  size_t bodies = 0;
  for (size_t i = 0; i < kPacks; ++i) {
    Entropy entropy = Entropy::FromSeed(kSeed + i);
    GeneratedProgram program = GenerateProgram(entropy, GeneratorOptions());
    std::ofstream(path, std::ios::binary) << program.source;
    auto compiled = testing::CompilePacks({path});
    REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
    llvm::LLVMContext context;
    codegen::EmittedModule emitted = codegen::EmitPlan(*compiled->plan, context);
    size_t in_pack = 0;
    for (const llvm::Function& function : *emitted.module) {
      in_pack += !function.isDeclaration() && function.getName().starts_with("edict_body_") ? 1 : 0;
    }
    bodies += in_pack;
    packs_with_bodies += in_pack > 0 ? 1 : 0;
  }
  INFO(packs_with_bodies << " of " << kPacks << " packs with shared bodies, " << bodies << " bodies");
  CHECK(packs_with_bodies >= 1);
}
