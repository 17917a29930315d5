// The parts a large plan is compiled in at once (compiler/codegen/parts.h) take about equally long:
// on the standard library, each part's emitted IR, in the unit AssignParts estimates (instructions,
// a call counted as 15), is within 2.5 % of the parts' mean with 2 parts (a 2-core machine's) and
// within 4 % with 3 or 4, whose smaller parts hold fewer functions to even out the per-function
// estimates' errors (35 on average, up to 300 on the largest functions; measured 0.1 %, 1.4 % and
// 2.8 % with 2, 3 and 4 parts when the constants were last fitted). And the groups of alike roots
// the parts share functions by are exactly the roots whose trees are equal node for node.
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

// Whether the trees at `a` and `b` have the same ops and operands node for node.
bool SameTree(const plan::Code& code, plan::ExprId a, plan::ExprId b) {
  const plan::Node& x = code.nodes[a];
  const plan::Node& y = code.nodes[b];
  if (x.op != y.op || x.flags != y.flags || x.a != y.a || x.b != y.b || x.c != y.c || x.count != y.count) return false;
  for (uint32_t i = 0; i < x.count; ++i) {
    if (!SameTree(code, code.child(x, i), code.child(y, i))) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the standard library's roots are grouped exactly by equal trees, in order of appearance") {
  auto compiled = testing::CompilePacks({"stdlib-rules/cn-app-privacy"});
  REQUIRE_MESSAGE(compiled->plan != nullptr, compiled->Errors());
  const plan::Code& code = compiled->plan->code;
  std::vector<plan::ExprId> roots = codegen::ExpressionRoots(*compiled->plan);
  std::vector<std::vector<plan::ExprId>> groups = codegen::AlikeRoots(code, roots);
  std::vector<plan::ExprId> grouped;
  size_t unlike_members = 0;
  for (const std::vector<plan::ExprId>& group : groups) {
    REQUIRE(!group.empty());
    unlike_members += std::count_if(group.begin(), group.end(),
                                    [&](plan::ExprId root) { return !SameTree(code, group.front(), root); });
    grouped.insert(grouped.end(), group.begin(), group.end());
  }
  CHECK(unlike_members == 0);
  std::sort(grouped.begin(), grouped.end());
  CHECK(grouped == roots);
  CHECK(groups.size() < roots.size());  // the standard library has alike roots
  size_t out_of_order = 0;
  size_t alike_groups = 0;
  for (size_t i = 1; i < groups.size(); ++i) {
    out_of_order += groups[i - 1].front() < groups[i].front() ? 0 : 1;
    for (size_t j = 0; j < i; ++j) alike_groups += SameTree(code, groups[j].front(), groups[i].front()) ? 1 : 0;
  }
  CHECK(out_of_order == 0);
  CHECK(alike_groups == 0);
}

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
    double tolerance = parts == 2 ? 0.025 : 0.04;
    CHECK(static_cast<double>(*heaviest) <= mean * (1 + tolerance));
    CHECK(static_cast<double>(*lightest) >= mean * (1 - tolerance));
  }
}
