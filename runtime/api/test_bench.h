// Running a pack's `test` blocks: the checked program, a plan per distinct (profile, parameters)
// compiled on first use, and a test's facts loaded and evaluated. Shared by RunTests and the
// rule catalogue (whose examples are tests). Not public.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/diag/source.h"
#include "compiler/sema/program.h"
#include "runtime/api/ruleset_impl.h"
#include "runtime/interp/interp.h"

namespace edict::testrun {

// One test evaluated on its facts.
struct TestRun {
  const plan::Plan* plan = nullptr;  // null when the configuration does not compile
  std::string error;                 // the test could not run
  std::string facts;                 // the JSON Lines it ran on
  interp::SessionEvaluation evaluation;
  std::vector<findings::Finding> findings;  // in report order
  bool native = false;                      // the plan's native code evaluated it (the engine's choice)
};

class TestBench {
 public:
  // Loads and checks the packs; false when they have errors (see diagnostics()).
  bool Check(const TestOptions& options);

  const sema::Program& program() const { return *program_; }
  const diag::SourceManager& sources() const { return sources_; }
  Diagnostics TakeDiagnostics() { return ToDiagnostics(diags_, sources_); }

  // Tests of the packs named on the command line (not of their imports), in file and source order.
  std::vector<const sema::TestInfo*> RootTests() const;

  TestRun Run(const sema::TestInfo& test);

  // The plan for the baseline profile without overrides; null when it does not compile.
  const plan::Plan* DefaultPlan() { return PlanFor("", {}).plan.get(); }

  // The plan index of rule `id` as `pack` sees it (its own rule first, else an import's), or
  // plan.rules.size().
  static uint32_t RuleIndex(const plan::Plan& plan, const sema::Pack& pack, const std::string& id);

 private:
  struct Compiled {
    std::unique_ptr<plan::Plan> plan;
    std::unique_ptr<interp::Evaluator> evaluator;
    // Built on the first test the engine evaluates natively (declared before its evaluator).
    bool native_tried = false;
    // Under auto: whether the object cache held the plan's code, looked up on first need, as
    // RuleSet looks it up once.
    std::optional<bool> holds_cached_code;
    std::unique_ptr<jit::NativeCode> native;
    std::string native_error;
    std::unique_ptr<interp::Evaluator> native_evaluator;
  };
  // The evaluator for a session of `records` records under the engine; null with `error` set when
  // the native code cannot be built.
  interp::Evaluator* EvaluatorFor(Compiled& compiled, uint64_t records, std::string& error);
  Compiled& PlanFor(const std::string& profile, const std::vector<ast::ProfileDecl::Assignment>& params);

  Engine engine_ = Engine::kInterp;
  diag::SourceManager sources_;
  diag::DiagnosticEngine diags_;
  std::unique_ptr<sema::Program> program_;
  std::map<std::string, std::unique_ptr<Compiled>> plans_;
};

}  // namespace edict::testrun
