// Generated programs (tests/differential/generator.h) and the code generator's shared bodies
// (codegen/register_families.h). The programs that differential_generated_test compares reach a
// body shared by default in about one pack in five, nearly all through twin rules (a match rule
// again with one binding more first, GeneratorOptions::twin_percent; without them, none of the
// first 400 packs). Other trees alike up to their registers are mostly too small to share. So the
// same programs are also compiled with every family sharing a body, however small, and each
// session compared with the interpreter (every_family.h, which the differential fuzzer runs too).
#include <doctest/doctest.h>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "compiler/codegen/emit.h"
#include "tests/differential/every_family.h"
#include "tests/differential/generator.h"
#include "tests/differential/scratch.h"
#include "tests/plan/harness.h"

using namespace edict;
using namespace edict::differential;

namespace {

constexpr uint64_t kSeed = 20261128;  // differential_generated_test's

// The program of seed `seed`, written to `path` and compiled.
std::unique_ptr<testing::Compiled> CompileGenerated(uint64_t seed, const std::string& path,
                                                    const GeneratorOptions& options = GeneratorOptions()) {
  Entropy entropy = Entropy::FromSeed(seed);
  GeneratedProgram program = GenerateProgram(entropy, options);
  std::ofstream(path, std::ios::binary) << program.source;
  auto compiled = testing::CompilePacks({path});
  REQUIRE_MESSAGE(compiled->plan != nullptr, "seed " << seed << ": " << compiled->Errors());
  return compiled;
}

// The shared bodies the code generator makes of `plan` on its own.
size_t SharedBodiesByDefault(const plan::Plan& plan) {
  llvm::LLVMContext context;
  return SharedBodies(*codegen::EmitPlan(plan, context, 0, 1).module);
}

// Whether `module`'s code calls the runtime helper `name` (compiler/codegen/runtime.def).
bool Calls(const llvm::Module& module, const char* name) {
  const llvm::Function* helper = module.getFunction(name);
  return helper != nullptr && !helper->use_empty();
}

struct Folds {
  bool any = false;             // a comprehension folded in one runtime call
  bool over_data_types = false;  // one of them over data types, with the schema's ids decided at compile time
};

// Which comprehensions of `plan` the code generator, on its own, folds in one runtime call
// (codegen/list_fold_emitter.cpp: `x in <constant>` over a list column). Over a data-type column
// the module holds the constant's answer for each id the schema knows, a global `edict.ids.<n>`.
Folds FoldsOf(const plan::Plan& plan) {
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(plan, context, 0, 1);
  Folds folds;
  folds.any = Calls(*emitted.module, "edict_rt_fold_id_set");
  for (const llvm::GlobalVariable& global : emitted.module->globals()) {
    folds.over_data_types = folds.over_data_types || global.getName().starts_with("edict.ids.");
  }
  return folds;
}

// Requires such folds, one over data types among them, in the plans of the programs `options`
// writes from the first `probed` seeds.
void CheckFolds(const GeneratorOptions& options, size_t probed) {
  ScratchDir scratch("edict-differential-folds");
  size_t packs_with_folds = 0, packs_with_data_type_folds = 0;
  for (size_t i = 0; i < probed; ++i) {
    auto compiled = CompileGenerated(kSeed + i, scratch.path() + "/gen.edict", options);
    Folds folds = FoldsOf(*compiled->plan);
    packs_with_folds += folds.any ? 1 : 0;
    packs_with_data_type_folds += folds.over_data_types ? 1 : 0;
  }
  MESSAGE(packs_with_folds << " of " << probed << " packs call interp::FoldIdSet from native code, "
                           << packs_with_data_type_folds << " over data types");
  CHECK(packs_with_folds >= 1);
  CHECK(packs_with_data_type_folds >= 1);
}

// Whether native code of `plan` calls the runtime helper `name`.
bool CallsHelper(const plan::Plan& plan, const char* name) {
  llvm::LLVMContext context;
  return Calls(*codegen::EmitPlan(plan, context, 0, 1).module, name);
}

// How many blocks of `plan`'s native code have a name that starts with `prefix` (the emitter's
// names stay in a context that keeps them).
size_t BlocksNamed(const plan::Plan& plan, const char* prefix) {
  llvm::LLVMContext context;
  codegen::EmittedModule emitted = codegen::EmitPlan(plan, context, 0, 1);
  size_t named = 0;
  for (const llvm::Function& function : *emitted.module) {
    for (const llvm::BasicBlock& block : function) named += block.getName().starts_with(prefix) ? 1 : 0;
  }
  return named;
}

// How many of the lookups below the filters of `plan`'s passes native code keeps for the row, for
// the other filters that make them alike (codegen/shared_filters.h): the blocks that take the kept
// value, which the emitter names `lookup.kept`.
size_t KeptLookups(const plan::Plan& plan) { return BlocksNamed(plan, "lookup.kept"); }

// Over the first `kProbed` seeded packs: how many have something `count` finds in their plan, and
// how many it finds in all.
struct Probed {
  size_t packs = 0;
  size_t found = 0;
};
constexpr size_t kProbed = 40;

Probed ProbePacks(const std::function<size_t(const plan::Plan&)>& count, size_t packs = kProbed) {
  ScratchDir scratch("edict-differential-probe");
  Probed probed;
  for (size_t i = 0; i < packs; ++i) {
    auto compiled = CompileGenerated(kSeed + i, scratch.path() + "/gen.edict");
    size_t in_pack = count(*compiled->plan);
    probed.found += in_pack;
    probed.packs += in_pack > 0 ? 1 : 0;
  }
  return probed;
}

}  // namespace

// Rules filter on a value looked up in what a record's memo function returns (the generator's
// m_<kind>(b)['party'], the standard library's call_subject(call)["party"]); where the filters of
// several rules of a pass look it up alike, the first keeps it for the row and the others take it.
// Asked of the emitted module, as the folds below are.
TEST_CASE("generated programs have lookups that filters of several rules share in a row") {
  Probed probed = ProbePacks(KeptLookups);
  MESSAGE(probed.packs << " of " << kProbed << " packs share lookups in a row, " << probed.found << " kept");
  CHECK(probed.packs >= 1);
}

// Membership in a constant of many strings is one search of a table of its keys (`x in cw`,
// edict_rt_const_in); `k in tb ? tb[k].v : ...`, with `k` a variable or a column, one lookup of
// the key whose entry the select then reads (edict_rt_const_in_at). codegen/call_emitter.cpp.
TEST_CASE("generated programs look keys up in constant tables in one call") {
  for (const char* helper : {"edict_rt_const_in", "edict_rt_const_in_at"}) {
    Probed probed = ProbePacks([helper](const plan::Plan& plan) -> size_t { return CallsHelper(plan, helper); });
    MESSAGE(probed.packs << " of " << kProbed << " packs call " << std::string(helper));
    CHECK(probed.packs >= 1);
  }
}

// A struct or a whole record read as a CEL map (edict_rt_struct: `dyn(b.who).name`, `b.who == ...`,
// `{b}` in a report) and an overload chosen by the operands' kinds at run time (edict_rt_dispatch:
// `dyn(x) + y`) are calls native code makes only for values the checker typed dyn or a struct.
TEST_CASE("generated programs read structs as maps and leave overloads to run time") {
  for (const char* helper : {"edict_rt_struct", "edict_rt_dispatch"}) {
    Probed probed = ProbePacks([helper](const plan::Plan& plan) -> size_t { return CallsHelper(plan, helper); });
    MESSAGE(probed.packs << " of " << kProbed << " packs call " << std::string(helper));
    CHECK(probed.packs >= 1);
  }
}

// A comprehension over a list column that may be absent (act's `fs: list<fr>?`, a list of structs
// whose variable is a cursor into the element table) tests the list's presence inline and leaves
// the absent list's error to a helper: the block `foldcol.absent` (codegen/fold_emitter.cpp).
TEST_CASE("generated programs fold over an optional list of structs") {
  Probed probed = ProbePacks([](const plan::Plan& plan) { return BlocksNamed(plan, "foldcol.absent"); });
  MESSAGE(probed.packs << " of " << kProbed << " packs fold over an optional list column, " << probed.found
                       << " folds");
  CHECK(probed.packs >= 1);
}

// An aggregate over a time window whose bounds are values that may take steps (a comprehension, a
// memo call: the generator's windows of stream aggregates) tests the budget between them, before
// its binary searches (the blocks `aggregate.budget_ok`, codegen/aggregate_emitter.cpp), or, when
// a condition on both records makes it scan the window's rows, before it scans them
// (`aggregate.spent`: an exists or count without `pre` whose bound steps, a rarer shape, in 18 of
// the first 400 packs, so more packs are asked); differential_budget_test runs them at every budget.
TEST_CASE("generated programs test the budget between an aggregate's bounds") {
  for (auto [block, packs] : {std::pair{"aggregate.budget_ok", kProbed}, std::pair{"aggregate.spent", 5 * kProbed}}) {
    Probed probed = ProbePacks([block](const plan::Plan& plan) { return BlocksNamed(plan, block); }, packs);
    MESSAGE(probed.packs << " of " << packs << " packs have the block " << std::string(block) << ", " << probed.found
                         << " times");
    CHECK(probed.packs >= 1);
  }
}

// The comparisons below and differential_generated_test's cover the one-call folds only while the
// generator writes comprehensions the emitter folds: asked of the emitted module, not of the
// program's text, so a change to either side's conditions shows here.
TEST_CASE("generated programs have comprehensions folded in one call over a list column") {
  CheckFolds(GeneratorOptions(), 40);
  CheckFolds(FuzzerOptions(), 100);  // the fuzzer's, which runs these comparisons too
}

TEST_CASE("generated programs have roots alike up to their registers that share bodies") {
  Probed probed = ProbePacks(SharedBodiesByDefault);
  MESSAGE(probed.packs << " of " << kProbed << " packs with shared bodies, " << probed.found << " bodies");
  CHECK(probed.packs >= 1);
}

// EDICT_DIFFERENTIAL_SEED and EDICT_DIFFERENTIAL_PACKS change the seeds, to search further. Each
// session is also run at a few budgets (differential_budget_test tries every budget, but of code
// that shares bodies only where it pays).
constexpr size_t kBudgetsPerSession = 8;

TEST_CASE("generated programs evaluate alike when every family shares a body, however small") {
  const uint64_t seed = FromEnvironment("EDICT_DIFFERENTIAL_SEED", kSeed);
  const size_t packs = FromEnvironment("EDICT_DIFFERENTIAL_PACKS", 60);
  ScratchDir scratch("edict-differential-every-family");
  const std::string path = scratch.path() + "/gen.edict";
  size_t bodies = 0, sessions = 0, findings = 0, budgets = 0, stopped = 0;
  for (size_t i = 0; i < packs; ++i) {
    Entropy entropy = Entropy::FromSeed(seed + i);
    GeneratedProgram program = GenerateProgram(entropy, GeneratorOptions());
    std::ofstream(path, std::ios::binary) << program.source;
    EveryFamilyComparison comparison =
        CompareEveryFamilyShared(path, program.facts, SpreadBudgets(entropy, kBudgetsPerSession));
    REQUIRE_MESSAGE(comparison.error.empty(), "seed " << seed + i << ": " << comparison.error);
    for (const std::string& mismatch : comparison.mismatches) FAIL_CHECK("seed " << seed + i << ": " << mismatch);
    CHECK(comparison.fallbacks == 0);
    bodies += comparison.bodies;
    sessions += comparison.sessions;
    findings += comparison.findings;
    budgets += comparison.budgets;
    stopped += comparison.stopped;
  }
  MESSAGE(packs << " packs (seeds " << seed << ".." << seed + packs - 1 << "): " << bodies << " shared bodies, "
                << sessions << " sessions, " << findings << " findings, " << budgets << " budgets (" << stopped
                << " run out)");
  CHECK(bodies >= 3 * packs);  // several families in every pack share a body
  CHECK(findings > 0);
  CHECK(stopped > budgets / 2);
}
