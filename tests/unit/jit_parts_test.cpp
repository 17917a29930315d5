// The parts a large plan is compiled in at once (compiler/codegen/parts.h) take about equally long:
// on the standard library, each part's emitted IR, in the unit AssignParts estimates (instructions,
// a call counted as 15), is within 2.5 % of the parts' mean.
#include <doctest/doctest.h>

#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <algorithm>
#include <numeric>

#include "compiler/codegen/emit.h"
#include "tests/plan/harness.h"

using namespace edict;

namespace {

uint64_t CompileCost(const llvm::Module& module) {
  uint64_t cost = 0;
  for (const llvm::Function& function : module) {
    for (const llvm::BasicBlock& block : function) {
      for (const llvm::Instruction& instruction : block) cost += llvm::isa<llvm::CallInst>(instruction) ? 15 : 1;
    }
  }
  return cost;
}

}  // namespace

TEST_CASE("the standard library's parts are balanced by the IR they emit") {
  auto compiled = testing::CompilePacks({"stdlib-rules/cn-app-privacy"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  for (uint32_t parts : {2u, 3u, 4u}) {
    std::vector<uint64_t> costs;
    for (uint32_t part = 0; part < parts; ++part) {
      llvm::LLVMContext context;
      costs.push_back(CompileCost(*codegen::EmitPlan(*compiled->plan, context, part, parts).module));
    }
    double mean = static_cast<double>(std::accumulate(costs.begin(), costs.end(), uint64_t{0})) / parts;
    auto [lightest, heaviest] = std::minmax_element(costs.begin(), costs.end());
    INFO(parts << " parts, lightest " << *lightest << ", heaviest " << *heaviest);
    CHECK(static_cast<double>(*heaviest) <= mean * 1.025);
    CHECK(static_cast<double>(*lightest) >= mean * 0.975);
  }
}
