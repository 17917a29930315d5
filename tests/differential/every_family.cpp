// Building a plan's code with every family sharing a body, and the comparison (every_family.h).
#include "tests/differential/every_family.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <atomic>
#include <memory>
#include <span>

#include "compiler/codegen/emit.h"
#include "runtime/jit/abi.h"
#include "runtime/jit/compile.h"
#include "runtime/jit/host.h"
#include "tests/differential/compare.h"
#include "tests/plan/harness.h"

namespace edict::differential {
namespace {

// Null with `error` set when the back end fails; `bodies` counts the shared bodies emitted.
std::unique_ptr<jit::NativeCode> BuildSharingEveryFamily(const plan::Plan& plan, std::atomic<size_t>& bodies,
                                                         std::string& error) {
  jit::BuildRequest request;
  request.expr_slots = plan.code.nodes.size();
  request.pass_slots = plan.passes.size();
  request.index_slots = plan.index_count;
  request.opt_level = jit::ChooseOptLevel(plan.code.nodes.size());
  request.parts = jit::ChooseParts(plan.code.nodes.size());
  request.verify = true;
  request.runtime_symbols = jit::RuntimeSymbols();
  request.emit = [&plan, &bodies](llvm::LLVMContext& context, jit::Part part, jit::SymbolTable& symbols,
                                  std::string& why) -> std::unique_ptr<llvm::Module> {
    codegen::EmittedModule emitted =
        codegen::EmitPlan(plan, context, part.index, part.count, {.share_every_family = true});
    if (emitted.module == nullptr) {
      why = "the code generator produced no module";
      return nullptr;
    }
    bodies += SharedBodies(*emitted.module);
    symbols.exprs.assign(emitted.exprs.begin(), emitted.exprs.end());
    symbols.passes.assign(emitted.passes.begin(), emitted.passes.end());
    symbols.indexes.assign(emitted.indexes.begin(), emitted.indexes.end());
    return std::move(emitted.module);
  };
  return jit::Build(request, error);
}

void CompareAtBudgets(const plan::Plan& plan, const interp::CompiledCode& code, const facts::Session& session,
                      const BudgetPicker& budgets, EveryFamilyComparison& out) {
  if (session.error) return;  // no store to run: Evaluate gave its error alone
  const uint64_t total = testing::RunAtBudget(plan, nullptr, session, UINT64_MAX).steps;
  for (uint64_t budget : budgets(total)) {
    testing::BudgetRun interpreted = testing::RunAtBudget(plan, nullptr, session, budget);
    testing::BudgetRun compiled_run = testing::RunAtBudget(plan, &code, session, budget);
    ++out.budgets;
    out.stopped += budget < total ? 1 : 0;
    out.fallbacks += compiled_run.fallbacks;
    std::string diff = Diff("session " + std::to_string(out.sessions) + " (every family sharing a body) at budget " +
                                std::to_string(budget) + " of " + std::to_string(total) + " steps",
                            interpreted.described + "\nsteps " + std::to_string(interpreted.steps),
                            compiled_run.described + "\nsteps " + std::to_string(compiled_run.steps));
    if (!diff.empty()) {
      out.mismatches.push_back(std::move(diff));
      return;  // the first budget that differs says it
    }
  }
}

}  // namespace

size_t SharedBodies(const llvm::Module& module) {
  size_t bodies = 0;
  for (const llvm::Function& function : module) {
    bodies += !function.isDeclaration() && function.getName().starts_with("edict_body_") ? 1 : 0;
  }
  return bodies;
}

BudgetPicker SpreadBudgets(Entropy& entropy, size_t count) {
  return [&entropy, count](uint64_t total) {
    std::vector<uint64_t> budgets;
    for (size_t k = 0; k < count; ++k) budgets.push_back(entropy.Below(total + 1));
    return budgets;
  };
}

EveryFamilyComparison CompareEveryFamilyShared(const std::string& pack, const std::string& facts,
                                               const BudgetPicker& budgets) {
  EveryFamilyComparison out;
  auto compiled = testing::CompilePacks({pack});
  if (compiled->plan == nullptr) {
    out.error = "the pack does not compile: " + compiled->Errors();
    return out;
  }
  const plan::Plan& plan = *compiled->plan;
  std::atomic<size_t> bodies{0};
  auto native = BuildSharingEveryFamily(plan, bodies, out.error);
  if (native == nullptr) return out;
  out.bodies = bodies;
  facts::InputSource source = facts::InputSource::Text("facts.jsonl", facts);
  facts::LoadResult loaded = facts::Load(*plan.schema, std::span<const facts::InputSource>(&source, 1));
  interp::Evaluator interpreter(plan);
  interp::Evaluator jit(plan, &native->code());
  for (const facts::Session& session : loaded.sessions) {
    interp::SessionEvaluation interpreted = interpreter.Evaluate(session);
    interp::SessionEvaluation compiled_run = jit.Evaluate(session);
    std::string diff = Diff("session " + std::to_string(out.sessions) + " (every family sharing a body)",
                            testing::Describe(plan, interpreted), testing::Describe(plan, compiled_run));
    if (!diff.empty()) out.mismatches.push_back(std::move(diff));
    out.fallbacks += compiled_run.stats.fallbacks;
    out.findings += interpreted.result.findings.size();
    if (budgets) CompareAtBudgets(plan, native->code(), session, budgets, out);
    ++out.sessions;
  }
  return out;
}

}  // namespace edict::differential
