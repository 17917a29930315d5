// Every rule pack's fixtures (tests/differential/fixtures.h) evaluated by the interpreter with a
// plan the front end just made and with the same plan read back from the plan cache
// (runtime/api/plan_cache.h): outcomes, reasons, rule errors, limits and every field of every
// finding must be equal.
#include <doctest/doctest.h>

#include <cstdlib>
#include <iostream>

#include "runtime/api/plan_cache.h"
#include "tests/differential/compare.h"
#include "tests/differential/fixtures.h"
#include "tests/differential/scratch.h"

using namespace edict;
using namespace edict::differential;

namespace {

std::optional<RuleSet> Compile(const CompileOptions& options, std::string& problems) {
  Diagnostics diagnostics;
  std::optional<RuleSet> rules = RuleSet::Compile(options, diagnostics);
  if (!rules) problems += diagnostics.Render(false);
  return rules;
}

}  // namespace

TEST_CASE("every pack fixture evaluates identically with a cached plan") {
  ScratchCache cache;  // entries go to a fresh cache, not the user's
  size_t sessions = 0, configurations = 0;
  for (const PackFixtures& pack : DiscoverFixtures(EDICT_SOURCE_DIR)) {
    for (const FixtureRun& run : pack.runs) {
      INFO(run.label);
      CompileOptions options = run.options;
      options.engine = Engine::kInterp;
      std::string problems;
      ::setenv("EDICT_PLAN_CACHE", "off", 1);
      std::optional<RuleSet> fresh = Compile(options, problems);
      ::unsetenv("EDICT_PLAN_CACHE");
      Compile(options, problems);  // writes the entry
      REQUIRE(LoadCachedPlan(PlanCacheDirectory(), PlanCacheKey(options)).has_value());
      std::optional<RuleSet> cached = Compile(options, problems);
      REQUIRE_MESSAGE((fresh && cached), problems);
      CHECK(cached->PlanText() == fresh->PlanText());
      ++configurations;

      LoadResult fresh_loaded = fresh->Load(run.inputs);
      LoadResult cached_loaded = cached->Load(run.inputs);
      REQUIRE(fresh_loaded.sessions.size() == cached_loaded.sessions.size());
      for (size_t i = 0; i < fresh_loaded.sessions.size(); ++i) {
        std::string expected = Describe(fresh->Evaluate(fresh_loaded.sessions[i]), fresh->info());
        std::string actual = Describe(cached->Evaluate(cached_loaded.sessions[i]), cached->info());
        std::string diff = Diff(run.label + ": a cached plan evaluates differently", expected, actual);
        CHECK_MESSAGE(diff.empty(), diff);
        ++sessions;
      }
    }
  }
  std::cout << "plan cache: " << configurations << " configurations, " << sessions << " sessions compared\n";
  CHECK(sessions >= 300);
}
