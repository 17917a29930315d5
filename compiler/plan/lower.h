// Lowering: a checked Program (plus a profile and parameter overrides) into a Plan, and one CEL
// expression into standalone expression code. Problems are diagnostics; nothing throws.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/plan/plan.h"
#include "compiler/syntax/parse.h"

namespace edict::sema {
struct Program;
}  // namespace edict::sema

namespace edict::plan {

// Evaluates expression code that reads no session: lowering folds constants (literals, consts,
// sets, tables, parameters) with it, so that both back ends see values, not code. The interpreter
// provides the implementation.
class ConstantEvaluator {
 public:
  virtual ~ConstantEvaluator() = default;
  virtual value::Value Evaluate(const Code& code, ExprId expr, uint32_t frame_size) const = 0;
};

// `--param name=value` or a test's `param name = value`.
struct ParamOverride {
  std::string name;
  std::string text;                  // CEL source of the value ("48h", "12", "[\"a\"]"), or
  const ast::Expr* expr = nullptr;   // an expression the checker has already typed
};

struct LowerOptions {
  std::string profile = "baseline";  // `baseline` exists even when no pack declares it
  std::vector<ParamOverride> overrides;
};

// Lowers every rule of `program`, which must have checked without errors. Returns null after
// reporting an unknown profile or parameter, an override of the wrong type, or a construct the
// engine cannot run. `sources` receives the override texts, so their errors can point at them.
std::unique_ptr<Plan> Lower(sema::Program& program, const LowerOptions& options, const ConstantEvaluator& evaluator,
                            diag::SourceManager& sources, diag::DiagnosticEngine& diags);

// ---------------------------------------------------------------------------------------------
// Standalone expressions (`edict eval`, the CEL conformance runner)

struct Variable {
  std::string name;
  std::string type = "dyn";  // CEL spelling: int, uint, double, bool, string, bytes, duration,
                             // timestamp, null_type, dyn, list(T), map(K, V)
};

struct CompiledExpression {
  Code code;
  ExprId root = kNone;
  uint32_t frame_size = 1;
  std::vector<std::pair<std::string, Register>> variables;
  std::string type;  // the checked result type, CEL spelling
};

struct ExpressionOptions {
  syntax::ParseOptions parse;
  // Without the static type checker (the conformance suite's `disable_check`): type errors
  // become runtime errors and every builtin call is resolved by its arguments' runtime kinds.
  bool check_types = true;
};

// Parses, checks and lowers `text`; null after reporting its errors (an unknown variable type
// spelling included).
std::unique_ptr<CompiledExpression> CompileExpression(std::string_view text, const std::vector<Variable>& variables,
                                                      const ExpressionOptions& options,
                                                      const ConstantEvaluator& evaluator, diag::SourceManager& sources,
                                                      diag::DiagnosticEngine& diags);

}  // namespace edict::plan
