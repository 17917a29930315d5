// The reference interpreter's API: compile a checked program into a Plan, evaluate loaded
// sessions with it (outcomes, findings, rule errors, counters), and evaluate standalone CEL
// expressions. The Plan is immutable and shared; evaluation state is per Evaluator, one per thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/plan/lower.h"
#include "runtime/facts/store.h"
#include "runtime/findings/model.h"
#include "runtime/interp/machine.h"

namespace edict::interp {

// Lowering folds constants with the interpreter itself, so folded and evaluated code agree.
class ConstantFolder : public plan::ConstantEvaluator {
 public:
  value::Value Evaluate(const plan::Code& code, plan::ExprId expr, uint32_t frame_size) const override;
};

// Lowers `program` (checked without errors) for `options.profile` and the overrides; null after
// reporting an unknown profile or parameter or an override of the wrong type.
std::unique_ptr<plan::Plan> Compile(sema::Program& program, const plan::LowerOptions& options,
                                    diag::SourceManager& sources, diag::DiagnosticEngine& diags);

// A rule stops producing findings in a session beyond this many (the run summary's limits_hit).
inline constexpr uint64_t kMaxFindingsPerRule = 10000;

// Evaluation steps a session may take (rows visited by scans, comprehension iterations, aggregate
// evaluations: the same count in both back ends): a base and an allowance per record, far above
// what real rules need (a few steps per record and rule), so only runaway
// evaluation (nested comprehensions are exponential) reaches it. Beyond it the session's
// remaining evaluation stops: rules without a finding get the error outcome, and limits_hit says so.
inline constexpr uint64_t kSessionStepsBase = 100'000'000;
inline constexpr uint64_t kSessionStepsPerRecord = 10'000;
// The same for one standalone expression, and for folding one constant while compiling.
inline constexpr uint64_t kExpressionSteps = 10'000'000;

// The steps a session may take: the limits above, unless an embedder sets a smaller budget (the
// fuzz harnesses do, so that runaway rules end within libFuzzer's timeout under ASan).
struct StepBudget {
  uint64_t base = kSessionStepsBase;
  uint64_t per_record = kSessionStepsPerRecord;
};

struct SessionEvaluation {
  findings::SessionResult result;           // outcomes of every rule, deduplicated findings, errors
  std::vector<findings::LimitHit> limits;   // limits this session reached
  Stats stats;
};

// Evaluates sessions with one plan. Not thread-safe itself: use one per thread (each keeps its
// own copy of the plan's constants); any number may share the plan.
class Evaluator {
 public:
  // With `compiled` (which must outlive the evaluator), expressions and passes run natively.
  explicit Evaluator(const plan::Plan& plan, const CompiledCode* compiled = nullptr, StepBudget budget = {});
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // `session` must be loaded with the plan's schema. A session that failed to load (or was loaded
  // with another schema) gets its error and no outcomes.
  SessionEvaluation Evaluate(const facts::Session& session);
  // The bytes of memo tables kept for the next session; a table far larger than a session needs
  // is released when it begins.
  size_t kept_memo_bytes() const { return machine_.memo_bytes(); }

 private:
  const plan::Plan& plan_;
  std::vector<value::Value> constants_;
  Machine machine_;
  StepBudget budget_;
};

// An evaluator's copy of a plan's constants: its lists and maps (also those nested in them) are
// made anew, each once however many constants share it, so the copies share exactly what the
// originals share and no reference count with them; strings are unowned views of the plan's text.
std::vector<value::Value> LocalCopies(const std::vector<value::Value>& constants);

// The run's rule list (in Finding::rule order) and the parameters in force.
std::vector<findings::RuleInfo> RuleInfos(const plan::Plan& plan);
findings::Params ParamsInForce(const plan::Plan& plan);
findings::ParamValue ParamValueOf(const value::Value& value);

// ---- Standalone expressions --------------------------------------------------------------------

std::unique_ptr<plan::CompiledExpression> CompileExpression(std::string_view text,
                                                            const std::vector<plan::Variable>& variables,
                                                            const plan::ExpressionOptions& options,
                                                            diag::SourceManager& sources, diag::DiagnosticEngine& diags);

// Evaluates with `bindings` for the declared variables; an unbound variable reads as an error.
// With `compiled`, the root runs natively; `stats`, when given, receives the work counters.
value::Value Evaluate(const plan::CompiledExpression& expression, const std::map<std::string, value::Value>& bindings,
                      const CompiledCode* compiled = nullptr, Stats* stats = nullptr);

}  // namespace edict::interp
