// Generated programs (tests/differential/generator.h) with the session's step budget running out
// part way: both engines must stop after the same step with the same outcomes, findings, errors
// and limits. The hand-written native-loop tests try every budget of a few fixtures
// (jit_native_loops.h, CheckEveryBudget); here every budget of every session of generated programs
// (most take a few hundred steps; long ones are sampled), so that the budget checks of every
// construct the generator writes (folds, aggregates with several bounds, memo functions, joins,
// groups) are compared too.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <vector>

#include "tests/differential/generator.h"
#include "tests/differential/scratch.h"
#include "tests/unit/jit_native_loops.h"

using namespace edict;
using namespace edict::differential;

namespace {

constexpr uint64_t kSeed = 20261128;  // differential_generated_test's
constexpr size_t kPacks = 30;
// Sessions of up to this many steps are tried at every budget; longer ones (a few generated rules
// take tens of thousands of steps in a session of 24 records) at the first and last kEdges and
// kSeeded between.
constexpr uint64_t kEveryBudgetUpTo = 4000;
constexpr uint64_t kEdges = 500;
constexpr uint64_t kSeeded = 1000;

struct Tally {
  size_t sessions = 0;
  size_t budgets = 0;
  size_t stopped = 0;  // budgets the session ran out of (the rest sufficed)
  size_t sampled = 0;  // sessions too long to try at every budget
  uint64_t most_steps = 0;
};

// Every budget of a session of `total` steps (a check off by one step shows at few of them), or in
// a longer session the first and last ones and seeded ones between.
std::vector<uint64_t> BudgetsFor(uint64_t total, Entropy& entropy) {
  std::vector<uint64_t> budgets;
  if (total <= kEveryBudgetUpTo) {
    for (uint64_t budget = 0; budget <= total; ++budget) budgets.push_back(budget);
    return budgets;
  }
  for (uint64_t budget = 0; budget < kEdges; ++budget) budgets.push_back(budget);
  for (uint64_t k = 0; k < kSeeded; ++k) budgets.push_back(kEdges + entropy.Below(total - 2 * kEdges));
  for (uint64_t budget = total - kEdges; budget <= total; ++budget) budgets.push_back(budget);
  return budgets;
}

}  // namespace

TEST_CASE("generated programs stop alike in both engines wherever their budget runs out") {
  ScratchDir scratch("edict-differential-budget");
  const uint64_t seed = FromEnvironment("EDICT_DIFFERENTIAL_SEED", kSeed);
  const size_t packs = FromEnvironment("EDICT_DIFFERENTIAL_BUDGET_PACKS", kPacks);
  Tally tally;
  for (size_t i = 0; i < packs; ++i) {
    Entropy entropy = Entropy::FromSeed(seed + i);
    GeneratedProgram program = GenerateProgram(entropy, GeneratorOptions());
    const std::string path = scratch.path() + "/gen" + std::to_string(seed + i) + ".edict";
    std::ofstream(path, std::ios::binary) << program.source;
    testing::NativeFixture fixture = testing::CompileNative(path);
    facts::InputSource source = facts::InputSource::Text("facts.jsonl", program.facts);
    facts::LoadResult loaded = facts::Load(*fixture.plan().schema, std::span<const facts::InputSource>(&source, 1));
    for (size_t s = 0; s < loaded.sessions.size(); ++s) {
      const facts::Session& session = loaded.sessions[s];
      if (session.error) continue;
      uint64_t total = 0;
      testing::RunWithBudget(fixture.plan(), nullptr, session, UINT64_MAX, total);
      // EDICT_DIFFERENTIAL_SEED=<seed> EDICT_DIFFERENTIAL_BUDGET_PACKS=1 runs the pack again.
      const std::string label = "seed " + std::to_string(seed + i) + ", session " + std::to_string(s) + " of " +
                                std::to_string(total) + " steps";
      ++tally.sessions;
      tally.sampled += total > kEveryBudgetUpTo ? 1 : 0;
      tally.most_steps = std::max(tally.most_steps, total);
      for (uint64_t budget : BudgetsFor(total, entropy)) {
        ++tally.budgets;
        tally.stopped += budget < total ? 1 : 0;
        if (!testing::SameAtBudget(fixture, session, budget, label)) break;  // the first difference only
      }
    }
  }
  std::cout << "differential budget: " << packs << " packs (seeds " << seed << ".." << seed + packs - 1 << "), "
            << tally.sessions << " sessions (" << tally.sampled << " of them sampled), " << tally.budgets
            << " budgets compared, " << tally.stopped << " of them run out (at most " << tally.most_steps
            << " steps in a session)\n";
  CHECK(tally.stopped > tally.budgets / 2);
}
