// Test harness for the plan and interpreter tests: checks a pack (with stdlib-rules on the pack
// path), compiles it for a profile, loads appfacts text with the plan's schema and evaluates it.
// The bodies are in harness.cpp, compiled once into edict_plan_test_support: the checker's and
// the renderer's headers stay out of the tests that include this one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "runtime/facts/loader.h"
#include "runtime/interp/interp.h"

namespace edict::sema {
struct Program;
}  // namespace edict::sema

namespace edict::testing {

struct Compiled {
  diag::SourceManager sources;
  diag::DiagnosticEngine diags;
  std::unique_ptr<sema::Program> program;
  std::unique_ptr<plan::Plan> plan;

  Compiled();
  ~Compiled();
  std::string Errors() const;
};

// `inputs` are pack directories or .edict files, relative to the repository root unless absolute.
std::unique_ptr<Compiled> CompilePacks(const std::vector<std::string>& inputs, plan::LowerOptions options = {});

struct Run {
  facts::LoadResult loaded;
  std::vector<interp::SessionEvaluation> sessions;
};

Run Evaluate(const plan::Plan& plan, const std::string& name, std::string_view text, interp::StepBudget budget = {});

// The text of a file of the repository (`path` relative to its root); empty when it cannot be read.
std::string ReadFile(const std::string& path);

size_t RuleIndex(const plan::Plan& plan, const std::string& id);
findings::Outcome OutcomeOf(const plan::Plan& plan, const interp::SessionEvaluation& session, const std::string& id);
std::vector<const findings::Finding*> FindingsOf(const plan::Plan& plan, const interp::SessionEvaluation& session,
                                                 const std::string& id);
std::vector<int64_t> Seqs(const findings::Finding& finding);

// A "both ways" rule's message, "previous new|previous new|...", as its parts' halves split at the
// middle space: the replaced definition's value and the new one's. Two values of different
// lengths give halves that differ.
std::vector<std::pair<std::string, std::string>> BothWays(const std::string& message);

// A pack compiled and evaluated over a facts file of the repository, with the lookups the tests
// ask of it. `compiled->plan` is null when the pack has errors (`compiled->Errors()` says which).
struct PackRun {
  std::unique_ptr<Compiled> compiled;
  Run run;

  const plan::Plan& plan() const { return *compiled->plan; }
  const interp::SessionEvaluation& session(size_t i) const { return run.sessions.at(i); }
  findings::Outcome outcome(size_t s, const std::string& rule) const { return OutcomeOf(plan(), session(s), rule); }
  std::string reason(size_t s, const std::string& rule) const {
    return session(s).result.summary.outcomes.at(RuleIndex(plan(), rule)).reason;
  }
  std::vector<const findings::Finding*> found(size_t s, const std::string& rule) const {
    return FindingsOf(plan(), session(s), rule);
  }
};

PackRun RunPack(const std::string& pack, const std::string& facts_file, plan::LowerOptions options = {});

// Everything a session's evaluation reports, as text: outcomes, findings with their evidence,
// rule errors, limits, and the deterministic counters the budget depends on.
std::string Describe(const plan::Plan& plan, const interp::SessionEvaluation& session);

// One session run with `budget` steps, by the interpreter (`code` null) or with native code.
struct BudgetRun {
  std::string described;  // Describe's text and the index builds
  uint64_t steps = 0;     // the steps it took
  uint64_t fallbacks = 0;
};

BudgetRun RunAtBudget(const plan::Plan& plan, const interp::CompiledCode* code, const facts::Session& session,
                      uint64_t budget);

}  // namespace edict::testing
